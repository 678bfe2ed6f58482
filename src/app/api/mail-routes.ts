// Issue 16, e-mail beside the notifications: each person sets the address their notices are e-mailed to (or clears
// it: told in-app only); the Bureau's administrators see the mails the server could not deliver after every attempt,
// with the mail server's last answer, and send one again once the cause is mended — with a reason the audit log
// keeps. Delivery itself is src/app/mail-sender.ts's, through the outbox.

import { setAccountEmail } from '../../store/accounts.ts';
import { findMail, pageOutbox, retryFailedMail } from '../../store/mail-outbox.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, ensure, principalOf, recordAudit } from './context.ts';
import { idParam, problemResponses } from './schemas.ts';

const tags = ['notifications'];

/** A plain address: one @, no spaces, a dot in the domain; at most 254 characters (RFC 5321's path limit). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const mailSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    recipient: { type: 'string' },
    subject: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'sent', 'failed'] },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    sentAt: { type: ['string', 'null'] },
  },
} as const;

export function registerMailRoutes(app: ApiApp, ctx: ApiContext): void {
  ownAddress(app, ctx);
  failedMails(app, ctx);
}

function ownAddress(app: ApiApp, ctx: ApiContext): void {
  app.put(
    '/me/email',
    {
      // one's own address is no business data: Audit's read-only accounts set theirs too
      config: { allowReadOnly: true },
      schema: {
        tags,
        summary: '设置接收通知的电子邮箱（留空则只在系统内通知）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email'],
          properties: { email: { type: ['string', 'null'], maxLength: 254 } },
        },
        response: {
          200: { type: 'object', required: ['email'], properties: { email: { type: ['string', 'null'] } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const typed = request.body.email?.trim() ?? '';
      const email = typed === '' ? null : typed;
      if (email !== null && !EMAIL.test(email)) {
        throw problem.validation('电子邮箱格式不正确', [
          { field: 'email', reason: '请填写有效的电子邮箱，例如 zhangsan@yunfu.gov.cn' },
        ]);
      }
      await ctx.store.transaction(async (tx) => {
        await setAccountEmail(tx, p.accountId, email);
        await recordAudit(tx, request, ctx, {
          action: 'account.email',
          entityType: 'account',
          entityId: p.accountId,
          payload: { email },
        });
      });
      return { email };
    },
  );
}

function failedMails(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/ops/mails',
    {
      schema: {
        tags,
        summary: '通知邮件的发送情况（默认列出发送失败的），最新的在前，分页',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { type: 'string', enum: ['pending', 'sent', 'failed'], default: 'failed' },
            page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'total'],
            properties: { items: { type: 'array', items: mailSchema }, total: { type: 'integer' } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      ensure(decide(p, 'process.operate', { tenantId: p.tenantId }));
      const { state, page, pageSize } = request.query;
      // the response schema lets through only the mail's public fields (not its body or lease)
      return pageOutbox(ctx.store.db, p.tenantId, { state, page, pageSize });
    },
  );

  app.post(
    '/ops/mails/:mailId/retry',
    {
      schema: {
        tags,
        summary: '重新发送一封发送失败的通知邮件（须说明原因）',
        params: idParam('mailId'),
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        response: { 200: mailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      ensure(decide(p, 'process.operate', { tenantId: p.tenantId }));
      const { mailId } = request.params;
      const reason = request.body.reason.trim();
      if (reason === '') {
        throw problem.validation('请说明重新发送的原因', [{ field: 'reason', reason: '原因不能为空' }]);
      }
      const retried = await ctx.store.transaction(async (tx) => {
        const mail = await findMail(tx.db, p.tenantId, mailId);
        if (!mail) throw problem.notFound(`邮件 ${mailId} 不存在`);
        if (!(await retryFailedMail(tx, p.tenantId, mailId, new Date()))) {
          throw problem.conflict(`邮件 ${mailId} 不是发送失败的邮件（${mail.state}），无需重新发送`);
        }
        await recordAudit(tx, request, ctx, {
          action: 'mail.retry',
          entityType: 'mail',
          entityId: mailId,
          payload: { reason, recipient: mail.recipient, subject: mail.subject, lastError: mail.lastError },
        });
        return mail;
      });
      ctx.mail?.wake();
      return { ...retried, state: 'pending' as const, attempts: 0 };
    },
  );
}

import { bureauDisplayName, roleDisplayName } from '../../domain/roles.ts';
import { isThirdPartyOrganisation, THIRD_PARTY_ORGANISATIONS } from '../../domain/third-parties.ts';
import { createSession, emailOf, findAccountForLogin, revokeSession } from '../../store/accounts.ts';
import { findTenant, findUnit, listUnits } from '../../store/units.ts';
import { throttledMessage } from '../auth/login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from '../auth/passwords.ts';
import { newSessionToken, SESSION_COOKIE, tokenFrom, tokenHash } from '../auth/tokens.ts';
import { candidateGroupsOf, type Principal } from '../authz.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, principalOf, recordAudit } from './context.ts';
import { accountSchema, problemResponses, unitSchema } from './schemas.ts';

const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    tenantId: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      default: 'yunfu',
      description: '市：yunfu；县（市、区）见租户',
    },
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export function registerSessionRoutes(app: ApiApp, ctx: ApiContext): void {
  postSession(app, ctx);
  deleteSession(app, ctx);
  getMe(app, ctx);
  getUnits(app, ctx);
}

function postSession(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/session',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['session'],
        summary: '登录',
        body: loginBody,
        response: {
          200: {
            type: 'object',
            properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, account: accountSchema },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { tenantId, username, password } = request.body;
      const key = `${tenantId}|${username.toLowerCase()}`;
      const wait = ctx.throttle.retryAfter(key, request.ip);
      if (wait > 0) {
        request.log.info({ event: 'login-throttled', retryAfter: wait }, 'sign-in attempt refused: too many');
        throw problem.tooManyRequests(throttledMessage(wait), wait);
      }
      const account = await findAccountForLogin(ctx.store.db, tenantId, username);
      const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
      if (!account || !ok || account.disabled) {
        ctx.throttle.failed(key, request.ip);
        request.log.info({ event: 'login-failed' }, 'login failed');
        throw problem.unauthenticated('用户名或密码错误');
      }
      ctx.throttle.succeeded(key);
      const token = newSessionToken();
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + ctx.sessionTtlMs).toISOString();
      const principal: Principal = {
        accountId: account.id,
        tenantId: account.tenantId,
        username: account.username,
        displayName: account.displayName,
        roles: account.roles,
        unitId: account.unitId,
        organisationId: account.organisationId,
      };
      await ctx.store.transaction(async (tx) => {
        await createSession(tx, {
          tokenHash: tokenHash(token),
          accountId: account.id,
          tenantId: account.tenantId,
          createdAt: now.toISOString(),
          expiresAt,
        });
        await recordAudit(tx, request, ctx, {
          principal,
          action: 'session.login',
          entityType: 'account',
          entityId: account.id,
          payload: { expiresAt },
        });
      });
      request.log.info({ event: 'login', accountId: account.id }, 'signed in');
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.secureCookies,
        path: '/',
        expires: new Date(expiresAt),
      });
      return { token, expiresAt, account: await describe(ctx, principal) };
    },
  );
}

function deleteSession(app: ApiApp, ctx: ApiContext): void {
  app.delete(
    '/session',
    {
      config: { allowReadOnly: true },
      schema: {
        tags: ['session'],
        summary: '退出登录',
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const token = tokenFrom(request.headers, request.cookies);
      await ctx.store.transaction(async (tx) => {
        if (token) await revokeSession(tx, tokenHash(token), ctx.now().toISOString());
        await recordAudit(tx, request, ctx, {
          action: 'session.logout',
          entityType: 'account',
          entityId: p.accountId,
          payload: null,
        });
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );
}

function getMe(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/me',
    {
      schema: {
        tags: ['session'],
        summary: '当前用户',
        response: { 200: accountSchema, ...problemResponses },
      },
    },
    async (request) => describe(ctx, principalOf(request)),
  );
}

function getUnits(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/units',
    {
      schema: {
        tags: ['reference'],
        summary: '本租户的市直单位及其责任科室（G-6）',
        response: { 200: { type: 'array', items: unitSchema }, ...problemResponses },
      },
    },
    async (request) => listUnits(ctx.store.db, principalOf(request).tenantId),
  );
}

async function describe(ctx: ApiContext, p: Principal) {
  const tenant = await findTenant(ctx.store.db, p.tenantId);
  const unit = p.unitId ? await findUnit(ctx.store.db, p.tenantId, p.unitId) : undefined;
  return {
    id: p.accountId,
    tenantId: p.tenantId,
    tenantName: tenant?.name ?? p.tenantId,
    username: p.username,
    displayName: p.displayName,
    roles: p.roles,
    // SU-2: the Bureau as the edition in force today for the tenant names it (the header shows these)
    bureauName: bureauDisplayName(bureauNameToday(ctx, p.tenantId)),
    roleNames: p.roles.map((r) => roleDisplayName(r, bureauNameToday(ctx, p.tenantId))),
    unitId: p.unitId,
    unitName: unit?.name ?? null,
    // IM-3, IM-4, AC-3: a third party's organisation, as the registry names it
    organisationId: p.organisationId ?? null,
    organisationName: isThirdPartyOrganisation(p.organisationId)
      ? THIRD_PARTY_ORGANISATIONS[p.organisationId].name
      : null,
    groups: candidateGroupsOf(p),
    // issue 16: where the viewer's notices are e-mailed (null: in-app only)
    email: await emailOf(ctx.store.db, p.accountId),
  };
}

/** The Bureau's name under the edition in force today for the tenant (SU-2, SU-3). */
function bureauNameToday(ctx: ApiContext, tenantId: string): string {
  return ctx.regulation.rules.editionAt(ctx.now(), tenantId).bureauName;
}

import {
  countUnread,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from '../../store/notifications.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, principalOf, recordAudit } from './context.ts';
import { idParam, notificationSchema, problemResponses } from './schemas.ts';

export function registerNotificationRoutes(app: ApiApp, ctx: ApiContext): void {
  listRoutes(app, ctx);
  readRoutes(app, ctx);
}

/** The viewer's own notifications and their unread count (the header's badge). */
function listRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: '我的通知',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            unread: { type: 'boolean', default: false },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        },
        response: { 200: { type: 'array', items: notificationSchema }, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      return listNotifications(ctx.store.db, p.accountId, { unreadOnly: q.unread, limit: q.limit });
    },
  );

  app.get(
    '/notifications/unread-count',
    {
      schema: {
        tags: ['notifications'],
        summary: '未读通知数（页头的提示）',
        response: {
          200: { type: 'object', required: ['unread'], properties: { unread: { type: 'integer' } } },
          ...problemResponses,
        },
      },
    },
    async (request) => ({ unread: await countUnread(ctx.store.db, principalOf(request).accountId) }),
  );
}

/** Marking the viewer's own notifications read, all or one (each an audited change). */
function readRoutes(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/notifications/read-all',
    {
      config: { allowReadOnly: true },
      schema: {
        tags: ['notifications'],
        summary: '全部标记为已读',
        response: {
          200: { type: 'object', required: ['marked'], properties: { marked: { type: 'integer' } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const marked = await ctx.store.transaction(async (tx) => {
        const ids = await markAllNotificationsRead(tx, p.accountId, ctx.now().toISOString());
        await recordAudit(tx, request, ctx, {
          action: 'notification.read-all',
          entityType: 'notification',
          entityId: p.accountId,
          payload: { notificationIds: ids },
        });
        return ids.length;
      });
      return { marked };
    },
  );

  app.post(
    '/notifications/:notificationId/read',
    {
      config: { allowReadOnly: true },
      schema: {
        tags: ['notifications'],
        summary: '标记为已读',
        params: idParam('notificationId'),
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { notificationId } = request.params;
      const found = await ctx.store.transaction(async (tx) => {
        const ok = await markNotificationRead(tx, p.accountId, notificationId, ctx.now().toISOString());
        if (ok) {
          await recordAudit(tx, request, ctx, {
            action: 'notification.read',
            entityType: 'notification',
            entityId: notificationId,
            payload: null,
          });
        }
        return ok;
      });
      if (!found) throw problem.notFound(`通知 ${notificationId} 不存在`);
      return reply.code(204).send();
    },
  );
}

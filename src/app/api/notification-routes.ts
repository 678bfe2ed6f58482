import { listNotifications, markNotificationRead } from '../../store/notifications.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, principalOf, recordAudit } from './context.ts';
import { idParam, notificationSchema, problemResponses } from './schemas.ts';

export function registerNotificationRoutes(app: ApiApp, ctx: ApiContext): void {
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

// SV-3 / SV-4: reading the audit trail, checking its chain, and exporting a project's complete, verifiable package.
// Audit (and the Bureau's administrators) read; a Unit does not. The export is itself recorded in the trail.
import { Readable } from 'node:stream';
import { listAudit, verifyChains } from '../../store/audit.ts';
import { projectAuditArchive } from '../../store/audit-export.ts';
import { decide } from '../authz.ts';
import {
  type ApiApp,
  type ApiContext,
  authorize,
  ensure,
  principalOf,
  recordAudit,
  visibleProject,
} from './context.ts';
import { auditEntrySchema, idParam, problemResponses } from './schemas.ts';

export function registerAuditRoutes(app: ApiApp, ctx: ApiContext): void {
  getAuditLog(app, ctx);
  getAuditLogVerification(app, ctx);
  getProjectsProjectIdAuditExport(app, ctx);
}

function getAuditLog(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志（本租户）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            projectId: { type: 'string', maxLength: 64 },
            entityType: { type: 'string', maxLength: 64 },
            entityId: { type: 'string', maxLength: 100 },
            accountId: { type: 'string', maxLength: 64 },
            action: { type: 'string', maxLength: 64 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            afterSeq: { type: 'integer', minimum: 0, description: '分页：上一页最后一条的序号' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
          },
        },
        response: { 200: { type: 'array', items: auditEntrySchema }, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      authorize(request, 'audit.read', { tenantId: p.tenantId });
      const q = request.query;
      return listAudit(ctx.store.db, {
        tenantId: p.tenantId,
        projectId: q.projectId,
        entityType: q.entityType,
        entityId: q.entityId,
        accountId: q.accountId,
        action: q.action,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(q.to).toISOString() : undefined,
        afterSeq: q.afterSeq,
        limit: q.limit,
      });
    },
  );
}

function getAuditLogVerification(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/audit-log/verification',
    {
      schema: {
        tags: ['audit'],
        summary: '校验本租户审计链（篡改、插入、删除）',
        response: {
          200: {
            type: 'object',
            properties: {
              tenantId: { type: 'string' },
              entries: { type: 'integer' },
              intact: { type: 'boolean' },
              problems: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    seq: { type: 'integer' },
                    kind: { type: 'string' },
                    detail: { type: 'string' },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      authorize(request, 'audit.read', { tenantId: p.tenantId });
      const [report] = await verifyChains(ctx.store.db, p.tenantId);
      const problems = report?.problems ?? [];
      return { tenantId: p.tenantId, entries: report?.entries ?? 0, intact: problems.length === 0, problems };
    },
  );
}

function getProjectsProjectIdAuditExport(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects/:projectId/audit-export',
    {
      schema: {
        tags: ['audit'],
        summary: '导出项目审计资料包（tar，含 SHA-256 清单；npm run audit:verify -- --archive 可校验）',
        params: idParam('projectId'),
        produces: ['application/x-tar'],
        response: { 200: { type: 'string', format: 'binary' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const { p, project } = await visibleProject(ctx, request, projectId);
      ensure(decide(p, 'audit.export', project));
      const exportedAt = ctx.now().toISOString();
      await ctx.store.transaction((tx) =>
        recordAudit(tx, request, ctx, {
          action: 'audit.export',
          entityType: 'project',
          entityId: projectId,
          projectId,
          payload: { exportedAt },
        }),
      );
      const stamp = exportedAt.replace(/[-:]/g, '').slice(0, 15);
      reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="audit-${projectId}-${stamp}.tar"`)
        .header('cache-control', 'private, no-store');
      return reply.send(
        Readable.from(
          projectAuditArchive(ctx.store.db, ctx.documents, {
            tenantId: p.tenantId,
            projectId,
            exportedBy: p.accountId,
            exportedAt,
          }),
        ),
      );
    },
  );
}

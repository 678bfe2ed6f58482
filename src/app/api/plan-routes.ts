// P-1: a Unit files its next-year informatization plan; the filing is numbered (备案) and marked on time or late
// against the deadline of the rule edition in force (30 November, Asia/Shanghai, inclusive). The Bureau, Finance,
// the City Government and Audit read every Unit's plans (the initiation review looks at them); a Unit reads its own.
import type { FastifyInstance } from 'fastify';
import { filingDeadline, filingStatus, planYearOfFiling } from '../../domain/annual-plan.ts';
import {
  DuplicatePlanError,
  fileAnnualPlan,
  findAnnualPlan,
  listAnnualPlans,
} from '../../store/annual-plans.ts';
import { FILING_KINDS, type FilingKind, listFilings } from '../../store/filings.ts';
import { decide, readScope } from '../authz.ts';
import { problem } from '../problem.ts';
import { type ApiContext, authorize, ensure, principalOf, recordAudit } from './context.ts';
import { filingSchema, idParam, planBody, planSchema, problemResponses } from './schemas.ts';

export function registerPlanRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(
    '/annual-plans',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度信息化规划备案（P-1）',
        body: planBody,
        response: { 201: planSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as { planYear?: number; summary: string; projects?: unknown[] };
      const unitId = p.unitId;
      authorize(request, 'plan.file', { tenantId: p.tenantId, unitId });
      const now = ctx.now();
      const planYear = body.planYear ?? planYearOfFiling(now);
      const currentPlanYear = planYearOfFiling(now);
      if (planYear < currentPlanYear - 1 || planYear > currentPlanYear + 1) {
        throw problem.validation('规划年度无效', [
          { field: 'planYear', reason: `只能备案 ${currentPlanYear - 1}–${currentPlanYear + 1} 年度的规划` },
        ]);
      }
      const deadlineDay = ctx.regulation.rules.editionAt(now).annualPlanDeadline;
      const status = filingStatus(planYear, now, deadlineDay);
      try {
        const plan = await ctx.store.transaction(async (tx) => {
          const filed = await fileAnnualPlan(tx, {
            tenantId: p.tenantId,
            unitId: unitId as string,
            planYear,
            summary: body.summary,
            content: { projects: body.projects ?? [] },
            filedAt: now.toISOString(),
            filedBy: p.accountId,
            onTime: status.onTime,
            daysLate: status.daysLate,
          });
          await recordAudit(tx, request, ctx, {
            action: 'annual-plan.file',
            entityType: 'annual-plan',
            entityId: filed.id,
            payload: {
              planYear,
              unitId,
              filingNumber: filed.filingNumber,
              onTime: status.onTime,
              daysLate: status.daysLate,
            },
          });
          return filed;
        });
        reply.code(201);
        return { ...plan, deadline: filingDeadline(planYear, deadlineDay).deadline };
      } catch (e) {
        if (e instanceof DuplicatePlanError) {
          throw problem.conflict(`本单位 ${planYear} 年度规划已备案（${e.existing.filingNumber}）`, [
            { field: 'planYear', reason: '该年度已备案' },
          ]);
        }
        throw e;
      }
    },
  );

  app.get(
    '/annual-plans',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度规划备案列表',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            planYear: { type: 'integer', minimum: 2000, maximum: 9999 },
            unitId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: { type: 'array', items: planSchema }, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { planYear?: number; unitId?: string };
      const scope = readScope(p);
      if (scope.kind === 'none') throw problem.forbidden('当前角色不能查阅年度规划');
      if (scope.kind === 'unit' && q.unitId && q.unitId !== scope.unitId) return [];
      return listAnnualPlans(ctx.store.db, {
        tenantId: p.tenantId,
        unitId: scope.kind === 'unit' ? scope.unitId : q.unitId,
        planYear: q.planYear,
      });
    },
  );

  app.get(
    '/annual-plans/:planId',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度规划备案详情',
        params: idParam('planId'),
        response: { 200: planSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { planId } = request.params as { planId: string };
      const plan = await findAnnualPlan(ctx.store.db, p.tenantId, planId);
      if (!plan) throw problem.notFound(`年度规划 ${planId} 不存在或无权查看`);
      ensure(decide(p, 'plan.read', plan));
      return plan;
    },
  );

  app.get(
    '/filings',
    {
      schema: {
        tags: ['filings'],
        summary: '备案记录',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: Object.keys(FILING_KINDS) },
            year: { type: 'integer', minimum: 2000, maximum: 9999 },
            projectId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: { type: 'array', items: filingSchema }, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { kind?: FilingKind; year?: number; projectId?: string };
      const scope = readScope(p);
      if (scope.kind === 'none') throw problem.forbidden('当前角色不能查阅备案记录');
      const filings = await listFilings(ctx.store.db, {
        tenantId: p.tenantId,
        kind: q.kind,
        year: q.year,
        projectId: q.projectId,
        unitId: scope.kind === 'unit' ? scope.unitId : undefined,
      });
      return filings.map((f) => ({ ...f, kindName: FILING_KINDS[f.kind] }));
    },
  );
}

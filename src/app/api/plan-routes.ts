import { findAnnualPlan, listAnnualPlans, listSupplements } from '../../store/annual-plans.ts';
import { FILING_KINDS, listFilings } from '../../store/filings.ts';
import { decide, readScope } from '../authz.ts';
import { fileAnnualPlanCommand, supplementAnnualPlan } from '../commands/annual-plan.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, actorOf, ensure, principalOf } from './context.ts';
import {
  filingSchema,
  idParam,
  keysOf,
  planBody,
  planDetailSchema,
  planHandedOnSchema,
  planSchema,
  planSupplementBody,
  planSupplementSchema,
  problemResponses,
} from './schemas.ts';

export function registerPlanRoutes(app: ApiApp, ctx: ApiContext): void {
  postAnnualPlans(app, ctx);
  getAnnualPlans(app, ctx);
  getAnnualPlansPlanId(app, ctx);
  postAnnualPlansPlanIdSupplements(app, ctx);
  getFilings(app, ctx);
}

function postAnnualPlans(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/annual-plans',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度信息化规划备案（P-1、G-6）',
        description:
          '年度规划备案进行中时完成本单位该年度的报送/修改任务，交责任科室审核（202）；否则仅责任科室可直接备案（201），经办人 409。',
        body: planBody,
        response: { 201: planSchema, 202: planHandedOnSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const plan = await fileAnnualPlanCommand(ctx, actorOf(request), request.body);
      reply.code('status' in plan ? 202 : 201);
      return plan;
    },
  );
}

function getAnnualPlans(app: ApiApp, ctx: ApiContext): void {
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
      const q = request.query;
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
}

function getAnnualPlansPlanId(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/annual-plans/:planId',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度规划备案详情（含补充备案）',
        params: idParam('planId'),
        response: { 200: planDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { planId } = request.params;
      const plan = await findAnnualPlan(ctx.store.db, p.tenantId, planId);
      if (!plan) throw problem.notFound(`年度规划 ${planId} 不存在或无权查看`);
      ensure(decide(p, 'plan.read', plan));
      return { ...plan, supplements: await listSupplements(ctx.store.db, plan) };
    },
  );
}

function postAnnualPlansPlanIdSupplements(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/annual-plans/:planId/supplements',
    {
      schema: {
        tags: ['annual plans'],
        summary: '年度规划补充备案（P-1、G-6）',
        description: '本单位责任科室对已备案的年度规划报送补充内容，另行编号备案，原备案不变；经办人 403。',
        params: idParam('planId'),
        body: planSupplementBody,
        response: { 201: planSupplementSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const filed = await supplementAnnualPlan(ctx, actorOf(request), request.params.planId, request.body);
      reply.code(201);
      return filed;
    },
  );
}

function getFilings(app: ApiApp, ctx: ApiContext): void {
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
            kind: { type: 'string', enum: keysOf(FILING_KINDS) },
            year: { type: 'integer', minimum: 2000, maximum: 9999 },
            projectId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: { type: 'array', items: filingSchema }, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
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

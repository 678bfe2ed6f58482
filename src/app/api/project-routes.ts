import { bureauDisplayName } from '../../domain/roles.ts';
import type { RuleBook } from '../../domain/rule-editions.ts';
import { amountHistory } from '../../store/project-amounts.ts';
import {
  PROJECT_STAGES,
  type Project,
  projectHistory,
  projectStatistics,
  searchProjects,
} from '../../store/projects.ts';
import { type Principal, projectView, readScope } from '../authz.ts';
import { createDraft, editDraft } from '../commands/drafts.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, actorOf, authorize, principalOf, visibleProject } from './context.ts';
import {
  applicationCheckSchema,
  draftBody,
  draftPatchBody,
  historySchema,
  idParam,
  problemResponses,
  projectSchema,
  projectSearchQuery,
  statisticsSchema,
} from './schemas.ts';

const amountHistorySchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stage: { type: 'string' },
          name: { type: 'string' },
          amount: { type: 'integer' },
          softwareDevCost: { type: ['integer', 'null'] },
          source: { type: 'string' },
          recordedAt: { type: 'string' },
        },
      },
    },
  },
} as const;

/** What a principal sees of a project: the whole record, or Finance's funds-and-status view (SV-2). */
export function present(p: Principal, project: Project, rules: RuleBook) {
  const stageName = PROJECT_STAGES[project.stage];
  // SU-2, SU-4: the Bureau as the project's own edition names it, whatever is in force today
  const edition = rules.ofProject(project);
  const bureauName = bureauDisplayName(edition.bureauName);
  if (projectView(p) === 'funds') {
    return {
      view: 'funds',
      id: project.id,
      tenantId: project.tenantId,
      unitId: project.unitId,
      name: project.name,
      planYear: project.planYear,
      fundingSource: project.fundingSource,
      fundingLines: project.fundingLines,
      serviceLines: project.serviceLines,
      totalInvestment: project.totalInvestment,
      softwareDevCost: project.softwareDevCost,
      category: project.category,
      ruleEdition: project.ruleEdition,
      bureauName,
      stage: project.stage,
      stageName,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
    };
  }
  return { view: 'full', ...project, stageName, bureauName };
}

export function registerProjectRoutes(app: ApiApp, ctx: ApiContext): void {
  postProjects(app, ctx);
  patchProjectsProjectId(app, ctx);
  getProjectsProjectId(app, ctx);
  getProjectsProjectIdAmounts(app, ctx);
  getProjectsProjectIdHistory(app, ctx);
  getProjects(app, ctx);
  getStatistics(app, ctx);
}

function postProjects(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        summary: '新建项目草稿',
        body: draftBody,
        response: {
          201: { type: 'object', properties: { project: projectSchema, check: applicationCheckSchema } },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { project, check } = await createDraft(ctx, actorOf(request), request.body);
      reply.code(201).header('location', `/api/projects/${project.id}`);
      return { project: present(principalOf(request), project, ctx.regulation.rules), check };
    },
  );
}

function patchProjectsProjectId(app: ApiApp, ctx: ApiContext): void {
  app.patch(
    '/projects/:projectId',
    {
      schema: {
        tags: ['projects'],
        summary: '修改项目草稿（仅草稿阶段）',
        params: idParam('projectId'),
        body: draftPatchBody,
        response: {
          200: { type: 'object', properties: { project: projectSchema, check: applicationCheckSchema } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { version, ...changes } = request.body;
      const { projectId } = request.params;
      const { project, check } = await editDraft(ctx, actorOf(request), { projectId, version, changes });
      return { project: present(principalOf(request), project, ctx.regulation.rules), check };
    },
  );
}

function getProjectsProjectId(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects/:projectId',
    {
      schema: {
        tags: ['projects'],
        summary: '项目详情',
        params: idParam('projectId'),
        response: { 200: projectSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      const { p, project } = await visibleProject(ctx, request, projectId);
      return present(p, project, ctx.regulation.rules);
    },
  );
}

function getProjectsProjectIdAmounts(app: ApiApp, ctx: ApiContext): void {
  // SV-2: the amounts as the stages produced them (applied, 造价审定, Finance's, approved, contract) — Finance sees
  // them with the funds view, every reader of the project too (src/store/project-amounts.ts).
  app.get(
    '/projects/:projectId/amounts',
    {
      schema: {
        tags: ['projects'],
        summary: '项目金额记录（申报、造价审定、财政初步安排、批准、合同）',
        params: idParam('projectId'),
        response: { 200: amountHistorySchema, ...problemResponses },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      const { p, project } = await visibleProject(ctx, request, projectId);
      return { items: await amountHistory(ctx.store.db, p.tenantId, project.id) };
    },
  );
}

function getProjectsProjectIdHistory(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects/:projectId/history',
    {
      schema: {
        tags: ['projects'],
        summary: '项目业务记录（草稿、修改、阶段变化）',
        params: idParam('projectId'),
        response: { 200: historySchema, ...problemResponses },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      const { p, project } = await visibleProject(ctx, request, projectId);
      if (projectView(p) === 'funds') {
        throw problem.forbidden('市财政局可查看项目资金和状态（SV-2），修改记录请通过审核任务查阅');
      }
      return projectHistory(ctx.store.db, p.tenantId, project.id);
    },
  );
}

function getProjects(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        summary: '检索项目库',
        querystring: projectSearchQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: projectSchema },
              total: { type: 'integer' },
              page: { type: 'integer' },
              pageSize: { type: 'integer' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const scope = readScope(p);
      if (scope.kind === 'none')
        throw problem.forbidden('当前角色不能检索项目库；请通过分配给您的任务查看项目');
      const result = await searchProjects(ctx.store.db, {
        tenantId: p.tenantId,
        ...(scope.kind === 'unit' ? { scopeUnitId: scope.unitId } : {}),
        unitId: q.unitId,
        category: q.category,
        stage: q.stage,
        planYear: q.planYear,
        text: q.q?.trim() || undefined,
        sort: q.sort,
        order: q.order,
        page: q.page,
        pageSize: q.pageSize,
      });
      return {
        items: result.items.map((x) => present(p, x, ctx.regulation.rules)),
        total: result.total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
}

function getStatistics(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/statistics',
    {
      schema: {
        tags: ['projects'],
        summary: '项目统计：按单位、类别、年度、阶段',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            planYear: { type: 'integer', minimum: 2000, maximum: 9999 },
            unitId: { type: 'string', maxLength: 64 },
            category: { type: 'string', enum: ['public', 'professional'] },
          },
        },
        response: { 200: statisticsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      authorize(request, 'statistics.read', { tenantId: p.tenantId });
      const q = request.query;
      const scope = readScope(p);
      return projectStatistics(ctx.store.db, {
        tenantId: p.tenantId,
        ...(scope.kind === 'unit' ? { scopeUnitId: scope.unitId } : {}),
        planYear: q.planYear,
        unitId: q.unitId,
        category: q.category,
      });
    },
  );
}

// The 项目库 (G-2): create and edit a draft, read a project and its history, search with filters, sorting and
// paging, statistics by Unit, category, year and stage. Drafts are checked with src/domain: the closed vocabulary
// of service lines (G-4), integer amounts, scope (G-3, G-9 refused with the rule's reason), the category (G-5/G-6;
// a project in both categories is refused with the domain's reason) and PRO-1 completeness (reported, required
// only at submission).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import {
  amountsIssues,
  checkApplication,
  classifyProject,
  DomainValidationError,
  type FieldIssue,
  projectAmounts,
  type ServiceLine,
  ZONE,
} from '../../domain/index.ts';
import {
  findProject,
  insertProject,
  nextProjectId,
  PROJECT_STAGES,
  type Project,
  type ProjectContent,
  type ProjectSort,
  projectHistory,
  projectStatistics,
  searchProjects,
  updateDraft,
  VersionConflictError,
} from '../../store/projects.ts';
import { findUnit } from '../../store/units.ts';
import { decide, type Principal, projectView, readScope } from '../authz.ts';
import { problem } from '../problem.ts';
import { type ApiContext, authorize, ensure, principalOf, recordAudit } from './context.ts';
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

interface DraftInput {
  unitId?: string;
  projectName: string;
  description?: string;
  planYear: number;
  fundingSource: string;
  classified: boolean;
  hasDataCatalogue?: boolean;
  supportsIpv6?: boolean;
  serviceLines: ServiceLine[];
}

const COMPLETENESS_FIELDS = new Set(['hasDataCatalogue', 'supportsIpv6']);

/** Checks a draft with the domain rules and derives category, amounts and the rule edition in force (SU-4). */
function buildContent(ctx: ApiContext, input: DraftInput, unitId: string) {
  const check = checkApplication({ ...input, unitId });
  if (check.refusalReason) {
    const field = input.classified ? 'classified' : 'fundingSource';
    throw problem.refused(check.refusalReason, [{ field, reason: check.refusalReason }]);
  }
  const blocking = check.issues.filter((i) => !COMPLETENESS_FIELDS.has(i.field));
  if (blocking.length > 0) throw problem.validation('项目信息有误', blocking);
  let category: ProjectContent['category'];
  try {
    category = classifyProject(input.serviceLines, unitId).category;
  } catch (e) {
    if (e instanceof DomainValidationError) throw problem.refused(e.issues[0]?.reason ?? e.message, e.issues);
    throw e;
  }
  const amounts = projectAmounts(input.serviceLines);
  const amountProblems: FieldIssue[] = amountsIssues(amounts).map((i) => ({
    field: 'serviceLines',
    reason: `合计${i.reason}`,
  }));
  if (amountProblems.length > 0) throw problem.validation('项目金额有误', amountProblems);
  const edition = ctx.regulation.rules.editionAt(ctx.now());
  const content: ProjectContent = {
    unitId,
    name: input.projectName.trim(),
    description: input.description ?? '',
    planYear: input.planYear,
    fundingSource: input.fundingSource,
    classified: input.classified,
    hasDataCatalogue: input.hasDataCatalogue ?? false,
    supportsIpv6: input.supportsIpv6 ?? false,
    serviceLines: input.serviceLines,
    ...amounts,
    category,
    ruleEdition: edition.id,
  };
  return {
    content,
    check: { applicationComplete: check.applicationComplete, missingItems: check.missingItems },
  };
}

/** What a principal sees of a project: the whole record, or Finance's funds-and-status view (SV-2). */
export function present(p: Principal, project: Project) {
  const stageName = PROJECT_STAGES[project.stage];
  if (projectView(p) === 'funds') {
    return {
      view: 'funds',
      id: project.id,
      tenantId: project.tenantId,
      unitId: project.unitId,
      name: project.name,
      planYear: project.planYear,
      fundingSource: project.fundingSource,
      serviceLines: project.serviceLines,
      totalInvestment: project.totalInvestment,
      softwareDevCost: project.softwareDevCost,
      category: project.category,
      ruleEdition: project.ruleEdition,
      stage: project.stage,
      stageName,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
    };
  }
  return { view: 'full', ...project, stageName };
}

/** The project `projectId` as the principal may see it; 404 for another tenant's or an invisible project. */
export async function visibleProject(ctx: ApiContext, request: FastifyRequest, projectId: string) {
  const p = principalOf(request);
  const project = await findProject(ctx.store.db, p.tenantId, projectId);
  if (!project) throw problem.notFound(`项目 ${projectId} 不存在或无权查看`);
  ensure(decide(p, 'project.read', project));
  return { p, project };
}

export function registerProjectRoutes(app: FastifyInstance, ctx: ApiContext): void {
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
      const p = principalOf(request);
      const input = request.body as DraftInput;
      const unitId = input.unitId ?? p.unitId;
      if (!unitId) throw problem.validation('须指定项目所属单位', [{ field: 'unitId', reason: '必填' }]);
      authorize(request, 'project.create', { tenantId: p.tenantId, unitId });
      if (!(await findUnit(ctx.store.db, p.tenantId, unitId))) {
        throw problem.validation('单位不存在', [{ field: 'unitId', reason: `单位 ${unitId} 不存在` }]);
      }
      const { content, check } = buildContent(ctx, input, unitId);
      const now = ctx.now();
      const project = await ctx.store.transaction(async (tx) => {
        const id = await nextProjectId(tx, p.tenantId, DateTime.fromJSDate(now, { zone: ZONE }).year);
        const created = await insertProject(tx, {
          id,
          tenantId: p.tenantId,
          createdBy: p.accountId,
          at: now.toISOString(),
          content,
        });
        await recordAudit(tx, request, ctx, {
          action: 'project.create',
          entityType: 'project',
          entityId: id,
          projectId: id,
          payload: content,
        });
        return created;
      });
      reply.code(201).header('location', `/api/projects/${project.id}`);
      return { project: present(p, project), check };
    },
  );

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
      const { projectId } = request.params as { projectId: string };
      const { p, project } = await visibleProject(ctx, request, projectId);
      ensure(decide(p, 'project.edit', project));
      if (project.stage !== 'draft') {
        throw problem.conflict(`项目处于“${PROJECT_STAGES[project.stage]}”阶段，只有草稿可以修改`);
      }
      const { version, ...changes } = request.body as Partial<DraftInput> & { version: number };
      if (version !== project.version) {
        throw problem.conflict('项目已被他人修改，请刷新后重试', [
          { field: 'version', reason: `当前版本为 ${project.version}` },
        ]);
      }
      const merged: DraftInput = {
        projectName: changes.projectName ?? project.name,
        description: changes.description ?? project.description,
        planYear: changes.planYear ?? project.planYear,
        fundingSource: changes.fundingSource ?? project.fundingSource,
        classified: changes.classified ?? project.classified,
        hasDataCatalogue: changes.hasDataCatalogue ?? project.hasDataCatalogue,
        supportsIpv6: changes.supportsIpv6 ?? project.supportsIpv6,
        serviceLines: changes.serviceLines ?? project.serviceLines,
      };
      const { content, check } = buildContent(ctx, merged, project.unitId);
      const now = ctx.now().toISOString();
      const updated = await ctx.store
        .transaction(async (tx) => {
          const result = await updateDraft(tx, {
            tenantId: p.tenantId,
            id: projectId,
            expectedVersion: version,
            accountId: p.accountId,
            at: now,
            content,
            changes,
          });
          await recordAudit(tx, request, ctx, {
            action: 'project.edit',
            entityType: 'project',
            entityId: projectId,
            projectId,
            payload: { version, changes },
          });
          return result;
        })
        .catch((e: unknown) => {
          if (e instanceof VersionConflictError) throw problem.conflict('项目已被他人修改，请刷新后重试');
          throw e;
        });
      return { project: present(p, updated), check };
    },
  );

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
      const { projectId } = request.params as { projectId: string };
      const { p, project } = await visibleProject(ctx, request, projectId);
      return present(p, project);
    },
  );

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
      const { projectId } = request.params as { projectId: string };
      const { p, project } = await visibleProject(ctx, request, projectId);
      if (projectView(p) === 'funds') {
        throw problem.forbidden('市财政局可查看项目资金和状态（SV-2），修改记录请通过审核任务查阅');
      }
      return projectHistory(ctx.store.db, p.tenantId, project.id);
    },
  );

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
      const q = request.query as {
        unitId?: string;
        category?: Project['category'];
        stage?: Project['stage'];
        planYear?: number;
        q?: string;
        sort: ProjectSort;
        order: 'asc' | 'desc';
        page: number;
        pageSize: number;
      };
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
        items: result.items.map((x) => present(p, x)),
        total: result.total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

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
      const q = request.query as { planYear?: number; unitId?: string; category?: Project['category'] };
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

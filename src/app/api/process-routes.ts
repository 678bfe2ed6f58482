// The routes that start and steer processes for a project or a Unit: submit a project (G-2; starts
// `project-lifecycle` with the project id as correlation key), raise a change, delay or termination filing (IM-8,
// IM-9; a message to the running implementation), request infrastructure (IM-6) or coordination (IM-7), request
// audit materials (SV-3), and the project's timeline (business history merged with the process history).
//
// Nothing is half-done: rules are checked with src/domain before the engine sees anything; the engine command runs
// inside the store transaction that records its audit entry (and the project's new stage), so a refusal by the
// engine leaves no trace but the answer, and a store failure after the engine accepted is compensated.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  checkApplication,
  checkOutOfPlan,
  classifyProject,
  DomainValidationError,
  type FieldIssue,
  type OUT_OF_PLAN_REASONS,
} from '../../domain/index.ts';
import { listAnnualPlans } from '../../store/annual-plans.ts';
import { findProject, PROJECT_STAGES, type Project, projectHistory, setStage } from '../../store/projects.ts';
import type { Conn } from '../../store/store.ts';
import { findUnit } from '../../store/units.ts';
import { decide, type Principal, projectView } from '../authz.ts';
import { ProblemError, problem } from '../problem.ts';
import { type OperableProcessGateway, ProcessEngineError, type Variables } from '../process-gateway.ts';
import { type ApiContext, authorize, ensure, principalOf, recordAudit } from './context.ts';
import { visibleProject } from './project-routes.ts';
import {
  auditRequestBody,
  coordinationRequestBody,
  idParam,
  infrastructureRequestBody,
  problemResponses,
  projectFilingBody,
  projectFilingResponse,
  startedSchema,
  submitBody,
  submitResponse,
  timelineSchema,
} from './schemas.ts';

/** The business tenant of a process that carries no `tenantId` (the yearly campaign's timer start): the city. */
export const DEFAULT_TENANT = 'yunfu';

export function tenantOfVariables(vars: Variables | undefined): string {
  const t = vars?.tenantId;
  return typeof t === 'string' && t !== '' ? t : DEFAULT_TENANT;
}

/** An engine failure as the API answers it: 503 when unreachable or broken, 409 with Camunda's reason otherwise. */
export function engineProblem(e: unknown, what = '该操作'): unknown {
  if (!(e instanceof ProcessEngineError)) return e;
  if (e.status === 0 || e.status >= 500) {
    return new ProblemError(
      503,
      'engine-unavailable',
      `流程引擎暂不可用，${what}未执行，请稍后重试（${e.title}）`,
    );
  }
  return new ProblemError(409, 'engine-refused', `流程引擎拒绝${what}：${e.detail || e.title}`);
}

/** Runs `fn` in a store transaction; an engine failure inside it rolls the transaction back and becomes a problem. */
export async function engineTransaction<T>(
  ctx: ApiContext,
  what: string,
  fn: (tx: Conn) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.store.transaction(fn);
  } catch (e) {
    throw engineProblem(e, what);
  }
}

/** Locks the project's row until the transaction ends (PostgreSQL; SQLite's writer lock is already exclusive). */
async function lockedProject(tx: Conn, tenantId: string, id: string): Promise<Project | undefined> {
  if (tx.dialect === 'postgres') {
    await tx.db
      .selectFrom('projects')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .execute();
  }
  return findProject(tx.db as Parameters<typeof findProject>[0], tenantId, id);
}

type InitiationRoute = 'professional' | 'public' | 'out-of-plan';

interface SubmitInput {
  outOfPlan?: { reason: keyof typeof OUT_OF_PLAN_REASONS; justification: string };
}

/** The rules a submission must pass before the engine sees it (G-3, G-9, PRO-1, G-4..G-6, EMG-1). */
function checkSubmission(project: Project, input: SubmitInput): void {
  const check = checkApplication({ ...project, projectName: project.name });
  if (check.refusalReason) {
    const field = project.classified ? 'classified' : 'fundingSource';
    throw problem.refused(check.refusalReason, [{ field, reason: check.refusalReason }]);
  }
  if (!check.applicationComplete) {
    throw problem.refused(`申请材料不完整，不能提交：${check.missingItems.join('；')}`, check.issues);
  }
  try {
    classifyProject(project.serviceLines, project.unitId);
  } catch (e) {
    if (e instanceof DomainValidationError) throw problem.refused(e.issues[0]?.reason ?? e.message, e.issues);
    throw e;
  }
  if (input.outOfPlan) {
    const oop = checkOutOfPlan({ outOfPlanReason: input.outOfPlan.reason });
    if (!oop.eligible) throw problem.refused('计划外立项理由不符合 EMG-1', oop.issues);
  }
}

const FILINGS = {
  change: {
    message: 'project-change-filed',
    name: '重大变更备案',
    clause: 'IM-8',
    required: ['changeDescription', 'changeReason'],
  },
  delay: {
    message: 'project-delay-filed',
    name: '延期交付备案',
    clause: 'IM-8',
    required: ['delayReason', 'requestedDeliveryDate'],
  },
  termination: {
    message: 'project-termination-filed',
    name: '终止合同备案',
    clause: 'IM-9',
    required: ['terminationReason'],
  },
} as const;
type FilingRequestKind = keyof typeof FILINGS;

/** Stages in which no implementation can be waiting for a filing: refused without asking the engine. */
const NO_IMPLEMENTATION: ReadonlySet<string> = new Set([
  'draft',
  'refused',
  'rejected',
  'closed',
  'terminated',
]);

/** The process variables of a project, as the lifecycle receives them on submission (also used by the demo data set). */
export function projectVariables(project: Project, unitName: string, tenantId: string): Variables {
  return {
    projectId: project.id,
    tenantId,
    unitId: project.unitId,
    unitName,
    projectName: project.name,
    planSummary: project.description,
    planYear: project.planYear,
    fundingSource: project.fundingSource,
    classified: project.classified,
    hasDataCatalogue: project.hasDataCatalogue,
    supportsIpv6: project.supportsIpv6,
    serviceLines: project.serviceLines,
    totalInvestment: project.totalInvestment,
    softwareDevCost: project.softwareDevCost,
  };
}

const TIMELINE_TITLES: Record<string, (name: string) => string> = {
  'element-activated': (n) => `${n}：开始`,
  'element-completed': (n) => `${n}：完成`,
  'timer-fired': (n) => `${n}（到期触发）`,
  'message-correlated': (n) => `${n}（已收到）`,
  incident: (n) => `${n}：出现故障，待管理员处理`,
};

const BUSINESS_TITLES: Record<string, string> = {
  created: '创建项目草稿',
  edited: '修改项目草稿',
};

export function registerProcessRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  gateway: OperableProcessGateway,
): void {
  const startFor = async (
    request: FastifyRequest,
    p: Principal,
    e: {
      processId: string;
      businessKey: string;
      variables: Variables;
      action: string;
      entityType: string;
      projectId?: string | null;
      what: string;
    },
  ) =>
    engineTransaction(ctx, e.what, async (tx) => {
      const started = await gateway.startProcess(e.processId, e.businessKey, e.variables, p.tenantId);
      try {
        await recordAudit(tx, request, ctx, {
          action: e.action,
          entityType: e.entityType,
          entityId: e.businessKey,
          projectId: e.projectId ?? null,
          payload: {
            processInstanceKey: started.processInstanceKey,
            processId: e.processId,
            variables: e.variables,
          },
        });
      } catch (err) {
        await compensate(request, started.processInstanceKey);
        throw err;
      }
      return started;
    });

  /** The store failed after the engine started an instance: cancel it, so nothing runs that the store lacks. */
  const compensate = async (request: FastifyRequest, processInstanceKey: string) => {
    await gateway
      .cancelProcessInstance(processInstanceKey)
      .catch((e: unknown) =>
        request.log.error(
          { processInstanceKey, err: e },
          'could not cancel a process instance whose start was not recorded; cancel it in operations',
        ),
      );
  };

  app.post(
    '/projects/:projectId/submit',
    {
      schema: {
        tags: ['processes'],
        summary: '提交立项申请（启动项目全生命周期流程）',
        params: idParam('projectId'),
        body: submitBody,
        response: { 201: submitResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params as { projectId: string };
      const input = (request.body ?? {}) as SubmitInput;
      const { p, project } = await visibleProject(ctx, request, projectId);
      ensure(decide(p, 'project.submit', project));
      if (project.stage !== 'draft') {
        throw problem.conflict(`项目处于“${PROJECT_STAGES[project.stage]}”阶段，只有草稿可以提交`);
      }
      checkSubmission(project, input);
      const unit = await findUnit(ctx.store.db, p.tenantId, project.unitId);
      const unitName = unit?.name ?? project.unitId;
      const route: InitiationRoute = input.outOfPlan
        ? 'out-of-plan'
        : project.category === 'public'
          ? 'public'
          : 'professional';
      const [plan] = await listAnnualPlans(ctx.store.db, {
        tenantId: p.tenantId,
        unitId: project.unitId,
        planYear: project.planYear,
      });
      const now = ctx.now().toISOString();
      const variables: Variables = {
        ...projectVariables(project, unitName, p.tenantId),
        initiationRoute: route,
        initiatedAt: now,
        annualPlanFilingNumber: plan?.filingNumber ?? null,
        outOfPlan: route === 'out-of-plan',
        ...(input.outOfPlan
          ? { outOfPlanReason: input.outOfPlan.reason, outOfPlanJustification: input.outOfPlan.justification }
          : {}),
        // PUB-1: a public project collects the needs of its Units; a Unit's own submission names itself.
        ...(route === 'public' ? { units: [{ unitId: project.unitId, unitName }] } : {}),
      };

      const started = await engineTransaction(ctx, '启动立项流程', async (tx) => {
        const current = await lockedProject(tx, p.tenantId, projectId);
        if (current?.stage !== 'draft') {
          throw problem.conflict('项目已被提交，请刷新后查看');
        }
        const s = await gateway.startProcess('project-lifecycle', projectId, variables, p.tenantId);
        try {
          await setStage(tx, {
            tenantId: p.tenantId,
            id: projectId,
            stage: 'submitted',
            accountId: p.accountId,
            at: now,
            processInstanceKey: s.processInstanceKey,
            note: { stage: 'submitted', processInstanceKey: s.processInstanceKey, initiationRoute: route },
          });
          await recordAudit(tx, request, ctx, {
            action: 'project.submit',
            entityType: 'project',
            entityId: projectId,
            projectId,
            payload: { processInstanceKey: s.processInstanceKey, initiationRoute: route, variables },
          });
        } catch (e) {
          await compensate(request, s.processInstanceKey);
          throw e;
        }
        return s;
      });
      request.log.info(
        { projectId, processInstanceKey: started.processInstanceKey, initiationRoute: route },
        'project submitted',
      );
      const updated = (await findProject(ctx.store.db, p.tenantId, projectId))!;
      reply.code(201);
      return {
        project: { view: 'full', ...updated, stageName: PROJECT_STAGES[updated.stage] },
        processInstanceKey: started.processInstanceKey,
        initiationRoute: route,
      };
    },
  );

  app.post(
    '/projects/:projectId/filings',
    {
      schema: {
        tags: ['processes'],
        summary: '重大变更、延期交付、终止合同备案（IM-8、IM-9，仅实施阶段）',
        params: idParam('projectId'),
        body: projectFilingBody,
        response: { 202: projectFilingResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params as { projectId: string };
      const body = request.body as { kind: FilingRequestKind } & Record<string, string | undefined>;
      const { p, project } = await visibleProject(ctx, request, projectId);
      ensure(decide(p, 'project.file', project));
      const spec = FILINGS[body.kind];
      const missing: FieldIssue[] = spec.required
        .filter((f) => body[f] === undefined)
        .map((field) => ({ field, reason: `${spec.name}必填` }));
      const foreign = Object.keys(body).filter(
        (k) => k !== 'kind' && !(spec.required as readonly string[]).includes(k),
      );
      for (const field of foreign) missing.push({ field, reason: `${spec.name}不需要此字段` });
      if (missing.length > 0) throw problem.validation(`${spec.name}信息有误`, missing);
      const refused = `项目处于“${PROJECT_STAGES[project.stage]}”阶段，没有正在实施的流程，不能办理${spec.name}（${spec.clause}：仅在项目实施期间办理）`;
      if (!project.processInstanceKey || NO_IMPLEMENTATION.has(project.stage))
        throw problem.conflict(refused);

      const variables: Variables = { filedBy: p.accountId, filedAt: ctx.now().toISOString() };
      for (const f of spec.required) variables[f] = body[f];
      const correlated = await engineTransaction(ctx, `办理${spec.name}`, async (tx) => {
        await recordAudit(tx, request, ctx, {
          action: `project.${body.kind}-filing`,
          entityType: 'project',
          entityId: projectId,
          projectId,
          payload: { kind: body.kind, message: spec.message, variables },
        });
        // Correlation, not publication: only it tells whether an implementation is waiting (IM-8 applies only
        // while the project is being implemented). A refusal rolls the audit entry back.
        const r = await gateway.correlateMessage(spec.message, projectId, variables, p.tenantId);
        if (!r) {
          throw problem.conflict(
            `项目当前不在实施阶段，不能办理${spec.name}（${spec.clause}：仅在项目实施期间办理）`,
          );
        }
        return r;
      });
      request.log.info(
        { projectId, processInstanceKey: correlated.processInstanceKey, message: spec.message },
        'filing raised',
      );
      reply.code(202);
      return {
        kind: body.kind,
        message: `${spec.name}已提交，等待市政务服务数据管理局登记`,
        projectId,
        processInstanceKey: correlated.processInstanceKey,
      };
    },
  );

  app.post(
    '/infrastructure-requests',
    {
      schema: {
        tags: ['processes'],
        summary: '基础设施服务申请（IM-6）',
        body: infrastructureRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      authorize(request, 'request.create', { tenantId: p.tenantId, unitId: p.unitId });
      const body = request.body as { requestedService: string; requestedSpecification: string };
      const unit = await findUnit(ctx.store.db, p.tenantId, p.unitId as string);
      const requestId = `IR-${randomUUID()}`;
      const started = await startFor(request, p, {
        processId: 'infrastructure-service-request',
        businessKey: requestId,
        variables: {
          requestId,
          tenantId: p.tenantId,
          unitId: p.unitId,
          unitName: unit?.name ?? p.unitId,
          requestedService: body.requestedService,
          requestedSpecification: body.requestedSpecification,
        },
        action: 'infrastructure-request.create',
        entityType: 'infrastructure-request',
        what: '受理基础设施服务申请',
      });
      reply.code(201);
      return { ...started, requestId, projectId: null };
    },
  );

  app.post(
    '/coordination-requests',
    {
      schema: {
        tags: ['processes'],
        summary: '重大问题协调需求（IM-7）',
        body: coordinationRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as {
        coordinationSubject: string;
        coordinationDescription: string;
        projectId?: string;
      };
      authorize(request, 'request.create', { tenantId: p.tenantId, unitId: p.unitId });
      let projectName: string | null = null;
      if (body.projectId) {
        const { project } = await visibleProject(ctx, request, body.projectId);
        ensure(decide(p, 'request.create', project));
        projectName = project.name;
      }
      const unit = await findUnit(ctx.store.db, p.tenantId, p.unitId as string);
      const requestId = `CR-${randomUUID()}`;
      const started = await startFor(request, p, {
        processId: 'coordination-request',
        businessKey: requestId,
        variables: {
          requestId,
          tenantId: p.tenantId,
          unitId: p.unitId,
          unitName: unit?.name ?? p.unitId,
          coordinationSubject: body.coordinationSubject,
          coordinationDescription: body.coordinationDescription,
          ...(body.projectId ? { projectId: body.projectId, projectName } : {}),
        },
        action: 'coordination-request.create',
        entityType: 'coordination-request',
        projectId: body.projectId ?? null,
        what: '受理重大问题协调需求',
      });
      reply.code(201);
      return { ...started, requestId, projectId: body.projectId ?? null };
    },
  );

  app.post(
    '/audit-requests',
    {
      // SV-3: Audit's own request; it changes no project data, so the read-only role may send it.
      config: { allowReadOnly: true },
      schema: {
        tags: ['processes'],
        summary: '审计资料调取（SV-3）',
        body: auditRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as { projectId: string; requestedMaterials: string };
      const { p, project } = await visibleProject(ctx, request, body.projectId);
      ensure(decide(p, 'audit-request.create', project));
      const unit = await findUnit(ctx.store.db, p.tenantId, project.unitId);
      const auditRequestId = `AR-${randomUUID()}`;
      const started = await startFor(request, p, {
        processId: 'audit-request',
        businessKey: auditRequestId,
        variables: {
          auditRequestId,
          tenantId: p.tenantId,
          projectId: project.id,
          projectName: project.name,
          unitId: project.unitId,
          unitName: unit?.name ?? project.unitId,
          requestedMaterials: body.requestedMaterials,
        },
        action: 'audit-request.create',
        entityType: 'audit-request',
        projectId: project.id,
        what: '发起审计资料调取',
      });
      reply.code(201);
      return { ...started, requestId: auditRequestId, projectId: project.id };
    },
  );

  app.get(
    '/projects/:projectId/timeline',
    {
      schema: {
        tags: ['processes'],
        summary: '项目时间线：业务记录与流程历史',
        params: idParam('projectId'),
        response: { 200: timelineSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { projectId } = request.params as { projectId: string };
      const { p, project } = await visibleProject(ctx, request, projectId);
      // SV-2: Finance follows funds and status — the steps, not the content of each change.
      const fundsOnly = projectView(p) === 'funds';
      const items: Array<Record<string, unknown>> = (
        await projectHistory(ctx.store.db, p.tenantId, project.id)
      ).map((h) => ({
        at: h.at,
        source: 'business',
        kind: h.action,
        title:
          BUSINESS_TITLES[h.action] ??
          `项目阶段：${(PROJECT_STAGES as Record<string, string>)[h.stage] ?? h.stage}`,
        stage: h.stage,
        accountId: h.accountId,
        ...(fundsOnly ? {} : { changes: h.changes }),
      }));
      let available = true;
      if (project.processInstanceKey) {
        try {
          for (const e of await gateway.processHistory(project.processInstanceKey)) {
            const name = e.elementName ?? e.elementId;
            items.push({
              at: e.at,
              source: 'process',
              kind: e.kind,
              title: (TIMELINE_TITLES[e.kind] ?? ((n: string) => n))(name),
              elementId: e.elementId,
              ...(e.elementType ? { elementType: e.elementType } : {}),
              ...(e.processDefinitionId ? { processDefinitionId: e.processDefinitionId } : {}),
              processInstanceKey: e.processInstanceKey,
              ...(e.detail ? { detail: e.detail } : {}),
            });
          }
        } catch (e) {
          if (!(e instanceof ProcessEngineError)) throw e;
          request.log.warn(
            { projectId, processInstanceKey: project.processInstanceKey, err: e.message },
            'process history not available',
          );
          available = false;
        }
      }
      // Stable: business records first within one instant (the submission precedes what it started).
      const order = (x: Record<string, unknown>) => (x.source === 'business' ? 0 : 1);
      items.sort((a, b) => Date.parse(String(a.at)) - Date.parse(String(b.at)) || order(a) - order(b));
      return {
        projectId,
        processInstanceKey: project.processInstanceKey,
        processHistoryAvailable: available,
        items,
      };
    },
  );
}

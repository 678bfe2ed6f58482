// Submit a project (G-2): the rules a submission must pass (G-3, G-9, PRO-1, G-4..G-6, EMG-1), then the project's
// lifecycle is started in the engine with the project id as correlation key. No store transaction is held across
// the engine call:
//   1. the intent is recorded in its own transaction (src/store/submission-intents.ts), which also refuses a second
//      concurrent submission of the same project;
//   2. the engine starts `project-lifecycle`, outside any transaction, with the intent's id as `submissionId`;
//   3. a second transaction moves the project to `submitted` with the instance key, writes the audit entry and
//      settles the intent. A refusal settles the intent as refused (the project stays a draft, nothing audited); a
//      store failure after the engine started cancels that instance (compensation).
import { randomUUID } from 'node:crypto';
import {
  checkApplication,
  checkOutOfPlan,
  classifyProject,
  DomainValidationError,
  fundingSummary,
  involvesNationalFunds,
  type OUT_OF_PLAN_REASONS,
  PUBLIC_NEED_ROUTE,
  type RuleEdition,
  supervisionLineIssue,
} from '../../domain/index.ts';
import { listAnnualPlans } from '../../store/annual-plans.ts';
import { findProject, PROJECT_STAGES, type Project, recordSubmission } from '../../store/projects.ts';
import {
  recordSubmissionIntent,
  SubmissionPendingError,
  settleSubmissionIntent,
} from '../../store/submission-intents.ts';
import { findUnit } from '../../store/units.ts';
import { auditRole, decide } from '../authz.ts';
import { problem } from '../problem.ts';
import { ProcessEngineError, type StartedProcess, type Variables } from '../process-gateway.ts';
import {
  type Actor,
  audit,
  type CommandContext,
  engineProblem,
  ensure,
  gatewayOf,
  isUncertain,
  lockedProject,
  visibleProject,
} from './context.ts';

export type InitiationRoute = 'professional' | 'public' | 'out-of-plan';

export interface SubmitInput {
  projectId: string;
  outOfPlan?: { reason: keyof typeof OUT_OF_PLAN_REASONS; justification: string };
}

export interface Submitted {
  project: Project;
  processInstanceKey: string;
  initiationRoute: InitiationRoute;
  submissionId: string;
}

const LIFECYCLE = 'project-lifecycle';
const WHAT = '启动立项流程';

/** The process variables of a project, as the lifecycle receives them on submission. */
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
    // G-3: the funding lines, shown to Finance and the City Government where they decide; IM-1: national funds
    // route the lifecycle through the Bureau's coordination with the national side.
    fundingLines: project.fundingLines,
    fundingSummary: fundingSummary(project.fundingLines),
    involvesNationalFunds: involvesNationalFunds(project.fundingLines),
    classified: project.classified,
    hasDataCatalogue: project.hasDataCatalogue,
    supportsIpv6: project.supportsIpv6,
    serviceLines: project.serviceLines,
    totalInvestment: project.totalInvestment,
    softwareDevCost: project.softwareDevCost,
  };
}

/**
 * The rules a submission must pass before the engine sees it (G-3, G-9, PRO-1, G-4..G-6, EMG-1, and IM-3's 监理 cost
 * inside the total investment at the edition's `supervisionThreshold`; G-3 by the edition's `fundingScope`).
 */
export function checkSubmission(
  project: Project,
  input: Pick<SubmitInput, 'outOfPlan'>,
  edition: Pick<RuleEdition, 'supervisionThreshold' | 'fundingScope'>,
): void {
  const check = checkApplication(
    { ...project, projectName: project.name },
    { fundingScope: edition.fundingScope },
  );
  if (check.refusalReason) {
    const field = project.classified ? 'classified' : 'fundingLines';
    throw problem.refused(check.refusalReason, [{ field, reason: check.refusalReason }]);
  }
  if (!check.applicationComplete) {
    throw problem.refused(`申请材料不完整，不能提交：${check.missingItems.join('；')}`, check.issues);
  }
  let category: string;
  try {
    category = classifyProject(project.serviceLines, project.unitId).category;
  } catch (e) {
    if (e instanceof DomainValidationError) throw problem.refused(e.issues[0]?.reason ?? e.message, e.issues);
    throw e;
  }
  // G-5, PUB-1: a 公共类 draft kept from before is refused too; its need belongs to the Bureau's collection.
  if (category === 'public') {
    throw problem.refused(PUBLIC_NEED_ROUTE, [{ field: 'serviceLines', reason: PUBLIC_NEED_ROUTE }]);
  }
  // IM-3: 监理 is required from the threshold on, and its cost is part of the total investment: a line of its own
  const supervision = supervisionLineIssue(project.serviceLines, edition.supervisionThreshold);
  if (supervision) throw problem.refused(supervision.reason, [supervision]);
  if (input.outOfPlan) {
    const oop = checkOutOfPlan({ outOfPlanReason: input.outOfPlan.reason });
    if (!oop.eligible) throw problem.refused('计划外立项理由不符合 EMG-1', oop.issues);
  }
}

function routeOf(project: Project, input: SubmitInput): InitiationRoute {
  if (input.outOfPlan) return 'out-of-plan';
  return project.category === 'public' ? 'public' : 'professional';
}

async function submissionVariables(
  ctx: CommandContext,
  project: Project,
  input: SubmitInput,
  route: InitiationRoute,
  submissionId: string,
): Promise<Variables> {
  const tenantId = project.tenantId;
  const unitName = (await findUnit(ctx.store.db, tenantId, project.unitId))?.name ?? project.unitId;
  const [plan] = await listAnnualPlans(ctx.store.db, {
    tenantId,
    unitId: project.unitId,
    planYear: project.planYear,
  });
  return {
    ...projectVariables(project, unitName, tenantId),
    initiationRoute: route,
    initiatedAt: ctx.now().toISOString(),
    annualPlanFilingNumber: plan?.filingNumber ?? null,
    outOfPlan: route === 'out-of-plan',
    ...(input.outOfPlan
      ? { outOfPlanReason: input.outOfPlan.reason, outOfPlanJustification: input.outOfPlan.justification }
      : {}),
    submissionId,
  };
}

export async function submitProject(
  ctx: CommandContext,
  actor: Actor,
  input: SubmitInput,
): Promise<Submitted> {
  gatewayOf(ctx); // 503 before any check when no engine is configured
  const p = actor.principal;
  const project = await visibleProject(ctx, p, input.projectId);
  ensure(decide(p, 'project.submit', project));
  if (project.stage !== 'draft') {
    throw problem.conflict(`项目处于“${PROJECT_STAGES[project.stage]}”阶段，只有草稿可以提交`);
  }
  checkSubmission(project, input, ctx.regulation.rules.editionAt(ctx.now(), project.tenantId));
  const route = routeOf(project, input);
  const submissionId = randomUUID();
  const variables = await submissionVariables(ctx, project, input, route, submissionId);

  await recordIntent(ctx, actor, { project, route, submissionId, variables });
  const started = await startLifecycle(ctx, submissionId, project, variables);
  try {
    await ctx.store.transaction(async (tx) => {
      const at = ctx.now().toISOString();
      await recordSubmission(tx, {
        tenantId: p.tenantId,
        id: project.id,
        accountId: p.accountId,
        at,
        processInstanceKey: started.processInstanceKey,
        note: { stage: 'submitted', processInstanceKey: started.processInstanceKey, initiationRoute: route },
      });
      await audit(tx, ctx, actor, {
        action: 'project.submit',
        entityType: 'project',
        entityId: project.id,
        projectId: project.id,
        payload: { processInstanceKey: started.processInstanceKey, initiationRoute: route, variables },
      });
      await settleSubmissionIntent(tx, {
        id: submissionId,
        state: 'started',
        at,
        processInstanceKey: started.processInstanceKey,
      });
    });
  } catch (e) {
    await compensateStart(ctx, actor, submissionId, started.processInstanceKey);
    throw e;
  }
  actor.log.info(
    { projectId: project.id, processInstanceKey: started.processInstanceKey, initiationRoute: route },
    'project submitted',
  );
  const updated = (await findProject(ctx.store.db, p.tenantId, project.id))!;
  return {
    project: updated,
    processInstanceKey: started.processInstanceKey,
    initiationRoute: route,
    submissionId,
  };
}

/** Step 1: the intent, in its own transaction; a concurrent submission of the same project is refused here. */
async function recordIntent(
  ctx: CommandContext,
  actor: Actor,
  e: { project: Project; route: InitiationRoute; submissionId: string; variables: Variables },
): Promise<void> {
  const p = actor.principal;
  await ctx.store
    .transaction(async (tx) => {
      const current = await lockedProject(tx, p.tenantId, e.project.id);
      if (current?.stage !== 'draft') throw problem.conflict('项目已被提交，请刷新后查看');
      await recordSubmissionIntent(tx, {
        id: e.submissionId,
        tenantId: p.tenantId,
        projectId: e.project.id,
        accountId: p.accountId,
        role: auditRole(p),
        requestId: actor.requestId,
        processId: LIFECYCLE,
        initiationRoute: e.route,
        variables: e.variables,
        createdAt: ctx.now().toISOString(),
      });
    })
    .catch((err: unknown) => {
      if (err instanceof SubmissionPendingError) throw problem.conflict('项目已被提交，请刷新后查看');
      throw err;
    });
}

/** Step 2: the engine call, outside any transaction; a failure settles the intent and becomes a problem. */
async function startLifecycle(
  ctx: CommandContext,
  submissionId: string,
  project: Project,
  variables: Variables,
): Promise<StartedProcess> {
  try {
    return await gatewayOf(ctx).startProcess(LIFECYCLE, project.id, variables, project.tenantId);
  } catch (e) {
    const state = e instanceof ProcessEngineError && !isUncertain(e) ? 'refused' : 'uncertain';
    await ctx.store.transaction((tx) =>
      settleSubmissionIntent(tx, {
        id: submissionId,
        state,
        at: ctx.now().toISOString(),
        error: e instanceof Error ? e.message : String(e),
      }),
    );
    throw engineProblem(e, WHAT);
  }
}

/** The store failed after the engine started an instance: cancel it, so nothing runs that the store lacks. */
async function compensateStart(
  ctx: CommandContext,
  actor: Actor,
  submissionId: string,
  processInstanceKey: string,
): Promise<void> {
  try {
    await gatewayOf(ctx).cancelProcessInstance(processInstanceKey);
    await ctx.store.transaction((tx) =>
      settleSubmissionIntent(tx, {
        id: submissionId,
        state: 'compensated',
        at: ctx.now().toISOString(),
        processInstanceKey,
      }),
    );
  } catch (err) {
    // The intent stays pending: the start-up reconciler finds the instance by `submissionId` and cancels it.
    actor.log.error(
      { processInstanceKey, submissionId, err },
      'could not cancel a process instance whose start was not recorded; cancel it in operations',
    );
  }
}

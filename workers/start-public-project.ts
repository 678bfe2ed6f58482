// yunfu.start-public-project — PUB-1, G-5, G-2: a public project the Bureau consolidated from a needs collection
// enters the 项目库 (category 公共类, owned by the Unit whose need it answers; every step is the Bureau's) and its
// lifecycle starts, the public initiation going on from 组织论证 (PUB-2..PUB-4). The same two-step as a Unit's
// submission (src/app/commands/submit.ts), so a crash between them is repaired the same way:
//   1. one transaction, once per job: the project row and its submission intent (`submissionId`);
//   2. the lifecycle starts outside any transaction, with `submissionId` among its variables; a second transaction
//      records the instance key and settles the intent. A job that runs again finds the intent settled and starts
//      nothing; one that crashed between start and settle is settled by the start-up reconciler, which finds the
//      instance by `submissionId`.
// Lines that are not all 公共类 are the Bureau's to adjust: a BPMN error back to the consolidation, with the reason.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { JobVariables, WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { bpmnError, complete, fail } from '../src/camunda/worker-runtime.ts';
import {
  amountsIssues,
  classifyProject,
  DomainValidationError,
  projectAmounts,
  type ServiceLine,
  ZONE,
} from '../src/domain/index.ts';
import {
  findProject,
  insertProject,
  nextProjectId,
  type ProjectContent,
  recordSubmission,
} from '../src/store/projects.ts';
import type { Conn, Store } from '../src/store/store.ts';
import {
  recordSubmissionIntent,
  settleSubmissionIntent,
  submissionIntentsOf,
} from '../src/store/submission-intents.ts';
import { findUnit } from '../src/store/units.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { optionalString, requireInteger, requireString } from './variables.ts';

export const NOT_PUBLIC = 'yunfu.not-public';
const LIFECYCLE = 'project-lifecycle';

/** The reason the lines cannot form a 公共类 project, or null when they can. */
function notPublicReason(lines: unknown, unitId: string): string | null {
  try {
    const { category } = classifyProject(lines, unitId);
    if (category !== 'public') {
      return '服务内容属专业类，应由单位按专业类流程申报（G-6）；公共类项目只能包含基础设施、公共支撑平台、通用软件及其相关服务（G-5）';
    }
  } catch (e) {
    if (e instanceof DomainValidationError) return e.issues.map((i) => i.reason).join('；');
    throw e;
  }
  const issues = amountsIssues(projectAmounts(lines as ServiceLine[]));
  return issues.length > 0 ? issues.map((i) => `合计${i.reason}`).join('；') : null;
}

interface Consolidated {
  tenantId: string;
  unitId: string;
  unitName: string;
  content: ProjectContent;
  openedBy: string;
  lifecycle: Record<string, unknown>;
}

function consolidated(deps: StoreWorkerDeps, vars: JobVariables, unitName: string, at: string): Consolidated {
  const tenantId = tenantOf(vars);
  const unitId = requireString(vars, 'leadUnitId');
  const lines = vars.serviceLines as ServiceLine[];
  const amounts = projectAmounts(lines);
  const content: ProjectContent = {
    unitId,
    name: requireString(vars, 'projectName').trim(),
    description: optionalString(vars, 'planSummary') ?? '',
    planYear: requireInteger(vars, 'planYear'),
    fundingSource: 'city-fiscal',
    // G-3: a public project the Bureau consolidates is funded by the city alone
    fundingLines: [{ source: 'city-fiscal', amount: amounts.totalInvestment }],
    classified: false,
    // PRO-1, AC-2: the Bureau states them in the consolidation, as a Unit does in its application.
    hasDataCatalogue: vars.hasDataCatalogue === true,
    supportsIpv6: vars.supportsIpv6 === true,
    serviceLines: lines,
    ...amounts,
    category: 'public',
    ruleEdition: deps.regulation.rules.editionAt(Date.parse(at), tenantId).id,
  };
  const needs = Array.isArray(vars.unitNeeds) ? (vars.unitNeeds as Array<{ unitId?: unknown }>) : [];
  return {
    tenantId,
    unitId,
    unitName,
    content,
    openedBy: requireString(vars, 'openedBy'),
    lifecycle: {
      tenantId,
      unitId,
      unitName,
      projectName: content.name,
      planSummary: content.description,
      planYear: content.planYear,
      fundingSource: content.fundingSource,
      classified: false,
      hasDataCatalogue: content.hasDataCatalogue,
      supportsIpv6: content.supportsIpv6,
      serviceLines: lines,
      totalInvestment: content.totalInvestment,
      softwareDevCost: content.softwareDevCost,
      initiationRoute: 'public',
      initiatedAt: at,
      annualPlanFilingNumber: null,
      outOfPlan: false,
      needsCollectionId: requireString(vars, 'needsCollectionId'),
      // PUB-3, PUB-4: the Unit whose need this project answers is told the outcome (recipients requesting-units).
      unitNeeds: needs.filter((n) => n.unitId === unitId),
    },
  };
}

type StartProcess = NonNullable<StoreWorkerDeps['startProcess']>;

/** The submission intent of the project's lifecycle: its variables carry the intent's id as `submissionId`. */
async function recordIntent(tx: Conn, c: Consolidated, projectId: string, at: string): Promise<void> {
  const submissionId = randomUUID();
  await recordSubmissionIntent(tx, {
    id: submissionId,
    tenantId: c.tenantId,
    projectId,
    accountId: c.openedBy,
    role: 'bureau-admin',
    requestId: null,
    processId: LIFECYCLE,
    initiationRoute: 'public',
    variables: { ...c.lifecycle, projectId, submissionId },
    createdAt: at,
  });
}

/**
 * Starts the lifecycle unless the project has one: with its pending intent, or a new one when the start-up
 * reconciler abandoned the last (no instance was found for it), then records the key and settles the intent.
 */
async function ensureStarted(
  store: Store,
  startProcess: StartProcess,
  c: Consolidated,
  projectId: string,
  at: string,
): Promise<void> {
  const project = await findProject(store.db, c.tenantId, projectId);
  if (!project || project.processInstanceKey) return;
  const pending = async () =>
    (await submissionIntentsOf(store.db, c.tenantId, projectId)).find((i) => i.state === 'pending');
  let intent = await pending();
  if (!intent) {
    await store.transaction((tx) => recordIntent(tx, c, projectId, at));
    intent = (await pending())!;
  }
  const started = await startProcess(LIFECYCLE, intent.variables, c.tenantId);
  await store.transaction(async (tx) => {
    await recordSubmission(tx, {
      tenantId: c.tenantId,
      id: projectId,
      accountId: c.openedBy,
      at,
      processInstanceKey: started.processInstanceKey,
      note: {
        stage: 'submitted',
        processInstanceKey: started.processInstanceKey,
        initiationRoute: 'public',
        needsCollectionId: c.lifecycle.needsCollectionId,
      },
    });
    await settleSubmissionIntent(tx, {
      id: intent.id,
      state: 'started',
      at,
      processInstanceKey: started.processInstanceKey,
    });
  });
}

export function startPublicProjectWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.start-public-project',
    fetchVariables: [
      'tenantId',
      'needsCollectionId',
      'openedBy',
      'planYear',
      'leadUnitId',
      'projectName',
      'planSummary',
      'serviceLines',
      'hasDataCatalogue',
      'supportsIpv6',
      'unitNeeds',
    ],
    handler: async (vars, job) => {
      const unitId = requireString(vars, 'leadUnitId');
      const reason = notPublicReason(vars.serviceLines, unitId);
      if (reason) return bpmnError(NOT_PUBLIC, reason, { consolidationIssue: reason });
      const startProcess = deps.startProcess;
      if (!startProcess) return fail('工作者未配置启动流程的客户端（startProcess），无法启动公共类项目', 0);
      const tenantId = tenantOf(vars);
      const unit = await findUnit(deps.store.db, tenantId, unitId);
      if (!unit) return fail(`单位 ${unitId} 不存在（leadUnitId）`, 0);
      const at = new Date(deps.now()).toISOString();
      const c = consolidated(deps, vars, unit.name, at);
      const first = await once(deps.store, job, tenantId, at, async (tx) => {
        const projectId = await nextProjectId(tx, tenantId, DateTime.fromISO(at, { zone: ZONE }).year);
        await insertProject(tx, { id: projectId, tenantId, createdBy: c.openedBy, at, content: c.content });
        await recordIntent(tx, c, projectId, at);
        return { projectId };
      });
      const projectId = String(first.projectId);
      await ensureStarted(deps.store, startProcess, c, projectId, at);
      return complete({ projectId });
    },
  };
}

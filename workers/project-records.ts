// The store-writing steps around a project: the evaluation record (SV-1, SV-2), the audit material package (SV-3),
// the final stage. (The numbered 立项审批意见, PRO-3, is workers/approval-opinion.ts.)
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { JobContext, JobOutcome, WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import { filingDeadline, ZONE } from '../src/domain/index.ts';
import { projectAuditArchive } from '../src/store/audit-export.ts';
import { canonicalJson, sha256Hex } from '../src/store/canonical-json.ts';
import { DECIDED_AMOUNT_VARIABLES, recordDecidedAmounts } from '../src/store/project-amounts.ts';
import { findProject, type ProjectStage, setStage } from '../src/store/projects.ts';
import { listUnits } from '../src/store/units.ts';
import { appendDecision, editionOf } from './decision-audit.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { claimCampaign } from './open-annual-campaigns.ts';
import { optionalString, requireHeader, requireString } from './variables.ts';

/** yunfu.list-units — P-1: the Units of the tenant that file a plan, the plan year and the deadline with its reminder. */
export function listUnitsWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.list-units',
    fetchVariables: ['tenantId', 'planYear', 'rules'],
    handler: async (vars, job) => {
      const tenantId = tenantOf(vars);
      const now = deps.now();
      const planYear =
        typeof vars.planYear === 'number' && Number.isInteger(vars.planYear)
          ? vars.planYear
          : DateTime.fromMillis(now, { zone: ZONE }).year + 1;
      const { rules, calendar } = deps.regulation;
      const edition = rules.editionAt(now, tenantId);
      const window = filingDeadline(planYear, edition.annualPlanDeadline);
      const units = await listUnits(deps.store.db, tenantId);
      if (units.length === 0)
        return fail(`租户 ${tenantId} 没有登记任何市直单位，无法发起年度规划备案（P-1）`, 0);
      const reminderDays = rules.workingDays(edition, 'annualPlanReminder');
      const deadlines = {
        filingDeadline: window.deadline,
        annualPlanReminderDue: calendar.workingDaysBefore(window.deadlineMs, reminderDays).iso,
      };
      // §4: the campaign's computed deadlines go into the audit chain with what they were computed from.
      const at = new Date(now).toISOString();
      await once(deps.store, job, tenantId, at, async (tx) => {
        await claimCampaign(tx, job, { tenantId, planYear, at });
        await appendDecision(tx, job, {
          ...{ tenantId, projectId: null, at, kind: 'deadline', ruleEdition: edition.id },
          inputs: {
            planYear,
            annualPlanDeadline: edition.annualPlanDeadline,
            reminderWorkingDays: reminderDays,
          },
          outputs: deadlines,
        });
        return {};
      });
      return complete({
        // The campaign's business tenant, recorded in the process (a timer-started campaign has none yet): the
        // inbox finds the Units' filing tasks by it (SU-3).
        tenantId,
        units: units.map((u) => ({ unitId: u.id, unitName: u.name })),
        planYear,
        // SU-2: the campaign keeps the edition it opened under, as a project does: its forms name the Bureau by it
        rules: rules.rulesVariable(edition),
        ...deadlines,
      });
    },
  };
}

/** yunfu.record-evaluation — SV-1 / SV-2: the Bureau's and Finance's evaluation, kept per Unit for the appraisal. */
export function recordEvaluationWorker(deps: StoreWorkerDeps): WorkerDefinition {
  const FIELDS = [
    'applicationEffectRating',
    'applicationEffectComment',
    'fundUseCompliance',
    'performanceRating',
    'financeEvaluationComment',
    // the deadline the process computed: the evaluation view reports whether it was kept (SV-1)
    'evaluationDue',
  ];
  return {
    type: 'yunfu.record-evaluation',
    fetchVariables: [...FIELDS, 'tenantId', 'projectId', 'unitId'],
    handler: async (vars, job) => {
      const projectId = requireString(vars, 'projectId');
      const tenantId = tenantOf(vars);
      const at = new Date(deps.now()).toISOString();
      const result = await once(deps.store, job, tenantId, at, async (tx) => {
        const id = randomUUID();
        const payload: Record<string, unknown> = {};
        for (const f of FIELDS) payload[f] = vars[f] ?? null;
        await tx.db
          .insertInto('evaluations')
          .values({
            id,
            tenantId,
            projectId,
            unitId: optionalString(vars, 'unitId'),
            applicationEffectRating: optionalString(vars, 'applicationEffectRating'),
            performanceRating: optionalString(vars, 'performanceRating'),
            fundUseCompliance: optionalString(vars, 'fundUseCompliance'),
            recordedAt: at,
            payload: canonicalJson(payload),
          })
          .execute();
        return { evaluationId: id };
      });
      return complete(result);
    },
  };
}

/**
 * yunfu.assemble-audit-package — SV-3: the project's records, documents and audit trail as one archive with a
 * manifest of SHA-256 hashes (`npm run audit:verify -- --archive FILE` checks it), under DOCUMENTS/audit-packages.
 */
export function assembleAuditPackageWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.assemble-audit-package',
    fetchVariables: ['tenantId', 'projectId', 'auditRequestId'],
    handler: async (vars, job) => {
      const projectId = requireString(vars, 'projectId');
      const auditRequestId = requireString(vars, 'auditRequestId');
      const tenantId = tenantOf(vars);
      if (!(await findProject(deps.store.db, tenantId, projectId))) {
        return fail(`项目 ${projectId} 不在租户 ${tenantId} 的项目库中，无法生成审计资料包（SV-3）`, 0);
      }
      const at = new Date(deps.now()).toISOString();
      const chunks: Buffer[] = [];
      for await (const chunk of projectAuditArchive(deps.store.db, deps.documents, {
        tenantId,
        projectId,
        exportedBy: `audit-request:${auditRequestId}`,
        exportedAt: at,
      })) {
        chunks.push(chunk);
      }
      const archive = Buffer.concat(chunks);
      const sha256 = sha256Hex(archive);
      const dir = join(deps.documents.dir, 'audit-packages');
      await mkdir(dir, { recursive: true });
      const name = `${tenantId}-${projectId}-${auditRequestId}-${sha256.slice(0, 12)}.tar`.replace(
        /[^\w.-]/g,
        '_',
      );
      const temp = join(dir, `.${name}.${job.jobKey}`);
      await writeFile(temp, archive);
      await rename(temp, join(dir, name)); // a package is there whole or not at all
      return complete({
        auditPackageId: name,
        auditPackageSha256: sha256,
        auditPackageBytes: archive.length,
      });
    },
  };
}

/** The final stage of the lifecycle's end events, in the 项目库's stages. */
const FINAL_STAGES: Record<string, ProjectStage> = {
  'not-approved': 'rejected',
  'procurement-failed': 'closed',
  terminated: 'terminated',
  'not-accepted': 'not-accepted',
  evaluated: 'closed',
};

/** AC-1 gates: the stages an acceptance outcome moves a project to, and the variables that decided it. */
const ACCEPTANCE_GATE_STAGES: readonly ProjectStage[] = [
  'evaluation',
  'acceptance-rectification',
  'not-accepted',
];
const ACCEPTANCE_GATE_INPUTS = [
  'requiresThirdPartyTesting',
  'dataResourcesVerified',
  'ipv6Verified',
  'acceptanceTestResult',
  'securityAssessmentResult',
  'acceptanceExpertReviewResult',
  'acceptanceDecision',
  'failedAcceptanceDecision',
  'accepted',
];
const GATE_FETCH = [...ACCEPTANCE_GATE_INPUTS, 'rules'];

/** Writes a project's stage in the 项目库 (with its history), once per job; fails plainly for an unknown project. */
async function recordStage(
  deps: StoreWorkerDeps,
  vars: Record<string, unknown>,
  job: JobContext,
  stage: ProjectStage,
  note: unknown,
): Promise<JobOutcome | null> {
  const projectId = requireString(vars, 'projectId');
  const tenantId = tenantOf(vars);
  if (!(await findProject(deps.store.db, tenantId, projectId))) {
    return fail(`项目 ${projectId} 不在租户 ${tenantId} 的项目库中，无法记录项目阶段`, 0);
  }
  const at = new Date(deps.now()).toISOString();
  await once(deps.store, job, tenantId, at, async (tx) => {
    await setStage(tx, { tenantId, id: projectId, stage, accountId: null, at, note });
    if (ACCEPTANCE_GATE_STAGES.includes(stage)) {
      // §4: an acceptance gate is an automated decision: into the audit chain with what decided it.
      const inputs: Record<string, unknown> = {};
      for (const f of ACCEPTANCE_GATE_INPUTS) inputs[f] = vars[f] ?? null;
      await appendDecision(tx, job, {
        ...{ tenantId, projectId, at, kind: 'acceptance-gate', ruleEdition: editionOf(vars.rules) },
        inputs,
        outputs: { stage },
      });
    }
    // SV-2: the figures decided before this step (造价审定, Finance's, approved, contract) join the amounts' history.
    await recordDecidedAmounts(tx, {
      tenantId,
      projectId,
      variables: vars,
      source: `${job.type}:${job.elementId}`,
      at,
    });
    return {};
  });
  return null;
}

/** yunfu.close-project — records the project's final stage (header `stage`) in the 项目库 and its history. */
export function closeProjectWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.close-project',
    fetchVariables: ['tenantId', 'projectId', ...DECIDED_AMOUNT_VARIABLES, ...GATE_FETCH],
    handler: async (vars, job) => {
      const outcome = requireHeader(job.customHeaders, 'stage', Object.keys(FINAL_STAGES));
      return (
        (await recordStage(deps, vars, job, FINAL_STAGES[outcome]!, { outcome })) ??
        complete({ projectOutcome: outcome })
      );
    },
  };
}

/** The phases the lifecycle records as it enters them (G-2), in the 项目库's stages. */
export const PHASE_STAGES = [
  'initiation',
  'procurement',
  'implementation',
  'acceptance',
  'acceptance-rectification',
  'evaluation',
] as const;

/** yunfu.set-project-stage — G-2: the 项目库 shows the phase a project is in (header `stage`). */
export function setProjectStageWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.set-project-stage',
    fetchVariables: ['tenantId', 'projectId', ...DECIDED_AMOUNT_VARIABLES, ...GATE_FETCH],
    handler: async (vars, job) => {
      const stage = requireHeader(job.customHeaders, 'stage', PHASE_STAGES) as ProjectStage;
      return (
        (await recordStage(deps, vars, job, stage, { stage, processInstanceKey: job.processInstanceKey })) ??
        complete({})
      );
    },
  };
}

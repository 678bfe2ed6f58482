// yunfu.record-filing — numbers and records a 备案 (P-1 annual plan, IM-8 change and delay, IM-9 termination with
// the Bureau and with Finance, AC-1 acceptance report, IM-6 allocation, IM-7 coordination). Headers: `filingKind`,
// optional `filedWith`. An annual plan is also recorded as the Unit's plan, on time or late against 30 November. A
// change, delay or termination filing of a project gets its numbered 备案回执 (workers/filing-receipt.ts, PRO-3).
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete } from '../src/camunda/worker-runtime.ts';
import { filingStatus } from '../src/domain/index.ts';
import { DuplicatePlanError, fileAnnualPlan } from '../src/store/annual-plans.ts';
import { type FilingKind, recordFiling } from '../src/store/filings.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { hasReceipt, issueFilingReceipt } from './filing-receipt.ts';
import { optionalString, requireHeader, requireInteger, requireString } from './variables.ts';

/** A kind the processes record; a plan's 补充备案 is filed through /api only (POST /api/annual-plans/{id}/supplements). */
type ProcessFilingKind = Exclude<FilingKind, 'annual-plan-supplement'>;

/** The variables each kind of filing keeps as its content. */
const CONTENT: Record<ProcessFilingKind, string[]> = {
  'annual-plan': ['planSummary', 'plannedProjects', 'estimatedTotalAmount', 'contactName', 'contactPhone'],
  change: ['changeDescription', 'changeReason', 'changeFilingOpinion'],
  delay: ['delayReason', 'requestedDeliveryDate', 'deliveryDate', 'delayFilingOpinion'],
  termination: ['terminationReason', 'bureauTerminationFilingOpinion', 'financeTerminationFilingOpinion'],
  'acceptance-report': [
    'acceptanceReportNumber',
    'acceptanceDate',
    'acceptanceConclusion',
    'acceptanceReportFilingOpinion',
  ],
  'infrastructure-allocation': ['requestedService', 'requestedSpecification', 'allocatedResources'],
  coordination: ['coordinationSubject', 'coordinationDescription', 'consultedParties', 'coordinationAnswer'],
};

const camel = (kind: string) => kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function recordFilingWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.record-filing',
    fetchVariables: [
      ...new Set([
        ...Object.values(CONTENT).flat(),
        'tenantId',
        'projectId',
        'unitId',
        'planYear',
        'rules',
        'projectName',
        'unitName',
      ]),
    ],
    handler: async (vars, job) => {
      const kind = requireHeader(job.customHeaders, 'filingKind', Object.keys(CONTENT)) as ProcessFilingKind;
      const filedWith = job.customHeaders.filedWith ?? null;
      if (filedWith !== null && !['bureau', 'finance'].includes(filedWith)) {
        throw new Error(`task header 'filedWith'='${filedWith}' is not one of bureau, finance`);
      }
      const tenantId = tenantOf(vars);
      const at = new Date(deps.now()).toISOString();
      const content: Record<string, unknown> = { filedWith, projectName: vars.projectName ?? null };
      for (const name of CONTENT[kind]) if (vars[name] !== undefined) content[name] = vars[name];

      const result = await once(deps.store, job, tenantId, at, async (tx) => {
        if (kind === 'annual-plan') {
          const unitId = requireString(vars, 'unitId');
          const planYear = requireInteger(vars, 'planYear');
          const monthDay = (vars.rules as { annualPlanDeadline?: string } | undefined)?.annualPlanDeadline;
          const status = filingStatus(planYear, deps.now(), monthDay);
          try {
            const plan = await fileAnnualPlan(tx, {
              tenantId,
              unitId,
              planYear,
              summary: String(vars.planSummary ?? ''),
              content,
              filedAt: at,
              filedBy: `unit-${unitId}`,
              onTime: status.onTime,
              daysLate: status.daysLate,
            });
            return {
              filingNumber: plan.filingNumber,
              annualPlanFilingNumber: plan.filingNumber,
              onTime: status.onTime,
              daysLate: status.daysLate,
            };
          } catch (e) {
            // The Unit filed this year's plan through the portal already: the campaign records that filing.
            if (!(e instanceof DuplicatePlanError)) throw e;
            const { filingNumber, onTime, daysLate } = e.existing;
            return { filingNumber, annualPlanFilingNumber: filingNumber, onTime, daysLate };
          }
        }
        const filing = await recordFiling(tx, {
          tenantId,
          kind,
          projectId: optionalString(vars, 'projectId'),
          unitId: optionalString(vars, 'unitId'),
          filedBy: null,
          filedAt: at,
          payload: content,
        });
        const receipt = hasReceipt(kind)
          ? await issueFilingReceipt(tx, deps, filing, { kind, filedWith, content, unitName: vars.unitName })
          : null;
        return {
          filingNumber: filing.number,
          [`${camel(kind)}FilingNumber`]: filing.number,
          ...(receipt ? { filingReceiptDocumentId: receipt } : {}),
        };
      });
      return complete(result);
    },
  };
}

// The registry of job workers: one entry per job type, each from its own module in workers/.
// `npm run workers` (workers/runner.ts) and `npm start` register every handler of `createWorkers(deps)`
// (workers/all.ts) with the Camunda client's job worker. JOB_TYPES names the job types of
// docs/process-contract.md; a test keeps the two equal.
import type { AnyWorkerDefinition } from '../src/camunda/worker-runtime.ts';

export type { AnyWorkerDefinition, JobOutcome, WorkerDefinition } from '../src/camunda/worker-runtime.ts';
export { bpmnError, complete, fail } from '../src/camunda/worker-runtime.ts';

/** Job types used by the models in processes/ (docs/process-contract.md). */
export const JOB_TYPES = [
  'yunfu.check-application',
  'yunfu.classify-project',
  'yunfu.compute-due-date',
  'yunfu.list-units',
  'yunfu.record-filing',
  'yunfu.issue-approval-opinion',
  'yunfu.send-notification',
  'yunfu.register-data-resources',
  'yunfu.list-project-documents',
  'yunfu.record-evaluation',
  'yunfu.assemble-audit-package',
  'yunfu.close-project',
  'yunfu.set-project-stage',
  'yunfu.start-public-project',
  'yunfu.open-annual-plan-campaigns',
] as const;

export type JobType = (typeof JOB_TYPES)[number];

export { createWorkers } from './all.ts';

/** Job types of JOB_TYPES that no worker of the list handles. */
export function unhandledJobTypes(list: readonly AnyWorkerDefinition[]): JobType[] {
  const handled = new Set(list.map((w) => w.type));
  return JOB_TYPES.filter((t) => !handled.has(t));
}

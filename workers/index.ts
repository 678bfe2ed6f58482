// The registry of job workers: one entry per job type, each from its own module in workers/.
// `npm run workers` (workers/runner.ts) and `npm start` register every entry of `workers` with the
// Camunda client's job worker. The handlers themselves come with the worker issue; until then the list
// is empty and JOB_TYPES names the job types of docs/process-contract.md that they will cover.
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
  'yunfu.check-acceptance-prerequisites',
  'yunfu.record-evaluation',
  'yunfu.assemble-audit-package',
  'yunfu.close-project',
] as const;

export type JobType = (typeof JOB_TYPES)[number];

/** Every registered worker: `{ type, handler, variables?, timeout?, concurrency? }`. */
export const workers: AnyWorkerDefinition[] = [];

/** Job types of JOB_TYPES that no registered worker handles yet. */
export function unhandledJobTypes(list: readonly AnyWorkerDefinition[] = workers): JobType[] {
  const handled = new Set(list.map((w) => w.type));
  return JOB_TYPES.filter((t) => !handled.has(t));
}

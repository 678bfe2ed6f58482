// Service and send tasks: a job for a job worker.
import { waitForJob } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const jobWorkerTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, el) => waitForJob(b, tx, ei, el),
});

// Intermediate throw events: none (pass) or message (a job, like a send task).
import { passThrough, waitForJob } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const intermediateThrowEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    if (el.job) waitForJob(b, tx, ei, el);
    else passThrough(b, tx, ei, data);
  },
});

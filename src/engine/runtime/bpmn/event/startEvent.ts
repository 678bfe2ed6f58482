// Start events (none, message, timer; of processes, sub-processes and event sub-processes): the
// token passes, with the variables of the trigger that started it.
import { passThrough } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const startEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, _el, data) => passThrough(b, tx, ei, data),
});

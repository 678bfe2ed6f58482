// Receive tasks: wait for a message (boundary events may interrupt the wait).
import { passThrough, waitForEvent } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const receiveTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    if (data.trigger) passThrough(b, tx, ei, data);
    else waitForEvent(b, tx, ei, el, true);
  },
});

// Intermediate catch events (message, timer): wait for the event — unless it already fired (after
// an event-based gateway), then pass with its trigger.
import { passThrough, waitForEvent } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const intermediateCatchEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    if (data.trigger) passThrough(b, tx, ei, data);
    else waitForEvent(b, tx, ei, el, false);
  },
});

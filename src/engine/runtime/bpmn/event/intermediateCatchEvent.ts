// Intermediate catch events (message, timer, signal): wait for the event — unless it already fired (after
// an event-based gateway), then pass with its trigger. A link catch event passes: its link throw event led here.
import { passThrough, waitForEvent } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const intermediateCatchEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    if (data.trigger || el.event?.kind === 'link') passThrough(b, tx, ei, data);
    else waitForEvent(b, tx, ei, el, false);
  },
});

// Event sub-processes: created when their start event's trigger fired; start with that trigger.
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const eventSubProcess = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    b.transitions.activated(tx, ei);
    b.transitions.createElement(tx, ei, el.startEvent!, data.trigger ? { trigger: data.trigger } : null);
  },
});

// Embedded sub-processes: a scope with its own boundary events and event sub-processes.
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const subProcess = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const ctx = b.variables.context(ei.key);
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    b.subscriptions.openEventSubProcessSubscriptions(tx, ei, el, ctx);
    b.transitions.activated(tx, ei);
    b.transitions.createElement(tx, ei, el.startEvent!);
  },
});

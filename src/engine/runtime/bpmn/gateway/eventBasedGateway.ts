// Event-based gateways: wait for the first of the following catch events; the flow to the event
// that fired is taken, with its trigger.
import { parseData } from '../../elementData.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const eventBasedGateway = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const ctx = b.variables.context(ei.key);
    const model = b.rt.model(ei);
    for (const flowId of el.outgoing) {
      const target = model.elements[model.flows[flowId]!.target]!;
      b.subscriptions.openEventSubscription(tx, ei, target, ctx, true);
    }
    b.transitions.activated(tx, ei);
  },
  outgoingFlows: () => [],
  onCompleted(tx, ei) {
    const scope = b.rt.ei(ei.flow_scope_key!)!;
    const data = parseData(ei);
    const flow = b.rt.model(ei).flows[data.flow!]!;
    b.transitions.createElement(
      tx,
      scope,
      flow.target,
      data.flowTrigger ? { trigger: data.flowTrigger } : null,
    );
    b.transitions.onChildEnded(tx, scope);
  },
});

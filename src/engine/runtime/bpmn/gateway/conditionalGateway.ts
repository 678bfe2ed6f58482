// Exclusive and inclusive gateways: the token passes at once; on leaving, the conditions of the
// outgoing flows choose the way (exclusive: the first true one; inclusive: every true one), else
// the default flow, else an incident. Inclusive joins wait in the state transition behaviour.
import { evaluateBoolean } from '../../../feel/index.ts';
import type { ElementModel, FlowModel, ProcessModel } from '../../../model/types.ts';
import type { ElementInstanceRow } from '../../../state/rows.ts';
import { IncidentError } from '../../tx.ts';
import { passThrough } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const conditionalGateway = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, _el, data) => passThrough(b, tx, ei, data),
  outgoingFlows: (ei, el, model) => selectFlows(b, ei, el, model),
});

function selectFlows(
  b: Behaviors,
  ei: ElementInstanceRow,
  el: ElementModel,
  model: ProcessModel,
): FlowModel[] {
  const outgoing = el.outgoing.map((id) => model.flows[id]!);
  if (outgoing.length === 0) return [];
  if (outgoing.length === 1 && !outgoing[0]!.condition) return outgoing;
  const ctx = b.variables.context(ei.key);
  const taken: FlowModel[] = [];
  for (const flow of outgoing) {
    if (flow.id === el.defaultFlow || !flow.condition) continue;
    if (evaluateBoolean(flow.condition, ctx)) {
      taken.push(flow);
      if (el.type === 'EXCLUSIVE_GATEWAY') break;
    }
  }
  if (taken.length > 0) return taken;
  const fallback = el.defaultFlow ? model.flows[el.defaultFlow] : undefined;
  if (fallback) return [fallback];
  throw new IncidentError(
    'CONDITION_ERROR',
    `Expected at least one condition to evaluate to true, or to have a default flow (gateway '${el.id}'; conditions: ${outgoing
      .map((f) => `'${f.condition}'`)
      .join(', ')})`,
  );
}

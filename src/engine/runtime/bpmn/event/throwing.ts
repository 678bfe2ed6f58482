// What link, signal and escalation throw events (intermediate and end) do besides passing the token.
import type { ElementModel } from '../../../model/types.ts';
import type { ElementInstanceRow } from '../../../state/rows.ts';
import { escalate } from '../../behavior/escalation.ts';
import { evalString } from '../../behavior/expressions.ts';
import { triggerSignal } from '../../behavior/signals.ts';
import type { Tx } from '../../tx.ts';
import type { Behaviors } from '../types.ts';

/**
 * A signal throw or end event broadcasts its signal, with the event's local variables (its input mappings), once
 * the steps already queued have run — as Zeebe writes the broadcast as a follow-up command.
 * https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/
 */
export function broadcastFrom(b: Behaviors, tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
  const name = evalString(el.event!.signalName!, b.variables.context(ei.key));
  const variables = b.variables.localVariables(ei.key);
  const key = b.rt.key();
  tx.record('SIGNAL', 'BROADCASTED', key, ei.process_instance_key, el.id, { signalName: name, variables });
  tx.queue.push({ kind: 'RUN', run: () => triggerSignal(b, tx, name, variables) });
}

/** An escalation throw or end event escalates; false when an interrupting catcher ended the throwing event. */
export function escalateFrom(b: Behaviors, tx: Tx, ei: ElementInstanceRow, el: ElementModel): boolean {
  const code = evalString(el.event!.escalationCode!, b.variables.context(ei.key));
  return escalate(b.rt, b.transitions, tx, ei, code);
}

/**
 * A compensation throw or end event triggers the compensation of its scope and waits until every handler it started
 * has completed; with nothing to compensate it completes at once.
 * https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
 */
export function compensateFrom(b: Behaviors, tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
  b.transitions.activated(tx, ei);
  if (!b.compensation.throwFrom(tx, ei, el)) tx.follow('COMPLETE', ei.key);
}

/**
 * A link throw event continues at the link catch event of the same name in its scope.
 * https://docs.camunda.io/docs/components/modeler/bpmn/link-events/
 */
export function followLink(b: Behaviors, tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
  const scope = b.rt.ei(ei.flow_scope_key!)!;
  b.transitions.createElement(tx, scope, el.event!.linkTarget!);
  b.transitions.takeOutgoingFlows(tx, ei, []);
}

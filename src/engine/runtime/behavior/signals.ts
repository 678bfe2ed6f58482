// Zeebe's signal subscriptions of element instances: a signal catch event, a signal boundary event or a
// signal event sub-process start subscribes while its holder is active and is closed with it.
// https://docs.camunda.io/docs/components/concepts/signals/#signal-subscriptions
import type { ElementInstanceRow } from '../../state/rows.ts';
import type { Runtime } from '../runtime.ts';
import type { Tx } from '../tx.ts';
import type { EventTriggerBehavior } from './events.ts';
import type { StateTransitionBehavior } from './transitions.ts';

export function openSignalSubscription(
  rt: Runtime,
  tx: Tx,
  holder: ElementInstanceRow,
  elementId: string,
  signalName: string,
  interrupting: boolean,
): void {
  const def = rt.definition(holder.process_definition_key);
  const key = rt.key();
  rt.state.signals.insert({
    key,
    signalName,
    definitionKey: holder.process_definition_key,
    processId: def.processId,
    elementId,
    holderKey: holder.key,
    processInstanceKey: holder.process_instance_key,
    interrupting,
    tenantId: def.tenantId,
  });
  tx.record('SIGNAL_SUBSCRIPTION', 'CREATED', key, holder.process_instance_key, elementId, {
    signalName,
    catchElementInstanceKey: holder.key,
  });
}

/** Closes the signal subscriptions an element instance holds (those of one event, when given). */
export function closeSignalSubscriptions(rt: Runtime, tx: Tx, holderKey: number, elementId?: string): void {
  const held = rt.state.signals.heldBy(holderKey).filter((s) => !elementId || s.element_id === elementId);
  if (held.length === 0) return;
  if (elementId) rt.state.signals.deleteForEvent(holderKey, elementId);
  else rt.state.signals.deleteHeldBy(holderKey);
  for (const s of held)
    tx.record('SIGNAL_SUBSCRIPTION', 'DELETED', s.key, s.process_instance_key, s.element_id, null);
}

/** What a broadcast needs: the runtime, instance creation and the event trigger. */
export interface SignalTargets {
  readonly rt: Runtime;
  readonly transitions: Pick<StateTransitionBehavior, 'createProcessInstance'>;
  readonly events: Pick<EventTriggerBehavior, 'triggerEvent'>;
}

/**
 * A broadcast signal triggers every subscription to its name that exists when it is broadcast
 * (https://docs.camunda.io/docs/components/concepts/signals/#signal-cardinality): a start event creates an
 * instance of its (latest) process version, a held event fires at its holder. A subscription closed by an
 * earlier one of the same broadcast (an interrupting event of the same instance) is skipped.
 */
export function triggerSignal(
  b: SignalTargets,
  tx: Tx,
  signalName: string,
  variables: Record<string, unknown>,
): void {
  const signals = b.rt.state.signals;
  for (const s of signals.byName(signalName)) {
    if (!signals.get(s.key)) continue;
    const trigger = { variables };
    if (s.element_instance_key === null) {
      const def = b.rt.definition(s.process_definition_key);
      b.transitions.createProcessInstance(tx, def, {}, { startElementId: s.element_id, trigger });
      continue;
    }
    const holder = b.rt.ei(s.element_instance_key);
    if (holder) b.events.triggerEvent(tx, holder, s.element_id, trigger);
  }
}

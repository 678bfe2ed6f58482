// The catch events of a migrated element instance, as Zeebe's ProcessInstanceMigrationCatchEventBehaviour handles
// them: a subscription it holds (its own catch event, a boundary event, an event sub-process's start) for a catch
// event the mapping names moves to the target catch event, keeping its due date or message name and correlation
// key; one the mapping does not name is closed; and the target element's catch events that no mapping leads to are
// subscribed to afresh (unless the instance was interrupted).
import { invalidState } from '../errors.ts';
import type { ElementModel, ProcessModel } from '../model/types.ts';
import { parseData } from '../runtime/elementData.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import type { MigrationState, MigrationTarget } from '../runtime/migration-state.ts';
import { IncidentError, type Tx } from '../runtime/tx.ts';
import type { ElementInstanceRow } from '../state/rows.ts';

interface CatchEvent {
  el: ElementModel;
  interrupting: boolean;
}

const subscribes = (el: ElementModel | undefined) =>
  el?.event?.kind === 'timer' || el?.event?.kind === 'message';

/** The catch events an instance of the element holds subscriptions for (as the runtime opens them). */
export function catchEventsOf(model: ProcessModel, el: ElementModel, ei: ElementInstanceRow): CatchEvent[] {
  const events: CatchEvent[] = [];
  const body = ei.element_type === 'MULTI_INSTANCE_BODY';
  if ((el.type === 'INTERMEDIATE_CATCH_EVENT' || el.type === 'RECEIVE_TASK') && subscribes(el) && !body)
    events.push({ el, interrupting: true });
  // with multi-instance, boundary events belong to the body, the rest to each inner instance
  if (!el.loop || body) {
    for (const id of el.boundaries ?? []) {
      const b = model.elements[id];
      if (b && subscribes(b)) events.push({ el: b, interrupting: b.interrupting !== false });
    }
  }
  for (const id of body ? [] : (el.eventSubProcesses ?? [])) {
    const esp = model.elements[id]!;
    const start = model.elements[esp.startEvent!];
    if (start && subscribes(start)) events.push({ el: start, interrupting: esp.interrupting !== false });
  }
  return events;
}

export interface CatchEventMigration {
  key: number;
  state: MigrationState;
  to: MigrationTarget;
  targetModel: ProcessModel;
  mapping: Map<string, string>;
}

/** Moves, closes and opens the subscriptions of `ei` (already moved to the target element `targetEl`). */
export function migrateCatchEvents(
  tx: Tx,
  it: Interpreter,
  m: CatchEventMigration,
  ei: ElementInstanceRow,
  targetEl: ElementModel,
): void {
  const targets = catchEventsOf(m.targetModel, targetEl, ei);
  const interruptingOf = (id: string) => targets.find((c) => c.el.id === id)?.interrupting ?? true;
  for (const t of it.state.timers.heldBy(ei.key)) {
    const target = m.mapping.get(t.element_id);
    if (target !== undefined) {
      m.state.migrateTimer(t.key, target, m.to.definitionKey, interruptingOf(target));
      tx.record('TIMER', 'MIGRATED', t.key, m.key, target, {
        dueDate: t.due_date,
        elementInstanceKey: ei.key,
      });
    } else {
      it.state.timers.delete(t.key);
      tx.record('TIMER', 'CANCELED', t.key, m.key, t.element_id, null);
    }
  }
  const kept = new Set<string>();
  for (const s of it.state.messages.subscriptionsHeldBy(ei.key)) {
    const target = m.mapping.get(s.element_id);
    if (target !== undefined) {
      m.state.migrateSubscription(s.key, target, m.to, interruptingOf(target));
      kept.add(s.message_name);
      tx.record('PROCESS_MESSAGE_SUBSCRIPTION', 'MIGRATED', s.key, m.key, target, {
        messageName: s.message_name,
      });
    } else {
      m.state.deleteSubscription(s.key);
      tx.record('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETED', s.key, m.key, s.element_id, null);
    }
  }
  if (parseData(ei).interrupted) return;
  const mappedTo = new Set(m.mapping.values());
  const ctx = it.variables.context(ei.key);
  for (const c of targets) {
    if (mappedTo.has(c.el.id)) continue;
    if (c.el.event?.kind === 'message' && kept.has(c.el.event.messageName ?? '')) {
      throw invalidState(
        `Expected to migrate process instance '${m.key}' but active element with id '${ei.element_id}' attempts to subscribe to a message it is already subscribed to with name '${c.el.event.messageName}'. Migrating active elements that subscribe to a message they are already subscribed to is not possible yet. Please provide a mapping instruction to message catch event with id '${c.el.id}' to migrate the respective message subscription.`,
      );
    }
    try {
      it.subscriptions.openEventSubscription(tx, ei, c.el, ctx, c.interrupting);
    } catch (e) {
      if (!(e instanceof IncidentError)) throw e;
      throw invalidState(
        `Expected to migrate process instance '${m.key}' but active element with id '${ei.element_id}' is mapped to element with id '${targetEl.id}' that must be subscribed to a catch event. ${e.message}`,
      );
    }
  }
}

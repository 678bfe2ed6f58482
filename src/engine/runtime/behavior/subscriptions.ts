// Zeebe's BpmnEventSubscriptionBehavior: the timers and message subscriptions an element instance
// holds for its own catch event, its boundary events and its event sub-processes.
import { evaluate, isExpression } from '../../feel/index.ts';
import type { ElementModel, EventDef, TimerDef } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { checkTimer, firstDueDate, type Repetitions } from '../../timer/index.ts';
import type { Runtime } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';
import { evalString } from './expressions.ts';
import { closeSignalSubscriptions, openSignalSubscription } from './signals.ts';

type Context = Record<string, unknown>;

/** The event kinds an element instance holds a subscription for (escalations are looked for when thrown). */
const SUBSCRIBED = new Set(['timer', 'message', 'signal']);

export class EventSubscriptionBehavior {
  constructor(private readonly rt: Runtime) {}

  openBoundarySubscriptions(tx: Tx, ei: ElementInstanceRow, el: ElementModel, ctx: Context): void {
    if (!el.boundaries?.length) return;
    // With multi-instance, boundary events belong to the body, not to each inner instance.
    if (el.loop && ei.element_type !== 'MULTI_INSTANCE_BODY') return;
    const model = this.rt.model(ei);
    for (const id of el.boundaries) {
      const b = model.elements[id]!;
      if (SUBSCRIBED.has(b.event?.kind ?? ''))
        this.openEventSubscription(tx, ei, b, ctx, b.interrupting !== false);
    }
  }

  openEventSubProcessSubscriptions(tx: Tx, ei: ElementInstanceRow, el: ElementModel, ctx: Context): void {
    if (!el.eventSubProcesses?.length) return;
    const model = this.rt.model(ei);
    for (const id of el.eventSubProcesses) {
      const esp = model.elements[id]!;
      const start = model.elements[esp.startEvent!]!;
      if (SUBSCRIBED.has(start.event?.kind ?? '')) {
        this.openEventSubscription(tx, ei, start, ctx, esp.interrupting !== false);
      }
    }
  }

  /** Opens the timer or message subscription of `target`, held by the element instance `holder`. */
  openEventSubscription(
    tx: Tx,
    holder: ElementInstanceRow,
    target: ElementModel,
    ctx: Context,
    interrupting: boolean,
  ): void {
    const ev = target.event!;
    if (ev.kind === 'timer') {
      this.scheduleTimer(tx, holder, target.id, ev.timer!, ctx, interrupting);
    } else if (ev.kind === 'message') {
      this.openMessageSubscription(tx, holder, target.id, ev, ctx, interrupting);
    } else if (ev.kind === 'signal') {
      openSignalSubscription(this.rt, tx, holder, target.id, evalString(ev.signalName!, ctx), interrupting);
    }
  }

  private scheduleTimer(
    tx: Tx,
    holder: ElementInstanceRow,
    elementId: string,
    timer: TimerDef,
    ctx: Context,
    interrupting: boolean,
  ): void {
    let value = timer.value;
    if (isExpression(value)) {
      const v = evaluate(value, ctx);
      if (typeof v !== 'string') {
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `Expected result of the expression '${value.slice(1)}' to be a timer ${timer.kind} (a string), but was '${v === null ? 'NULL' : typeof v}'.`,
        );
      }
      value = v;
    }
    const def = { kind: timer.kind, value };
    const problem = checkTimer(def);
    if (problem) {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Invalid timer ${timer.kind} '${value}' of '${elementId}': ${problem}`,
      );
    }
    const due = firstDueDate(def, tx.now);
    this.insertTimer(
      tx,
      holder.key,
      holder.process_instance_key,
      holder.process_definition_key,
      elementId,
      due.dueAt,
      due.repetitions,
      def,
      interrupting,
    );
  }

  insertTimer(
    tx: Tx,
    holderKey: number | null,
    processInstanceKey: number | null,
    definitionKey: number,
    elementId: string,
    dueAt: number,
    repetitions: Repetitions,
    def: { kind: string; value: string },
    interrupting: boolean,
  ): number {
    const key = this.rt.key();
    this.rt.state.timers.insert({
      key,
      holderKey,
      processInstanceKey,
      definitionKey,
      elementId,
      dueAt,
      repetitions: repetitions === 'infinite' ? -1 : repetitions,
      kind: def.kind,
      value: def.value,
      interrupting,
    });
    tx.record('TIMER', 'CREATED', key, processInstanceKey, elementId, {
      dueDate: dueAt,
      elementInstanceKey: holderKey,
    });
    tx.wakeAt(dueAt);
    return key;
  }

  private openMessageSubscription(
    tx: Tx,
    holder: ElementInstanceRow,
    elementId: string,
    ev: EventDef,
    ctx: Context,
    interrupting: boolean,
  ): void {
    const name = evalString(ev.messageName!, ctx);
    const expr = ev.correlationKey!;
    const raw = isExpression(expr) ? evaluate(expr, ctx) : expr;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Failed to extract the correlation key for '${expr.replace(/^=/, '')}' of element '${elementId}': The value must be either a string or a number, but was '${raw === null ? 'NULL' : Array.isArray(raw) ? 'LIST' : typeof raw}'.`,
      );
    }
    const correlationKey = String(raw);
    const def = this.rt.definition(holder.process_definition_key);
    const key = this.rt.key();
    this.rt.state.messages.insertSubscription({
      key,
      holderKey: holder.key,
      processInstanceKey: holder.process_instance_key,
      definitionKey: holder.process_definition_key,
      processId: def.processId,
      elementId,
      messageName: name,
      correlationKey,
      interrupting,
      created: tx.now,
    });
    tx.record('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED', key, holder.process_instance_key, elementId, {
      messageName: name,
      correlationKey,
    });
    tx.follow('CORRELATE_BUFFERED', key);
  }

  /** Closes every subscription the element instance holds. */
  closeSubscriptions(tx: Tx, holderKey: number): void {
    closeSignalSubscriptions(this.rt, tx, holderKey);
    const { timers, messages } = this.rt.state;
    const held = timers.heldBy(holderKey);
    if (held.length) {
      timers.deleteHeldBy(holderKey);
      for (const t of held) tx.record('TIMER', 'CANCELED', t.key, t.process_instance_key, t.element_id, null);
    }
    const subs = messages.subscriptionsHeldBy(holderKey);
    if (subs.length) {
      messages.deleteSubscriptionsHeldBy(holderKey);
      for (const s of subs) {
        tx.record(
          'PROCESS_MESSAGE_SUBSCRIPTION',
          'DELETED',
          s.key,
          s.process_instance_key,
          s.element_id,
          null,
        );
      }
    }
  }

  /** Closes the subscriptions of one event held by the instance (its own catch event that fired). */
  closeEventSubscription(tx: Tx, holderKey: number, elementId: string): void {
    this.rt.state.timers.deleteForEvent(holderKey, elementId);
    this.rt.state.messages.deleteSubscriptionForEvent(holderKey, elementId);
    closeSignalSubscriptions(this.rt, tx, holderKey, elementId);
  }
}

// Zeebe's BpmnEventTriggerBehavior and BpmnEventPublicationBehavior: a message, a timer or a
// BPMN error reaches the element instance that waits for it — a catch event, a boundary event, an
// event sub-process start, an event-based gateway.
import type { ElementModel } from '../../model/types.ts';
import type { ElementInstanceRow, MessageSubscriptionRow } from '../../state/rows.ts';
import { nextDueDate, type Repetitions } from '../../timer/index.ts';
import { parseData, type Trigger } from '../elementData.ts';
import { type Runtime, TENANT } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';
import type { EventSubscriptionBehavior } from './subscriptions.ts';
import type { StateTransitionBehavior } from './transitions.ts';
import type { VariableBehavior } from './variables.ts';

export class EventTriggerBehavior {
  constructor(
    private readonly rt: Runtime,
    private readonly variables: VariableBehavior,
    private readonly subscriptions: EventSubscriptionBehavior,
    private readonly transitions: StateTransitionBehavior,
  ) {}

  /**
   * A newly opened subscription takes the oldest buffered message not yet correlated to its process
   * (BPMN process id): a buffered message reaches one instance per process, as in Zeebe.
   */
  correlateBuffered(tx: Tx, subscriptionKey: number): void {
    const messages = this.rt.state.messages;
    const sub = messages.subscription(subscriptionKey);
    if (!sub) return;
    const msg = messages.oldestNotCorrelatedTo(sub.message_name, sub.correlation_key, tx.now, sub.process_id);
    if (msg) this.correlate(tx, sub, msg.key, JSON.parse(msg.variables) as Record<string, unknown>);
  }

  /** Correlates a message to a subscription; false when the subscription's element cannot take it now. */
  correlate(
    tx: Tx,
    sub: MessageSubscriptionRow,
    messageKey: number,
    variables: Record<string, unknown>,
  ): boolean {
    const holder = this.rt.ei(sub.element_instance_key);
    if (holder?.state !== 'ACTIVATED') return false;
    this.rt.state.messages.markCorrelated(messageKey, sub.process_instance_key);
    this.rt.state.messages.markCorrelatedTo(messageKey, sub.process_id);
    tx.record('MESSAGE', 'CORRELATED', messageKey, sub.process_instance_key, sub.element_id, {
      messageName: sub.message_name,
      correlationKey: sub.correlation_key,
      elementInstanceKey: sub.element_instance_key,
    });
    const triggered = this.triggerEvent(tx, holder, sub.element_id, { variables });
    if (triggered) {
      this.rt.state.correlatedMessages.insert({
        messageKey,
        subscriptionKey: sub.key,
        correlationKey: sub.correlation_key,
        correlationTime: tx.now,
        elementId: sub.element_id,
        elementInstanceKey: sub.element_instance_key,
        messageName: sub.message_name,
        processId: sub.process_id,
        processDefinitionKey: sub.process_definition_key,
        processInstanceKey: sub.process_instance_key,
        tenantId: TENANT,
      });
    }
    return triggered;
  }

  /** Fires the event `targetId` (boundary, event sub-process start, catch event) held by `holder`. */
  triggerEvent(tx: Tx, holder: ElementInstanceRow, targetId: string, trigger: Trigger): boolean {
    if (holder.state !== 'ACTIVATED') return false;
    const model = this.rt.model(holder);
    const target = model.elements[targetId]!;
    switch (target.type) {
      case 'BOUNDARY_EVENT': {
        const scope = this.rt.ei(holder.flow_scope_key!)!;
        if (target.interrupting !== false) this.transitions.interruptActivity(tx, holder, target.id, trigger);
        else this.transitions.createElement(tx, scope, target.id, { trigger });
        return true;
      }
      case 'START_EVENT': {
        const esp = model.elements[target.scope!]!;
        if (parseData(holder).interrupted) return false;
        if (esp.interrupting !== false) this.transitions.interruptScope(tx, holder, esp.id, trigger);
        else this.transitions.createElement(tx, holder, esp.id, { trigger });
        return true;
      }
      default: {
        if (holder.element_type === 'EVENT_BASED_GATEWAY') {
          this.subscriptions.closeSubscriptions(tx, holder.key);
          const flow = model.elements[holder.element_id]!.outgoing.find(
            (f) => model.flows[f]!.target === targetId,
          )!;
          const data = parseData(holder);
          data.flow = flow;
          data.flowTrigger = trigger;
          this.transitions.setData(holder, data);
          tx.follow('COMPLETE', holder.key);
          return true;
        }
        // the catch event or receive task itself
        this.subscriptions.closeEventSubscription(tx, holder.key, targetId);
        this.variables.applyCompletionVariables(tx, holder, trigger.variables);
        tx.follow('COMPLETE', holder.key);
        return true;
      }
    }
  }

  /** A due timer fires: a timer start event starts an instance, any other timer triggers its event. */
  triggerTimer(tx: Tx, timerKey: number): void {
    const t = this.rt.state.timers.get(timerKey);
    if (!t || t.due_date > tx.now) return;
    this.rt.state.timers.delete(t.key);
    tx.record('TIMER', 'TRIGGERED', t.key, t.process_instance_key, t.element_id, { dueDate: t.due_date });
    const def = { kind: t.kind, value: t.value };
    const remaining: Repetitions = t.repetitions < 0 ? 'infinite' : t.repetitions;
    const reschedule = (holderKey: number | null) => {
      const next = nextDueDate(def, t.due_date, remaining, tx.now);
      if (!next) return;
      this.subscriptions.insertTimer(
        tx,
        holderKey,
        t.process_instance_key,
        t.process_definition_key,
        t.element_id,
        next.dueAt,
        next.repetitions,
        def,
        t.interrupting === 1,
      );
    };
    if (t.element_instance_key === null) {
      const d = this.rt.definition(t.process_definition_key);
      this.transitions.createProcessInstance(tx, d, {}, { startElementId: t.element_id });
      reschedule(null);
      return;
    }
    const holder = this.rt.ei(t.element_instance_key);
    if (!holder) return;
    const fired = this.triggerEvent(tx, holder, t.element_id, { variables: null });
    if (fired && t.interrupting === 0) reschedule(holder.key);
  }

  /**
   * Throws a BPMN error from an element instance: caught by the nearest matching error boundary event
   * or error event sub-process (an exact error code before a catch-all), else an incident.
   */
  throwError(
    tx: Tx,
    from: ElementInstanceRow,
    errorCode: string,
    errorMessage: string,
    variables: Record<string, unknown> | null,
  ): void {
    const catcher = this.findErrorCatcher(from, errorCode);
    if (!catcher) {
      throw new IncidentError(
        'UNHANDLED_ERROR_EVENT',
        `Expected to throw an error event with the code '${errorCode}'${errorMessage ? ` with message '${errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
      );
    }
    const vars: Record<string, unknown> = { ...(variables ?? {}) };
    const ev = catcher.event.event!;
    if (ev.errorCodeVariable) vars[ev.errorCodeVariable] = errorCode;
    if (ev.errorMessageVariable) vars[ev.errorMessageVariable] = errorMessage;
    tx.record('ERROR', 'CAUGHT', this.rt.key(), catcher.holder.process_instance_key, catcher.event.id, {
      errorCode,
      errorMessage,
    });
    const holder = catcher.holder;
    if (catcher.event.type === 'BOUNDARY_EVENT') {
      this.transitions.interruptActivity(tx, holder, catcher.event.id, { variables: vars });
    } else {
      const esp = this.rt.model(holder).elements[catcher.event.scope!]!;
      this.transitions.interruptScope(tx, holder, esp.id, { variables: vars });
    }
  }

  private findErrorCatcher(
    from: ElementInstanceRow,
    code: string,
  ): { holder: ElementInstanceRow; event: ElementModel } | null {
    let cur: ElementInstanceRow | undefined = from;
    while (cur) {
      for (const group of errorEventsOf(cur, this.rt.model(cur).elements)) {
        const exact = group.find((c) => c.event!.errorCode === code);
        const any = group.find((c) => !c.event!.errorCode);
        const hit = exact ?? any;
        if (hit) return { holder: cur, event: hit };
      }
      if (cur.flow_scope_key !== null) {
        cur = this.rt.ei(cur.flow_scope_key);
      } else {
        const pi = this.rt.pi(cur.key);
        cur = pi?.parent_element_instance_key ? this.rt.ei(pi.parent_element_instance_key) : undefined;
      }
    }
    return null;
  }
}

/** The error events that can catch at an element instance: its event sub-processes', then its boundaries. */
function errorEventsOf(cur: ElementInstanceRow, elements: Record<string, ElementModel>): ElementModel[][] {
  const el = elements[cur.element_id];
  if (!el) return [[], []]; // an ad-hoc sub-process's inner instance: no catch events of its own
  const candidates: ElementModel[] = [];
  const isScope =
    cur.element_type === 'PROCESS' ||
    cur.element_type === 'SUB_PROCESS' ||
    cur.element_type === 'AD_HOC_SUB_PROCESS' ||
    cur.element_type === 'EVENT_SUB_PROCESS';
  if (isScope && cur.state === 'ACTIVATED' && !parseData(cur).interrupted) {
    for (const id of el.eventSubProcesses ?? []) {
      const start = elements[elements[id]!.startEvent!]!;
      if (start.event?.kind === 'error') candidates.push(start);
    }
  }
  const boundariesHere = !el.loop || cur.element_type === 'MULTI_INSTANCE_BODY';
  const boundaries: ElementModel[] = [];
  if (boundariesHere && cur.element_type !== 'PROCESS') {
    for (const id of el.boundaries ?? []) {
      const b = elements[id]!;
      if (b.event?.kind === 'error') boundaries.push(b);
    }
  }
  return [candidates, boundaries];
}

// Zeebe's BpmnCompensationSubscriptionBehaviour (https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/):
// a completed activity with a compensation boundary event — a multi-instance one once its body completed — leaves a
// subscription in the scope it completed in, and a completed sub-process or multi-instance body that holds
// subscriptions leaves one without a handler. A compensation throw or end event triggers the subscriptions of its
// scope (of the enclosing scope too, from an event sub-process), or only those of its activityRef, and those inside
// the completed sub-processes among them: each starts its handler in the throw event's own scope, all at once, and
// the throw event completes when the last of them has completed. Subscriptions are engine state: they survive a
// restart, and end with the process instance (or with the sub-process they are in, when it is terminated).
import { compensationBoundary } from '../../model/compensation.ts';
import type { ElementModel } from '../../model/types.ts';
import type { CompensationSubscriptionRow } from '../../state/compensations.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { type Runtime, TENANT } from '../runtime.ts';
import type { Tx } from '../tx.ts';
import type { StateTransitionBehavior } from './transitions.ts';

/** Zeebe's NONE_COMPENSATION_HANDLER_INSTANCE_KEY: the trigger of a subscription without a handler. */
const NO_HANDLER = -1;

type Sub = CompensationSubscriptionRow;

export class CompensationBehavior {
  constructor(
    private readonly rt: Runtime,
    private readonly transitions: StateTransitionBehavior,
  ) {}

  /** An element instance completed: subscribe for it, and a handler that completed ends its subscription. */
  onCompleted(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
    const isScope = ei.element_type === 'SUB_PROCESS' || ei.element_type === 'MULTI_INSTANCE_BODY';
    const isInner = el.loop !== undefined && ei.element_type !== 'MULTI_INSTANCE_BODY';
    const boundary = isInner ? undefined : compensationBoundary(el, this.rt.model(ei).elements);
    const mayHandle = el.handlesCompensation || el.forCompensation;
    if (!boundary && !isScope && !mayHandle) return;
    const subs = this.rt.state.compensations.ofProcess(ei.process_instance_key);
    if (boundary || (isScope && subs.some((s) => s.scope_key === ei.key))) this.subscribe(tx, ei, boundary);
    const handled = subs.find((s) => s.handler_instance_key === ei.key);
    if (handled) this.completeSubscription(tx, handled);
  }

  private subscribe(tx: Tx, ei: ElementInstanceRow, boundary: ElementModel | undefined): void {
    const key = this.rt.key();
    const handlerId = boundary?.event?.compensationHandler ?? null;
    this.rt.state.compensations.insert({
      key,
      process_instance_key: ei.process_instance_key,
      process_definition_key: ei.process_definition_key,
      activity_id: ei.element_id,
      activity_instance_key: ei.key,
      scope_key: ei.flow_scope_key!,
      handler_id: handlerId,
      tenant_id: TENANT,
    });
    tx.record('COMPENSATION_SUBSCRIPTION', 'CREATED', key, ei.process_instance_key, ei.element_id, {
      compensableActivityInstanceKey: ei.key,
      compensableActivityScopeKey: ei.flow_scope_key,
      compensationHandlerId: handlerId ?? '',
    });
  }

  /**
   * A compensation throw or end event (activated) triggers the subscriptions of its scope — of the scope around its
   * event sub-process too — or those of its activityRef. False when there was none: the event completes at once.
   */
  throwFrom(tx: Tx, thrower: ElementInstanceRow, el: ElementModel): boolean {
    const scope = this.rt.ei(thrower.flow_scope_key!)!;
    const scopeKeys = [scope.key];
    if (scope.element_type === 'EVENT_SUB_PROCESS') scopeKeys.push(scope.flow_scope_key!);
    const open = this.rt.state.compensations
      .ofProcess(thrower.process_instance_key)
      .filter((s) => s.throw_event_instance_key === null);
    const ref = el.event?.activityRef;
    const hits = open.filter(
      (s) => scopeKeys.includes(s.scope_key) && (ref === undefined || s.activity_id === ref),
    );
    for (const s of hits) this.trigger(tx, thrower, scope, s, open);
    const triggered = this.rt.state.compensations
      .ofProcess(thrower.process_instance_key)
      .filter((s) => s.throw_event_instance_key === thrower.key);
    if (triggered.some((s) => s.handler_instance_key !== NO_HANDLER)) return true;
    // no handler could start (only after a migration to a version without it): nothing to wait for
    for (const s of triggered) this.end(tx, s);
    return false;
  }

  /** Starts the subscription's handler (if any) in the thrower's scope, then the subscriptions inside it. */
  private trigger(
    tx: Tx,
    thrower: ElementInstanceRow,
    scope: ElementInstanceRow,
    sub: Sub,
    open: Sub[],
  ): void {
    const elements = this.rt.model(scope).elements;
    const activity = elements[sub.activity_id];
    // (a migrated instance's subscription whose activity the new version lacks has no handler to start)
    const boundary = sub.handler_id && activity ? compensationBoundary(activity, elements) : undefined;
    const handlerKey = boundary ? this.startHandler(tx, scope, boundary) : NO_HANDLER;
    this.rt.state.compensations.markTriggered(sub.key, thrower.element_id, thrower.key, handlerKey);
    tx.record('COMPENSATION_SUBSCRIPTION', 'TRIGGERED', sub.key, sub.process_instance_key, sub.activity_id, {
      throwEventId: thrower.element_id,
      throwEventInstanceKey: thrower.key,
      compensationHandlerInstanceKey: handlerKey,
    });
    for (const inner of open.filter((s) => s.scope_key === sub.activity_instance_key))
      this.trigger(tx, thrower, scope, inner, open);
  }

  /** The compensation boundary event passes (activated and completed at once), its handler is activated. */
  private startHandler(tx: Tx, scope: ElementInstanceRow, boundary: ElementModel): number {
    const key = this.rt.key();
    this.rt.state.elementInstances.insert({
      key,
      processInstanceKey: scope.process_instance_key,
      definitionKey: scope.process_definition_key,
      elementId: boundary.id,
      type: 'BOUNDARY_EVENT',
      flowScopeKey: scope.key,
      startDate: tx.now,
      data: null,
    });
    const passed = this.rt.ei(key)!;
    this.transitions.setState(tx, passed, 'ACTIVATED');
    this.transitions.setState(tx, passed, 'COMPLETED');
    return this.transitions.createElement(tx, scope, boundary.event!.compensationHandler!);
  }

  /** A handler completed: its subscription ends, then the sub-processes it was in, then perhaps the throw event. */
  private completeSubscription(tx: Tx, sub: Sub): void {
    this.end(tx, sub);
    this.completeScopes(tx, sub.process_instance_key, sub.scope_key);
    const throwKey = sub.throw_event_instance_key!;
    const left = this.rt.state.compensations.ofProcess(sub.process_instance_key);
    if (left.some((s) => s.throw_event_instance_key === throwKey)) return;
    const thrower = this.rt.ei(throwKey);
    if (thrower?.state === 'ACTIVATED') tx.follow('COMPLETE', throwKey);
  }

  /** A sub-process's subscription (no handler) completes once no subscription is left inside it. */
  private completeScopes(tx: Tx, processInstanceKey: number, scopeKey: number): void {
    const subs = this.rt.state.compensations.ofProcess(processInstanceKey);
    if (subs.some((s) => s.scope_key === scopeKey)) return;
    const holder = subs.find((s) => s.activity_instance_key === scopeKey && s.handler_id === null);
    if (!holder) return;
    this.end(tx, holder);
    this.completeScopes(tx, processInstanceKey, holder.scope_key);
  }

  private end(tx: Tx, sub: Sub, intent: 'COMPLETED' | 'DELETED' = 'COMPLETED'): void {
    this.rt.state.compensations.delete(sub.key);
    tx.record('COMPENSATION_SUBSCRIPTION', intent, sub.key, sub.process_instance_key, sub.activity_id, null);
  }

  /** A terminated sub-process (or body) takes the subscriptions inside it along. */
  deleteWithin(tx: Tx, ei: ElementInstanceRow): void {
    const subs = this.rt.state.compensations.ofProcess(ei.process_instance_key);
    const drop = (scopeKey: number): void => {
      for (const s of subs.filter((x) => x.scope_key === scopeKey)) {
        this.end(tx, s, 'DELETED');
        drop(s.activity_instance_key);
      }
    };
    drop(ei.key);
  }

  /** The process instance ended: nothing of it can be compensated any more. */
  deleteOfProcess(tx: Tx, processInstanceKey: number): void {
    for (const s of this.rt.state.compensations.ofProcess(processInstanceKey)) this.end(tx, s, 'DELETED');
  }
}

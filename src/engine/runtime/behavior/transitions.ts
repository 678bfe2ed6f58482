// Zeebe's BpmnStateTransitionBehavior: element instances come and go — created in a scope, moved
// through their states, terminated with everything they hold — and tokens move along sequence
// flows, waiting at joining gateways.
import type { ElementModel, FlowModel, ProcessModel } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { type ElementData, parseData, serializeData, type Trigger } from '../elementData.ts';
import { type Definition, type Runtime, TENANT } from '../runtime.ts';
import type { Tx } from '../tx.ts';
import { adHocChildEnded } from './adhoc-completion.ts';
import type { IncidentBehavior } from './incidents.ts';
import type { JobBehavior } from './jobs.ts';
import type { EventSubscriptionBehavior } from './subscriptions.ts';
import type { VariableBehavior } from './variables.ts';

export interface ProcessInstanceOptions {
  startElementId?: string;
  trigger?: Trigger;
  parentProcessInstanceKey?: number;
  parentElementInstanceKey?: number;
  /** Camunda 8.8 process-instance tags. */
  tags?: string[];
}

export class StateTransitionBehavior {
  /** Set by the interpreter: what ends with a terminated scope (the compensation subscriptions inside it). */
  onScopeTerminated: (tx: Tx, ei: ElementInstanceRow) => void = () => {};
  /** Set by the interpreter: what ends with a process instance (its compensation subscriptions). */
  onProcessFinished: (tx: Tx, processInstanceKey: number) => void = () => {};
  /** Set by the interpreter: starts what the termination of `ei` waits for (a user task's canceling listeners). */
  holdTermination: (tx: Tx, ei: ElementInstanceRow) => boolean = () => false;

  constructor(
    private readonly rt: Runtime,
    private readonly variables: VariableBehavior,
    private readonly subscriptions: EventSubscriptionBehavior,
    private readonly jobs: JobBehavior,
    private readonly incidents: IncidentBehavior,
  ) {}

  setData(ei: ElementInstanceRow, data: ElementData): void {
    const json = serializeData(data);
    this.rt.state.elementInstances.setData(ei.key, json);
    ei.data = json;
  }

  setState(tx: Tx, ei: ElementInstanceRow, state: 'ACTIVATED' | 'COMPLETED' | 'TERMINATED'): void {
    const ended = state === 'ACTIVATED' ? null : tx.now;
    this.rt.state.elementInstances.setState(ei.key, state, ended);
    ei.state = state;
    const intent =
      state === 'ACTIVATED'
        ? 'ELEMENT_ACTIVATED'
        : state === 'COMPLETED'
          ? 'ELEMENT_COMPLETED'
          : 'ELEMENT_TERMINATED';
    tx.record('PROCESS_INSTANCE', intent, ei.key, ei.process_instance_key, ei.element_id, {
      elementType: ei.element_type,
      flowScopeKey: ei.flow_scope_key,
    });
  }

  /** Activation done: the element waits (for a job, a message, its children...). */
  activated(tx: Tx, ei: ElementInstanceRow): void {
    this.setState(tx, ei, 'ACTIVATED');
  }

  /** Activation done and nothing to wait for: the element completes next. */
  activatedAndComplete(tx: Tx, ei: ElementInstanceRow): void {
    this.setState(tx, ei, 'ACTIVATED');
    tx.follow('COMPLETE', ei.key);
  }

  createProcessInstance(
    tx: Tx,
    def: Definition,
    variables: Record<string, unknown>,
    options: ProcessInstanceOptions = {},
  ): number {
    const key = this.rt.key();
    this.rt.state.processInstances.insert({
      key,
      definitionKey: def.key,
      processId: def.processId,
      version: def.version,
      startDate: tx.now,
      parentProcessInstanceKey: options.parentProcessInstanceKey ?? null,
      parentElementInstanceKey: options.parentElementInstanceKey ?? null,
      tenantId: TENANT,
      tags: options.tags,
    });
    const data: ElementData = {};
    if (options.startElementId) data.start = options.startElementId;
    if (options.trigger) data.trigger = options.trigger;
    this.insertElementInstance(tx, key, key, def.key, def.processId, 'PROCESS', null, data);
    tx.record('PROCESS_INSTANCE_CREATION', 'CREATED', key, key, def.processId, {
      processDefinitionKey: def.key,
      version: def.version,
    });
    for (const [name, value] of Object.entries(variables)) this.variables.setLocal(tx, key, key, name, value);
    tx.follow('ACTIVATE', key);
    return key;
  }

  private insertElementInstance(
    tx: Tx,
    key: number,
    processInstanceKey: number,
    definitionKey: number,
    elementId: string,
    type: string,
    flowScopeKey: number | null,
    data: ElementData | null,
  ): void {
    this.rt.state.elementInstances.insert({
      key,
      processInstanceKey,
      definitionKey,
      elementId,
      type,
      flowScopeKey,
      startDate: tx.now,
      data: serializeData(data),
    });
  }

  /** Creates an element instance in a scope and queues its activation. */
  createElement(
    tx: Tx,
    scope: ElementInstanceRow,
    elementId: string,
    data: ElementData | null = null,
  ): number {
    const el = this.rt.model(scope).elements[elementId]; // none: an ad-hoc sub-process's inner instance
    const type = !el
      ? 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
      : el.loop && !(scope.element_type === 'MULTI_INSTANCE_BODY' && scope.element_id === el.id)
        ? 'MULTI_INSTANCE_BODY'
        : el.type;
    const key = this.rt.key();
    this.insertElementInstance(
      tx,
      key,
      scope.process_instance_key,
      scope.process_definition_key,
      elementId,
      type,
      scope.key,
      data,
    );
    tx.follow('ACTIVATE', key);
    return key;
  }

  activeChildren(scopeKey: number): ElementInstanceRow[] {
    return this.rt.state.elementInstances.activeChildren(scopeKey);
  }

  // ---------------------------------------------------------------------------------------------
  // sequence flows and joins

  /** After an element completed: its tokens move on, then the scope may be done. */
  takeOutgoingFlows(tx: Tx, ei: ElementInstanceRow, flows: FlowModel[]): void {
    const scope = this.rt.ei(ei.flow_scope_key!)!;
    const model = this.rt.model(ei);
    for (const flow of flows) this.takeFlow(tx, scope, flow, model);
    this.onChildEnded(tx, scope);
  }

  private takeFlow(tx: Tx, scope: ElementInstanceRow, flow: FlowModel, model: ProcessModel): void {
    const target = model.elements[flow.target]!;
    tx.record(
      'PROCESS_INSTANCE',
      'SEQUENCE_FLOW_TAKEN',
      this.rt.key(),
      scope.process_instance_key,
      flow.id,
      null,
    );
    const joins =
      (target.type === 'PARALLEL_GATEWAY' || target.type === 'INCLUSIVE_GATEWAY') &&
      target.incoming.length > 1;
    if (!joins) {
      this.createElement(tx, scope, target.id);
      return;
    }
    const data = parseData(scope);
    data.joins ??= {};
    const tokens = data.joins[target.id] ?? {};
    data.joins[target.id] = tokens;
    tokens[flow.id] = (tokens[flow.id] ?? 0) + 1;
    this.setData(scope, data);
    this.tryJoin(tx, scope, target, model);
  }

  /** Activates a joining gateway once its tokens are complete (parallel: every incoming flow; inclusive: every flow still reachable). */
  private tryJoin(tx: Tx, scope: ElementInstanceRow, gateway: ElementModel, model: ProcessModel): boolean {
    const data = parseData(scope);
    const tokens = data.joins?.[gateway.id];
    if (!tokens) return false;
    const hasToken = (f: string) => (tokens[f] ?? 0) > 0;
    if (gateway.type === 'PARALLEL_GATEWAY') {
      if (!gateway.incoming.every(hasToken)) return false;
    } else {
      if (!gateway.incoming.some(hasToken)) return false;
      const missing = gateway.incoming.filter((f) => !hasToken(f));
      if (missing.length > 0 && this.mayStillArrive(scope, data, gateway, missing, model)) return false;
    }
    for (const f of gateway.incoming) {
      if (hasToken(f)) tokens[f]! -= 1;
      if (tokens[f] === 0) delete tokens[f];
    }
    if (Object.keys(tokens).length === 0) delete data.joins![gateway.id];
    if (data.joins && Object.keys(data.joins).length === 0) delete data.joins;
    this.setData(scope, data);
    this.createElement(tx, scope, gateway.id);
    return true;
  }

  /** Inclusive join: can a token still reach one of the missing flows? */
  private mayStillArrive(
    scope: ElementInstanceRow,
    data: ElementData,
    gateway: ElementModel,
    missing: string[],
    model: ProcessModel,
  ): boolean {
    const sources = new Set<string>(this.activeChildren(scope.key).map((c) => c.element_id));
    for (const [gw, t] of Object.entries(data.joins ?? {})) {
      if (gw !== gateway.id && Object.values(t).some((n) => n > 0)) sources.add(gw);
    }
    const reachable = reachableFlows(sources, gateway.id, model);
    return missing.some((f) => reachable.has(f));
  }

  /** After a child left the scope: re-check inclusive joins, complete the scope when nothing is left. */
  onChildEnded(tx: Tx, scope: ElementInstanceRow): void {
    const fresh = this.rt.ei(scope.key)!;
    if (fresh.state !== 'ACTIVATED' || fresh.element_type === 'MULTI_INSTANCE_BODY') return;
    if (fresh.element_type === 'AD_HOC_SUB_PROCESS') {
      adHocChildEnded(
        tx,
        fresh,
        this.rt.element(fresh),
        this.rt.state.elementInstances.countActiveChildren(fresh.key),
      );
      return;
    }
    let data = parseData(fresh);
    if (data.joins) {
      const model = this.rt.model(fresh);
      for (const gw of Object.keys(data.joins)) {
        const el = model.elements[gw]!;
        if (el.type === 'INCLUSIVE_GATEWAY') this.tryJoin(tx, fresh, el, model);
      }
      data = parseData(this.rt.ei(scope.key)!);
      if (data.joins) return;
    }
    if (this.rt.state.elementInstances.countActiveChildren(fresh.key) === 0) tx.follow('COMPLETE', fresh.key);
  }

  // ---------------------------------------------------------------------------------------------
  // ending

  finishProcess(tx: Tx, root: ElementInstanceRow, state: 'COMPLETED' | 'TERMINATED'): void {
    this.onProcessFinished(tx, root.key);
    this.rt.state.processInstances.finish(root.key, state, tx.now);
    const pi = this.rt.pi(root.key)!;
    if (state === 'COMPLETED' && pi.parent_element_instance_key !== null) {
      const parent = this.rt.ei(pi.parent_element_instance_key);
      if (parent && parent.state === 'ACTIVATED') {
        const parentEl = this.rt.element(parent);
        const vars = this.variables.localVariables(root.key);
        if (parentEl.outputs?.length) {
          // the output mappings read the child's variables and decide what propagates
          this.variables.setLocals(tx, parent, vars);
        } else if (parentEl.callActivity!.propagateAllChildVariables) {
          this.variables.mergeDocument(tx, parent.key, parent.process_instance_key, vars);
        }
        tx.follow('COMPLETE', parent.key);
      }
    }
    this.rt.onProcessEnded(tx, pi, state);
  }

  /**
   * Terminates `ei` with everything it holds. False when the termination waits (Zeebe's TransitionOutcome.AWAIT):
   * the element stays TERMINATING until what holds it up is done — a user task's canceling listeners
   * (holdTermination), or a child or called process that waits for them — and resumeTermination goes on then.
   */
  terminate(tx: Tx, ei: ElementInstanceRow): boolean {
    const fresh = this.rt.ei(ei.key);
    if (fresh?.state === 'TERMINATING') return false;
    if (
      !fresh ||
      (fresh.state !== 'ACTIVATING' && fresh.state !== 'ACTIVATED' && fresh.state !== 'COMPLETING')
    )
      return true;
    let waits = false;
    for (const child of this.activeChildren(fresh.key)) if (!this.terminate(tx, child)) waits = true;
    if (SCOPES.has(fresh.element_type)) this.onScopeTerminated(tx, fresh);
    this.subscriptions.closeSubscriptions(tx, fresh.key);
    this.jobs.cancelJobsOf(tx, fresh);
    if (fresh.element_type === 'CALL_ACTIVITY') {
      for (const c of this.rt.state.processInstances.activeCalledBy(fresh.key)) {
        const root = this.rt.ei(c.key);
        if (root && !this.terminate(tx, root)) waits = true;
      }
    }
    this.incidents.resolveAllOf(tx, fresh.key);
    if (waits || this.holdTermination(tx, fresh)) {
      this.rt.state.elementInstances.setState(fresh.key, 'TERMINATING', null);
      ei.state = 'TERMINATING';
      return false;
    }
    this.endTermination(tx, fresh);
    return true;
  }

  private endTermination(tx: Tx, ei: ElementInstanceRow): void {
    this.jobs.cancelWorkOf(tx, ei);
    this.setState(tx, ei, 'TERMINATED');
    if (ei.element_type === 'PROCESS') this.finishProcess(tx, ei, 'TERMINATED');
  }

  /**
   * What held up the termination of `ei` is done: it is TERMINATED, the boundary event that interrupted it is
   * activated, and its scope (or calling activity) goes on — Zeebe's onFinalizeTermination and onChildTerminated.
   */
  resumeTermination(tx: Tx, ei: ElementInstanceRow): void {
    const fresh = this.rt.ei(ei.key);
    if (fresh?.state !== 'TERMINATING') return;
    this.endTermination(tx, fresh);
    const after = parseData(fresh).after;
    const scope = fresh.flow_scope_key === null ? undefined : this.rt.ei(fresh.flow_scope_key);
    if (after && scope?.state === 'ACTIVATED') {
      this.createElement(tx, scope, after.elementId, { trigger: after.trigger });
    }
    const parentKey = fresh.flow_scope_key ?? this.rt.pi(fresh.key)?.parent_element_instance_key ?? null;
    if (parentKey !== null) this.childTerminated(tx, parentKey);
  }

  /** A child of `scopeKey` (or the process it called) ended a termination that waited. */
  private childTerminated(tx: Tx, scopeKey: number): void {
    const scope = this.rt.ei(scopeKey);
    if (!scope || this.rt.state.elementInstances.countActiveChildren(scope.key) > 0) return;
    if (scope.state === 'TERMINATING') {
      if (this.rt.state.processInstances.activeCalledBy(scope.key).length > 0) return;
      this.resumeTermination(tx, scope);
      return;
    }
    if (scope.state !== 'ACTIVATED') return;
    const data = parseData(scope);
    if (data.esp) {
      const { elementId, trigger } = data.esp;
      delete data.esp;
      this.setData(scope, data);
      this.createElement(tx, scope, elementId, { trigger });
    } else if (scope.element_type === 'MULTI_INSTANCE_BODY') {
      tx.follow('COMPLETE', scope.key); // its completion condition ended the inner instances
    } else {
      this.onChildEnded(tx, scope);
    }
  }

  /** An interrupting boundary event fires: its activity ends, then the event is activated in the activity's scope. */
  interruptActivity(tx: Tx, holder: ElementInstanceRow, elementId: string, trigger: Trigger): void {
    const scope = this.rt.ei(holder.flow_scope_key!)!;
    if (this.terminate(tx, holder)) {
      this.createElement(tx, scope, elementId, { trigger });
      return;
    }
    const fresh = this.rt.ei(holder.key)!;
    const data = parseData(fresh);
    data.after = { elementId, trigger };
    this.setData(fresh, data);
  }

  /** An interrupting event sub-process starts: everything else in its scope ends, then it is activated. */
  interruptScope(tx: Tx, holder: ElementInstanceRow, elementId: string, trigger: Trigger): void {
    let waits = false;
    for (const c of this.activeChildren(holder.key)) if (!this.terminate(tx, c)) waits = true;
    this.subscriptions.closeSubscriptions(tx, holder.key);
    const fresh = this.rt.ei(holder.key)!;
    const data = parseData(fresh);
    data.interrupted = true;
    if (waits) data.esp = { elementId, trigger };
    this.setData(fresh, data);
    if (!waits) this.createElement(tx, fresh, elementId, { trigger });
  }
}

/** Element instances that may hold compensation subscriptions of what completed inside them. */
const SCOPES = new Set([
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'MULTI_INSTANCE_BODY',
  'AD_HOC_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
]);

function reachableFlows(sources: Set<string>, stopAt: string, model: ProcessModel): Set<string> {
  const flows = new Set<string>();
  const seen = new Set<string>();
  const stack = [...sources];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const el = model.elements[id];
    if (!el) continue;
    for (const b of el.boundaries ?? []) stack.push(b);
    if (el.event?.linkTarget) stack.push(el.event.linkTarget); // a link throw event continues at its catch event
    for (const f of el.outgoing) {
      flows.add(f);
      const target = model.flows[f]!.target;
      if (target !== stopAt) stack.push(target);
    }
  }
  return flows;
}

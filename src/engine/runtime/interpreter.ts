// The BPMN interpreter (Zeebe's BpmnStreamProcessor): runs each queued step of an element
// instance — activate, complete — through the processor of its element type (bpmn/index.ts), with
// the shared behaviours (behavior/) and the state modules (../state/). Every method runs inside a
// command's transaction (Tx); the follow-up queue continues each token until every path waits.
import type { ElementModel, FlowModel } from '../model/types.ts';
import type { Db } from '../state/db.ts';
import type { PendingStep } from '../state/pendingSteps.ts';
import type { ElementInstanceRow, IncidentRow, JobRow, MessageSubscriptionRow } from '../state/rows.ts';
import type { Repetitions } from '../timer/index.ts';
import { CompensationBehavior } from './behavior/compensation.ts';
import { EventTriggerBehavior } from './behavior/events.ts';
import { IncidentBehavior } from './behavior/incidents.ts';
import { JobBehavior } from './behavior/jobs.ts';
import { ListenerBehavior } from './behavior/listeners.ts';
import { EventSubscriptionBehavior } from './behavior/subscriptions.ts';
import { TaskListenerBehavior } from './behavior/task-listeners.ts';
import { type ProcessInstanceOptions, StateTransitionBehavior } from './behavior/transitions.ts';
import { VariableBehavior } from './behavior/variables.ts';
import { retryWorkerJob } from './bpmn/container/adHocSubProcess.ts';
import { createProcessors, type ProcessorTable } from './bpmn/index.ts';
import { collectInnerOutput, onInnerCompleted } from './bpmn/multiinstance/multiInstanceBody.ts';
import type { Behaviors, BpmnElementProcessor } from './bpmn/types.ts';
import { type ElementData, parseData, type Trigger } from './elementData.ts';
import { type Definition, type Logger, Runtime } from './runtime.ts';
import type { FollowUp, Tx } from './tx.ts';

export type { DecisionEvaluator, DecisionResult, Definition, Logger } from './runtime.ts';
export { TENANT } from './runtime.ts';

export class Interpreter extends Runtime implements Behaviors {
  readonly rt: Runtime = this;
  readonly variables: VariableBehavior;
  readonly incidents: IncidentBehavior;
  readonly subscriptions: EventSubscriptionBehavior;
  readonly jobs: JobBehavior;
  readonly transitions: StateTransitionBehavior;
  readonly events: EventTriggerBehavior;
  readonly listeners: ListenerBehavior;
  readonly taskListeners: TaskListenerBehavior;
  readonly compensation: CompensationBehavior;
  private readonly processors: ProcessorTable;

  constructor(db: Db, log: Logger) {
    super(db, log);
    this.variables = new VariableBehavior(this);
    this.incidents = new IncidentBehavior(this);
    this.subscriptions = new EventSubscriptionBehavior(this);
    this.jobs = new JobBehavior(this);
    this.transitions = new StateTransitionBehavior(
      this,
      this.variables,
      this.subscriptions,
      this.jobs,
      this.incidents,
    );
    this.events = new EventTriggerBehavior(this, this.variables, this.subscriptions, this.transitions);
    this.listeners = new ListenerBehavior(this, this.variables, this.jobs, this.transitions);
    const { variables, jobs, transitions, incidents } = this;
    this.taskListeners = new TaskListenerBehavior(this, variables, jobs, transitions, incidents);
    this.jobs.onTaskCanceled = (tx, key) => this.taskListeners.canceled(tx, key);
    this.compensation = new CompensationBehavior(this, transitions);
    transitions.onScopeTerminated = (tx, ei) => this.compensation.deleteWithin(tx, ei);
    transitions.holdTermination = (tx, ei) => this.taskListeners.canceling(tx, ei);
    transitions.onProcessFinished = (tx, key) => this.compensation.deleteOfProcess(tx, key);
    this.processors = createProcessors(this);
  }

  // ---------------------------------------------------------------------------------------------
  // the transaction's follow-up queue and its records

  /** Writes the transaction's records and the key generator's position. */
  flush(tx: Tx): void {
    this.state.records.append(tx.records, tx.now);
    tx.records.length = 0;
    this.state.records.saveNextKey(this.nextKey);
  }

  /**
   * Runs queued follow-up work until every token waits, or until `limit` steps have run: then the
   * rest of the queue is written to pending_steps (in this transaction) for a later one to continue,
   * as Zeebe writes follow-up commands to its log; likewise once `until` (performance.now()) has
   * passed. Returns whether steps were left pending.
   */
  drain(tx: Tx, limit = Number.POSITIVE_INFINITY, until = Number.POSITIVE_INFINITY): boolean {
    let steps = 0;
    while (tx.queue.length > 0) {
      const spent = steps >= limit || (steps > 0 && performance.now() >= until);
      // a RUN step is a closure and cannot be stored: run on until none is queued (they are rare)
      if (spent && !tx.queue.some((f) => f.kind === 'RUN')) {
        this.carryOver(tx);
        return true;
      }
      this.step(tx, tx.queue.shift()!);
      steps++;
    }
    return false;
  }

  private carryOver(tx: Tx): void {
    const steps: PendingStep[] = [];
    for (const f of tx.queue) {
      if (f.kind === 'RUN') continue;
      const pi =
        f.kind === 'CORRELATE_BUFFERED'
          ? this.state.messages.subscription(f.key)?.process_instance_key
          : this.ei(f.key)?.process_instance_key;
      steps.push({ kind: f.kind, key: f.key, processInstanceKey: pi ?? null });
    }
    tx.queue.length = 0;
    this.state.pendingSteps.append(steps);
  }

  /** Queues up to `limit` steps a former transaction left pending, oldest first. */
  resumePending(tx: Tx, limit: number): void {
    for (const s of this.state.pendingSteps.take(limit)) tx.queue.push({ kind: s.kind, key: s.key });
  }

  /** Runs one follow-up. */
  step(tx: Tx, next: FollowUp): void {
    switch (next.kind) {
      case 'ACTIVATE':
        this.activate(tx, next.key);
        return;
      case 'COMPLETE':
        this.complete(tx, next.key);
        return;
      case 'CORRELATE_BUFFERED':
        this.events.correlateBuffered(tx, next.key);
        return;
      case 'RUN':
        next.run();
        return;
    }
  }

  private processorOf(ei: ElementInstanceRow): BpmnElementProcessor {
    const processor = this.processors[ei.element_type];
    if (!processor) throw new Error(`Unsupported element type ${ei.element_type}`);
    return processor;
  }

  // ---------------------------------------------------------------------------------------------
  // the element lifecycle

  activate(tx: Tx, key: number): void {
    const ei = this.ei(key);
    if (ei?.state !== 'ACTIVATING') return;
    this.attemptWithListeners(tx, ei, () => {
      const el = this.element(ei);
      const processor = this.processorOf(ei);
      // a body's and a process's inputs are mapped by their inner instances and callers; once start listeners
      // are under way, the mappings were applied before the first of them
      const mapped = this.listeners.progress(ei)?.phase === 'start';
      if (!mapped && ei.element_type !== 'MULTI_INSTANCE_BODY' && ei.element_type !== 'PROCESS')
        this.variables.applyInputMappings(tx, ei, el);
      if (this.listeners.awaitStart(tx, ei, el)) return;
      processor.onActivate(tx, ei, el, parseData(ei));
    });
  }

  complete(tx: Tx, key: number): void {
    const ei = this.ei(key);
    if (!ei || (ei.state !== 'ACTIVATED' && ei.state !== 'COMPLETING')) return;
    if (ei.state !== 'COMPLETING') {
      this.state.elementInstances.setCompleting(ei.key);
      ei.state = 'COMPLETING';
    }
    const el = this.element(ei);
    const processor = this.processorOf(ei);
    const ends = this.listeners.of(ei, el, 'end').length;
    if (ends > 0) {
      // end listeners: after the output mappings, one job at a time, before the element is left
      const lsn = this.listeners.progress(ei);
      if (lsn?.phase !== 'end') {
        this.attemptWithListeners(tx, ei, () => {
          this.mapOutputs(tx, ei, el, processor);
          this.listeners.createEndJob(tx, ei, el, 0);
        });
        return;
      }
      if (lsn.job !== undefined) return; // the open listener job completes the step
      if (lsn.next < ends) {
        this.attemptWithListeners(tx, ei, () => this.listeners.createEndJob(tx, ei, el, lsn.next));
        return;
      }
    }
    this.leave(tx, ei, el, processor, ends === 0);
  }

  /** A step that may create a listener's job: an incident there makes the phase's listeners run again. */
  private attemptWithListeners(tx: Tx, ei: ElementInstanceRow, step: () => void): void {
    if (!this.attempt(tx, ei, step)) this.listeners.afterIncident(ei);
  }

  private mapOutputs(
    tx: Tx,
    ei: ElementInstanceRow,
    el: ElementModel,
    processor: BpmnElementProcessor,
  ): void {
    if (processor.onCompleting) processor.onCompleting(tx, ei, el);
    else this.variables.applyOutputMappings(tx, ei, el);
  }

  /** The element completes and its token moves on (its outputs mapped here unless end listeners ran after them). */
  private leave(
    tx: Tx,
    ei: ElementInstanceRow,
    el: ElementModel,
    processor: BpmnElementProcessor,
    mapOutputs: boolean,
  ): void {
    let flows: FlowModel[] = [];
    let conditionMet = false;
    // an inner instance of a multi-instance body goes back to its body, not along flows
    const isInner = el.loop !== undefined && ei.element_type !== 'MULTI_INSTANCE_BODY';
    const ok = this.attempt(tx, ei, () => {
      if (mapOutputs) this.mapOutputs(tx, ei, el, processor);
      if (isInner) conditionMet = collectInnerOutput(this, tx, ei, el);
      else flows = this.outgoingFlows(processor, ei, el);
    });
    if (!ok) return;
    this.subscriptions.closeSubscriptions(tx, ei.key);
    this.transitions.setState(tx, ei, 'COMPLETED');
    this.compensation.onCompleted(tx, ei, el);
    if (isInner) {
      onInnerCompleted(this, tx, this.ei(ei.flow_scope_key!)!, el, conditionMet);
    } else if (processor.onCompleted) {
      processor.onCompleted(tx, ei, el, flows);
    } else {
      this.transitions.takeOutgoingFlows(tx, ei, flows);
    }
  }

  private outgoingFlows(
    processor: BpmnElementProcessor,
    ei: ElementInstanceRow,
    el: ElementModel,
  ): FlowModel[] {
    const model = this.model(ei);
    if (processor.outgoingFlows) return processor.outgoingFlows(ei, el, model);
    return el.outgoing.map((id) => model.flows[id]!);
  }

  /** Retries the step where an element stopped (after its incident was resolved). */
  retryElement(tx: Tx, ei: ElementInstanceRow): void {
    if (this.taskListeners.retry(tx, ei) || retryWorkerJob(this, tx, ei)) return;
    if (ei.state === 'ACTIVATING') tx.follow('ACTIVATE', ei.key);
    else if (ei.state === 'COMPLETING' || ei.state === 'ACTIVATED') tx.follow('COMPLETE', ei.key);
  }

  // ---------------------------------------------------------------------------------------------
  // what the command processors use (a thin face over the behaviours)

  localVariables(scopeKey: number): Record<string, unknown> {
    return this.variables.localVariables(scopeKey);
  }

  context(key: number): Record<string, unknown> {
    return this.variables.context(key);
  }

  setLocal(tx: Tx, scopeKey: number, processInstanceKey: number, name: string, value: unknown): void {
    this.variables.setLocal(tx, scopeKey, processInstanceKey, name, value);
  }

  mergeDocument(tx: Tx, startKey: number, processInstanceKey: number, vars: Record<string, unknown>): void {
    this.variables.mergeDocument(tx, startKey, processInstanceKey, vars);
  }

  applyCompletionVariables(
    tx: Tx,
    ei: ElementInstanceRow,
    vars: Record<string, unknown> | null | undefined,
  ): void {
    this.variables.applyCompletionVariables(tx, ei, vars);
  }

  attempt(tx: Tx, ei: ElementInstanceRow, step: () => void, jobKey: number | null = null): boolean {
    return this.incidents.attempt(tx, ei, step, jobKey);
  }

  createIncident(
    tx: Tx,
    ei: ElementInstanceRow,
    errorType: string,
    message: string,
    jobKey: number | null,
  ): number {
    return this.incidents.createIncident(tx, ei, errorType, message, jobKey);
  }

  markIncidentResolved(tx: Tx, incident: IncidentRow): void {
    this.incidents.markIncidentResolved(tx, incident);
  }

  createProcessInstance(
    tx: Tx,
    def: Definition,
    variables: Record<string, unknown>,
    options: ProcessInstanceOptions = {},
  ): number {
    return this.transitions.createProcessInstance(tx, def, variables, options);
  }

  createElement(
    tx: Tx,
    scope: ElementInstanceRow,
    elementId: string,
    data: ElementData | null = null,
  ): number {
    return this.transitions.createElement(tx, scope, elementId, data);
  }

  terminate(tx: Tx, ei: ElementInstanceRow): boolean {
    return this.transitions.terminate(tx, ei);
  }

  activeChildren(scopeKey: number): ElementInstanceRow[] {
    return this.transitions.activeChildren(scopeKey);
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
    return this.subscriptions.insertTimer(
      tx,
      holderKey,
      processInstanceKey,
      definitionKey,
      elementId,
      dueAt,
      repetitions,
      def,
      interrupting,
    );
  }

  correlate(
    tx: Tx,
    sub: MessageSubscriptionRow,
    messageKey: number,
    variables: Record<string, unknown>,
  ): boolean {
    return this.events.correlate(tx, sub, messageKey, variables);
  }

  triggerEvent(tx: Tx, holder: ElementInstanceRow, targetId: string, trigger: Trigger): boolean {
    return this.events.triggerEvent(tx, holder, targetId, trigger);
  }

  triggerTimer(tx: Tx, timerKey: number): void {
    this.events.triggerTimer(tx, timerKey);
  }

  throwError(
    tx: Tx,
    from: ElementInstanceRow,
    errorCode: string,
    errorMessage: string,
    variables: Record<string, unknown> | null,
  ): void {
    this.events.throwError(tx, from, errorCode, errorMessage, variables);
  }

  job(key: number): JobRow | undefined {
    return this.state.jobs.get(key);
  }
}

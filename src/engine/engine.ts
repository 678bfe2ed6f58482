// The embedded engine's typed, in-process API. Every command is one SQLite transaction that changes
// the state and appends to the event log; shapes follow Camunda's /v2 REST API so that the REST layer
// is a thin mapping. Knows nothing of any particular process.
import { EventEmitter } from 'node:events';
import { BatchOperations } from './batch-operations.ts';
import { EngineClock } from './clock.ts';
import { EngineError, invalidState, notFound } from './errors.ts';
import { setFeelClock } from './feel/index.ts';
import { parseKey } from './keys.ts';
import type { EngineOptions } from './options.ts';
import { AdHocActivities } from './processors/adhoc.ts';
import { DecisionRegistry, evaluateDecision } from './processors/decisions.ts';
import {
  type DeploymentResult,
  type DeployResource,
  prepareResources,
  writeDeployment,
} from './processors/deploy.ts';
import { startForm } from './processors/forms.ts';
import { resolveIncident } from './processors/incidents.ts';
import {
  type CreateProcessInstanceRequest,
  type CreateProcessInstanceResult,
  cancelProcessInstance,
  createProcessInstance,
  setVariables,
} from './processors/instances.ts';
import {
  type ActivatedJob,
  type ActivateJobsRequest,
  activateJobs,
  completeJob,
  type FailJobRequest,
  failJob,
  type TaskListenerResult,
  type ThrowErrorRequest,
  throwJobError,
  type UpdateJobRequest,
  updateJob,
} from './processors/jobs.ts';
import {
  correlateMessage,
  onProcessEnded,
  type PublishMessageRequest,
  publishMessage,
} from './processors/messages.ts';
import { type MigrationRequest, migrateProcessInstance } from './processors/migration.ts';
import { type ModificationRequest, modifyProcessInstance } from './processors/modification.ts';
import { deleteResource } from './processors/resources.ts';
import { type BroadcastSignalRequest, broadcastSignal } from './processors/signals.ts';
import {
  assignUserTask,
  completeUserTask,
  type UserTaskChangeset,
  unassignUserTask,
  updateUserTask,
} from './processors/userTasks.ts';
import * as queries from './queries.ts';
import { type EngineRecord, listRecords, type RecordFilter } from './read/records.ts';
import { StepBudget } from './runtime/budget.ts';
import { Interpreter, type Logger, TENANT } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';
import { Scheduler } from './scheduler.ts';
import { Db } from './state/db.ts';
import type { ProcessInstanceRow } from './state/rows.ts';
import { type CommitStats, Transactions } from './transactions.ts';

export type { EngineOptions } from './options.ts';

type Key = string | number;

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };

interface Waiter {
  resolve(result: CreateProcessInstanceResult): void;
  reject(error: Error): void;
}

export class Engine {
  readonly clock: EngineClock;
  readonly log: Logger;
  /** Batch operations on process instances (/v2/batch-operations). */
  readonly batches: BatchOperations;
  readonly adHoc: AdHocActivities;
  private readonly db: Db;
  private readonly it: Interpreter;
  private readonly scheduler: Scheduler;
  private readonly events = new EventEmitter();
  private readonly waiters = new Map<number, Waiter[]>();
  private readonly decisions: DecisionRegistry;
  private readonly txs: Transactions;
  private closed = false;
  private readonly budget: StepBudget;
  private readonly unsubscribeClock: () => void;

  private constructor(options: EngineOptions) {
    this.clock = options.clock ?? new EngineClock();
    this.log = options.logger ?? silent;
    this.db = new Db({ file: options.file, synchronous: options.synchronous });
    this.it = new Interpreter(this.db, this.log);
    this.txs = new Transactions(
      {
        it: this.it,
        log: this.log,
        now: () => this.clock.now(),
        closed: () => this.closed,
        drain: (tx) => this.budget.drain(tx),
        committed: (tx, pending) => {
          if (tx.jobTypes.size > 0) this.notifyJobs(tx.jobTypes);
          if (tx.earliestWake !== Number.POSITIVE_INFINITY) this.scheduler.wakeAt(tx.earliestWake);
          if (pending) this.budget.schedule();
        },
      },
      options.groupCommit,
    );
    this.budget = new StepBudget(
      { it: this.it, log: this.log, run: (fn) => this.run(fn) },
      options.stepsPerTransaction,
    );
    this.events.setMaxListeners(0);
    this.decisions = new DecisionRegistry(this.it);
    this.it.decisions = this.decisions.evaluator();
    this.it.formKeyOf = (formId) => this.it.state.definitions.latestFormKey(formId);
    this.it.onProcessEnded = (tx, pi, state) => this.processEnded(tx, pi, state);
    setFeelClock(() => this.clock.now());
    this.scheduler = new Scheduler({
      it: this.it,
      clock: this.clock,
      log: this.log,
      options,
      run: (fn) => this.run(fn),
      budget: this.budget,
      notifyJobTypes: (types) => this.notifyJobs(types),
      timersFired: (count) => this.events.emit('timersFired', count),
    });
    this.unsubscribeClock = this.clock.onChange(() => this.processDue());
    this.batches = new BatchOperations({ it: this.it, log: this.log, run: (fn) => this.run(fn) });
    this.adHoc = new AdHocActivities({ it: this.it, log: this.log, run: (fn) => this.run(fn) });
    if (options.scheduler !== false) this.startScheduler();
    // steps left pending before a stop or crash continue, in bounded transactions
    if (this.it.state.pendingSteps.any()) this.budget.schedule();
  }

  /**
   * Opens (or creates) the engine's file; overdue timers fire and expired leases are released (unless
   * `scheduler: false`, then from startScheduler()).
   */
  static async open(options: EngineOptions): Promise<Engine> {
    return new Engine(options);
  }

  /** Starts firing due timers (for a server: once it answers requests, so start-up never waits on them). */
  startScheduler(): void {
    if (this.closed) return;
    this.scheduler.start();
    this.batches.start();
  }

  /** Whether follow-up steps wait for a later transaction (a long run is still going on). */
  hasPendingSteps(): boolean {
    return this.it.state.pendingSteps.any();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.txs.close();
    this.scheduler.stop();
    this.batches.stop();
    this.budget.stop();
    this.unsubscribeClock();
    for (const [, ws] of this.waiters)
      for (const w of ws) w.reject(new EngineError('INVALID_STATE', 'The engine was closed'));
    this.waiters.clear();
    this.events.emit('close');
    this.db.close();
  }

  // ---------------------------------------------------------------------------------------------
  // transactions

  /** Runs one command in one transaction (transactions.ts). */
  private run<T>(fn: (tx: Tx) => T): T {
    return this.txs.run(fn);
  }

  /**
   * Runs `command` — calls of this engine's command methods, e.g. `() => engine.completeJob(key)` — with group
   * commit: it shares one durable transaction with the commands submitted with it, each in its own savepoint,
   * and the promise settles (with its result or its own error) only after that transaction's COMMIT. The REST
   * API submits every command this way. With `groupCommit: false` it runs at once in a transaction of its own.
   */
  submit<T>(command: () => T): Promise<Awaited<T>> {
    return this.txs.submit(command);
  }

  /** Durable commits so far, and the commands batched into them (tests, benchmarks). */
  commitStats(): CommitStats {
    return { ...this.txs.stats };
  }

  private processEnded(tx: Tx, pi: ProcessInstanceRow, state: 'COMPLETED' | 'TERMINATED'): void {
    onProcessEnded(tx, this.it, pi);
    const waiters = this.waiters.get(pi.key);
    if (!waiters) return;
    const variables = state === 'COMPLETED' ? this.it.localVariables(pi.key) : {};
    tx.afterCommit.push(() => {
      this.waiters.delete(pi.key);
      for (const w of waiters) {
        if (state === 'COMPLETED') {
          w.resolve({
            processDefinitionId: pi.process_id,
            processDefinitionVersion: pi.version,
            tenantId: TENANT,
            variables,
            processDefinitionKey: String(pi.process_definition_key),
            processInstanceKey: String(pi.key),
          });
        } else {
          w.reject(invalidState(`Process instance '${pi.key}' was terminated before it completed`));
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // deployment and decisions

  /** Deploys BPMN, DMN and form resources, all or nothing. */
  async deploy(resources: DeployResource[]): Promise<DeploymentResult> {
    const prepared = await prepareResources(resources);
    return this.run((tx) => writeDeployment(tx, this.it, prepared));
  }

  /** POST /v2/resources/{key}/deletion: a process definition, decision requirements or form leaves the runtime. */
  deleteResource(resourceKey: Key): void {
    this.run((tx) => deleteResource(tx, this.it, parseKey(resourceKey, 'resourceKey')));
  }

  /** Evaluates a deployed decision (latest version by id, or a given key) — POST /v2/decision-definitions/evaluation. */
  evaluateDecision(req: {
    decisionDefinitionId?: string;
    decisionDefinitionKey?: Key;
    variables?: Record<string, unknown>;
  }) {
    const decisionDefinitionKey =
      req.decisionDefinitionKey !== undefined
        ? parseKey(req.decisionDefinitionKey, 'decisionDefinitionKey')
        : undefined;
    return evaluateDecision(this.decisions, { ...req, decisionDefinitionKey }, (fn) => this.run(fn), this.it);
  }

  // ---------------------------------------------------------------------------------------------
  // process instances

  /** Creates an instance; with awaitCompletion the promise resolves with the final variables. */
  createProcessInstance(
    req: Omit<CreateProcessInstanceRequest, 'processDefinitionKey'> & {
      processDefinitionKey?: Key;
      awaitCompletion?: false;
    },
  ): CreateProcessInstanceResult;
  createProcessInstance(
    req: Omit<CreateProcessInstanceRequest, 'processDefinitionKey'> & {
      processDefinitionKey?: Key;
      awaitCompletion: true;
      requestTimeout?: number;
    },
  ): Promise<CreateProcessInstanceResult>;
  createProcessInstance(
    req: Omit<CreateProcessInstanceRequest, 'processDefinitionKey'> & {
      processDefinitionKey?: Key;
      awaitCompletion?: boolean;
      requestTimeout?: number;
    },
  ): CreateProcessInstanceResult | Promise<CreateProcessInstanceResult> {
    const request: CreateProcessInstanceRequest = {
      ...req,
      processDefinitionKey:
        req.processDefinitionKey !== undefined
          ? parseKey(req.processDefinitionKey, 'processDefinitionKey')
          : undefined,
    };
    if (!req.awaitCompletion) return this.run((tx) => createProcessInstance(tx, this.it, request));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: (r) => {
          if (timer) clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        },
      };
      let created: CreateProcessInstanceResult;
      try {
        created = this.run((tx) => {
          const result = createProcessInstance(tx, this.it, request);
          const key = Number(result.processInstanceKey);
          this.waiters.set(key, [waiter]);
          return result;
        });
      } catch (e) {
        reject(e);
        return;
      }
      const key = Number(created.processInstanceKey);
      const pi = this.it.pi(key);
      if (pi && pi.state !== 'ACTIVE') return; // resolved by the after-commit hook already
      if (req.requestTimeout && req.requestTimeout > 0) {
        timer = setTimeout(() => {
          const ws = this.waiters.get(key)?.filter((w) => w !== waiter) ?? [];
          if (ws.length) this.waiters.set(key, ws);
          else this.waiters.delete(key);
          reject(
            new EngineError(
              'INVALID_STATE',
              `Process instance '${key}' did not complete within ${req.requestTimeout} ms`,
            ),
          );
        }, req.requestTimeout);
      }
    });
  }

  cancelProcessInstance(processInstanceKey: Key): void {
    const key = parseKey(processInstanceKey, 'processInstanceKey');
    this.run((tx) => {
      cancelProcessInstance(tx, this.it, key);
      // a runaway instance's queued steps would only find terminated elements: drop them
      this.it.state.pendingSteps.dropInstanceTree(key);
    });
  }

  /** POST /v2/process-instances/{key}/modification: all instructions apply, or none. */
  modifyProcessInstance(processInstanceKey: Key, req: ModificationRequest): void {
    const key = parseKey(processInstanceKey, 'processInstanceKey');
    this.run((tx) => modifyProcessInstance(tx, this.it, key, req));
  }

  /** POST /v2/process-instances/{key}/migration: the instance moves to the target definition, or nothing changes. */
  migrateProcessInstance(processInstanceKey: Key, req: MigrationRequest): void {
    const key = parseKey(processInstanceKey, 'processInstanceKey');
    this.run((tx) => migrateProcessInstance(tx, this.it, key, req));
  }

  getProcessInstance(processInstanceKey: Key): queries.ProcessInstanceItem {
    const key = parseKey(processInstanceKey, 'processInstanceKey');
    const pi = this.it.pi(key);
    if (!pi) throw notFound(`Process instance with key '${key}' not found`);
    return queries.processInstanceItem(this.it, pi);
  }

  searchProcessInstances(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchProcessInstances(this.it, req);
  }

  searchProcessDefinitions(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchProcessDefinitions(this.it, req);
  }

  getProcessDefinitionXml(processDefinitionKey: Key): string {
    const xml = queries.processDefinitionXml(this.it, parseKey(processDefinitionKey, 'processDefinitionKey'));
    if (xml === null) throw notFound(`Process definition with key '${processDefinitionKey}' not found`);
    return xml;
  }

  searchElementInstances(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchElementInstances(this.it, req);
  }

  getElementInstance(elementInstanceKey: Key): queries.ElementInstanceItem {
    const ei = this.it.ei(parseKey(elementInstanceKey, 'elementInstanceKey'));
    if (!ei) throw notFound(`Element instance with key '${elementInstanceKey}' not found`);
    return queries.elementInstanceItem(this.it, ei);
  }

  searchVariables(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchVariables(this.it, req);
  }

  /** The variables visible in a process instance's root scope, parsed. */
  getVariables(processInstanceKey: Key): Record<string, unknown> {
    return this.it.localVariables(parseKey(processInstanceKey, 'processInstanceKey'));
  }

  /** Sets variables on an element instance scope (local) or with propagation. */
  setVariables(elementInstanceKey: Key, variables: Record<string, unknown>, local = false): void {
    const key = parseKey(elementInstanceKey, 'elementInstanceKey');
    this.run((tx) => setVariables(tx, this.it, key, variables, local));
  }

  // ---------------------------------------------------------------------------------------------
  // jobs

  activateJobs(req: ActivateJobsRequest): ActivatedJob[] {
    return this.run((tx) => activateJobs(tx, this.it, req));
  }

  /**
   * Resolves when jobs of the type may be activatable (created, timed out, back-off passed, retries
   * updated) or after `timeoutMs` — for long-polling activation.
   */
  waitForJobs(type: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.events.off(`jobs:${type}`, onJobs);
        this.events.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onJobs = () => done(true);
      const onClose = () => done(false);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.events.on(`jobs:${type}`, onJobs);
      this.events.on('close', onClose);
      signal?.addEventListener('abort', onAbort);
    });
  }

  /** Listener called with a job type whenever jobs of that type may have become activatable. */
  onJobsAvailable(listener: (type: string) => void): () => void {
    this.events.on('jobs', listener);
    return () => this.events.off('jobs', listener);
  }

  /** Listener called after each committed batch of fired timers, with the batch size. */
  onTimersFired(listener: (count: number) => void): () => void {
    this.events.on('timersFired', listener);
    return () => this.events.off('timersFired', listener);
  }

  private notifyJobs(types: Iterable<string>): void {
    for (const type of types) {
      this.events.emit(`jobs:${type}`);
      this.events.emit('jobs', type);
    }
  }

  completeJob(jobKey: Key, variables: Record<string, unknown> = {}, result?: TaskListenerResult): void {
    const key = parseKey(jobKey, 'jobKey');
    this.run((tx) => completeJob(tx, this.it, key, variables, result));
  }

  failJob(jobKey: Key, req: FailJobRequest): void {
    const key = parseKey(jobKey, 'jobKey');
    this.run((tx) => failJob(tx, this.it, key, req));
  }

  throwJobError(jobKey: Key, req: ThrowErrorRequest): void {
    const key = parseKey(jobKey, 'jobKey');
    this.run((tx) => throwJobError(tx, this.it, key, req));
  }

  updateJob(jobKey: Key, req: UpdateJobRequest): void {
    const key = parseKey(jobKey, 'jobKey');
    this.run((tx) => {
      updateJob(tx, this.it, key, req);
      const job = req.retries !== undefined ? this.it.job(key) : undefined;
      if (job) tx.jobTypes.add(job.type); // announced after the commit
    });
  }

  searchJobs(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchJobs(this.it, req);
  }

  // ---------------------------------------------------------------------------------------------
  // user tasks

  searchUserTasks(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchUserTasks(this.it, req);
  }

  getUserTask(userTaskKey: Key): queries.UserTaskItem {
    const key = parseKey(userTaskKey, 'userTaskKey');
    const row = this.it.state.userTasks.get(key);
    if (!row) throw notFound(`User task with key '${key}' not found`);
    return queries.userTaskItem(this.it, row);
  }

  getUserTaskForm(userTaskKey: Key): queries.FormItem | null {
    const task = this.getUserTask(userTaskKey);
    return task.formKey ? queries.formByKey(this.it, Number(task.formKey)) : null;
  }

  getStartForm(processDefinitionKey: Key): queries.FormItem | null {
    return startForm(this.it, parseKey(processDefinitionKey, 'processDefinitionKey'));
  }
  getForm(formKey: Key): queries.FormItem {
    const form = queries.formByKey(this.it, parseKey(formKey, 'formKey'));
    if (!form) throw notFound(`Form with key '${formKey}' not found`);
    return form;
  }

  assignUserTask(
    userTaskKey: Key,
    req: { assignee: string; allowOverride?: boolean; action?: string },
  ): void {
    const key = parseKey(userTaskKey, 'userTaskKey');
    this.run((tx) =>
      assignUserTask(tx, this.it, key, req.assignee, req.allowOverride ?? true, req.action ?? 'assign'),
    );
  }

  unassignUserTask(userTaskKey: Key): void {
    const key = parseKey(userTaskKey, 'userTaskKey');
    this.run((tx) => unassignUserTask(tx, this.it, key));
  }

  updateUserTask(userTaskKey: Key, changeset: UserTaskChangeset, action?: string): void {
    const key = parseKey(userTaskKey, 'userTaskKey');
    this.run((tx) => updateUserTask(tx, this.it, key, changeset, action));
  }

  completeUserTask(
    userTaskKey: Key,
    req: { variables?: Record<string, unknown>; action?: string } = {},
  ): void {
    const key = parseKey(userTaskKey, 'userTaskKey');
    this.run((tx) => completeUserTask(tx, this.it, key, req.variables ?? {}, req.action ?? 'complete'));
  }

  // ---------------------------------------------------------------------------------------------
  // messages

  publishMessage(req: PublishMessageRequest): { messageKey: string; tenantId: string } {
    return this.run((tx) => publishMessage(tx, this.it, req));
  }

  correlateMessage(req: Omit<PublishMessageRequest, 'timeToLive' | 'messageId'>) {
    return this.run((tx) => correlateMessage(tx, this.it, req));
  }

  /** POST /v2/signals/broadcast (processors/signals.ts). */
  broadcastSignal(req: BroadcastSignalRequest): { signalKey: string; tenantId: string } {
    return this.run((tx) => broadcastSignal(tx, this.it, req));
  }

  // ---------------------------------------------------------------------------------------------
  // incidents

  searchIncidents(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchIncidents(this.it, req);
  }

  getIncident(incidentKey: Key): queries.IncidentItem {
    const r = queries.searchIncidents(this.it, {
      filter: { incidentKey: String(parseKey(incidentKey, 'incidentKey')) },
    });
    const item = r.items[0];
    if (!item) throw notFound(`Incident with key '${incidentKey}' not found`);
    return item;
  }

  resolveIncident(incidentKey: Key): void {
    const key = parseKey(incidentKey, 'incidentKey');
    this.run((tx) => resolveIncident(tx, this.it, key));
  }

  // ---------------------------------------------------------------------------------------------
  // decisions, event log, clock

  searchDecisionDefinitions(req?: queries.SearchRequest<Record<string, unknown>>) {
    return queries.searchDecisionDefinitions(this.it, req);
  }

  /** The append-only event log, in order (for an operations view and audit). */
  records(filter: RecordFilter = {}): EngineRecord[] {
    return listRecords(this.it, filter);
  }

  /** Runs a read-only query of the read side (src/engine/read/) on the engine's state. */
  read<T>(query: (it: Interpreter) => T): T {
    return query(this.it);
  }

  /** Pins the clock at an instant (PUT /v2/clock); timers that fall due fire. */
  pinClock(at: number | Date): void {
    this.clock.pin(typeof at === 'number' ? at : at.getTime());
  }

  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  resetClock(): void {
    this.clock.reset();
  }

  /** Runs the scheduler now (fires due timers, releases expired leases). */
  processDue(): void {
    this.budget.asked(() => this.scheduler.runDue());
  }
}

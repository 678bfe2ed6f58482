// The BPMN interpreter: element lifecycles (activate → complete / terminate), sequence flows and
// gateways, scopes, variables, boundary and event sub-process events, messages, timers, errors and
// incidents — all with Zeebe's semantics. Every method runs inside a command's transaction (Tx); the
// follow-up queue continues each token until every path waits.
import {
  evaluate,
  evaluateBoolean,
  evaluateList,
  evaluateNumber,
  evaluateOptionalDateTime,
  evaluateString,
  evaluateStringList,
  FeelError,
  isExpression,
  parseZonedDateTime,
  staticValue,
} from '../feel/index.ts';
import type { ElementModel, EventDef, FlowModel, Mapping, ProcessModel, TimerDef } from '../model/types.ts';
import type { Db } from '../state/db.ts';
import { checkTimer, firstDueDate, nextDueDate, type Repetitions } from '../timer/index.ts';
import type {
  ElementInstanceRow,
  IncidentRow,
  JobRow,
  MessageRow,
  MessageSubscriptionRow,
  ProcessDefinitionRow,
  ProcessInstanceRow,
  TimerRow,
} from './rows.ts';
import { IncidentError, type Tx } from './tx.ts';

export const TENANT = '<default>';
const ACTIVE_STATES = "('ACTIVATING','ACTIVATED','COMPLETING')";

export interface Logger {
  debug?(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface DecisionResult {
  output: unknown;
  decisionKey: number;
  decisionId: string;
  version: number;
}

/** Evaluates a deployed decision (latest version) — provided by the engine's DMN registry. */
export interface DecisionEvaluator {
  evaluateLatest(decisionId: string, variables: Record<string, unknown>): DecisionResult;
}

export interface Definition {
  key: number;
  processId: string;
  version: number;
  name: string | null;
  tenantId: string;
  model: ProcessModel;
}

interface Trigger {
  variables: Record<string, unknown> | null;
}

interface ElementData {
  trigger?: Trigger;
  /** Tokens waiting at joining gateways of this scope: gateway id → flow id → count. */
  joins?: Record<string, Record<string, number>>;
  /** Multi-instance body. */
  mi?: { n: number; next: number; completed: number; terminated: number; items?: unknown[] };
  /** Event-based gateway: the flow of the event that won, and its trigger. */
  flow?: string;
  flowTrigger?: Trigger;
  /** Process: the start event to begin at. */
  start?: string;
  /** Scope interrupted by an interrupting event sub-process. */
  interrupted?: boolean;
}

function parseData(ei: ElementInstanceRow): ElementData {
  return ei.data ? (JSON.parse(ei.data) as ElementData) : {};
}

function isIncidentCause(e: unknown): boolean {
  return e instanceof IncidentError || e instanceof FeelError || (e as Error)?.name === 'TimerError';
}

export class Interpreter {
  readonly db: Db;
  readonly log: Logger;
  nextKey: number;
  decisions: DecisionEvaluator | null = null;
  formKeyOf: (formId: string) => number | null = () => null;
  onProcessEnded: (tx: Tx, pi: ProcessInstanceRow, state: 'COMPLETED' | 'TERMINATED') => void = () => {};
  private readonly definitions = new Map<number, Definition>();
  private readonly latest = new Map<string, number>();
  private readonly savepoint: (fn: () => void) => void;

  constructor(db: Db, log: Logger) {
    this.db = db;
    this.log = log;
    const row = db.q("SELECT value FROM meta WHERE name = 'next_key'").get() as { value: string };
    this.nextKey = Number(row.value);
    const sp = db.sqlite.transaction((fn: () => void) => fn());
    this.savepoint = (fn) => sp(fn);
  }

  // ---------------------------------------------------------------------------------------------
  // keys, records, definitions

  key(): number {
    return this.nextKey++;
  }

  flush(tx: Tx): void {
    const insert = this.db.q(
      'INSERT INTO records (key, timestamp, value_type, intent, process_instance_key, element_id, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of tx.records) {
      insert.run(
        r.key,
        tx.now,
        r.valueType,
        r.intent,
        r.processInstanceKey,
        r.elementId,
        r.value ? JSON.stringify(r.value) : null,
      );
    }
    tx.records.length = 0;
    // Never lower the persisted counter: a key once written must never be issued again.
    this.db
      .q("UPDATE meta SET value = ? WHERE name = 'next_key' AND CAST(value AS INTEGER) < ?")
      .run(String(this.nextKey), this.nextKey);
  }

  /** Runs queued follow-up work until every token waits. */
  drain(tx: Tx): void {
    let guard = 0;
    while (tx.queue.length > 0) {
      const next = tx.queue.shift()!;
      next();
      if (++guard > 1_000_000) throw new Error('Follow-up limit reached: the process loops without waiting');
    }
  }

  definition(key: number): Definition {
    let def = this.definitions.get(key);
    if (!def) {
      const row = this.db
        .q('SELECT key, process_id, version, name, tenant_id, model FROM process_definitions WHERE key = ?')
        .get(key) as (ProcessDefinitionRow & { model: string }) | undefined;
      if (!row) throw new Error(`Process definition ${key} not found`);
      def = {
        key: row.key,
        processId: row.process_id,
        version: row.version,
        name: row.name,
        tenantId: row.tenant_id,
        model: JSON.parse(row.model) as ProcessModel,
      };
      this.definitions.set(key, def);
    }
    return def;
  }

  latestDefinition(processId: string): Definition | null {
    let key = this.latest.get(processId);
    if (key === undefined) {
      const row = this.db
        .q('SELECT key FROM process_definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1')
        .get(processId) as { key: number } | undefined;
      if (!row) return null;
      key = row.key;
      this.latest.set(processId, key);
    }
    return this.definition(key);
  }

  setLatest(processId: string, key: number): void {
    this.latest.set(processId, key);
  }

  element(ei: ElementInstanceRow): ElementModel {
    const el = this.definition(ei.process_definition_key).model.elements[ei.element_id];
    if (!el) throw new Error(`Element ${ei.element_id} not found in definition ${ei.process_definition_key}`);
    return el;
  }

  ei(key: number): ElementInstanceRow | undefined {
    return this.db.q('SELECT * FROM element_instances WHERE key = ?').get(key) as
      | ElementInstanceRow
      | undefined;
  }

  pi(key: number): ProcessInstanceRow | undefined {
    return this.db.q('SELECT * FROM process_instances WHERE key = ?').get(key) as
      | ProcessInstanceRow
      | undefined;
  }

  private setData(ei: ElementInstanceRow, data: ElementData): void {
    const json = Object.keys(data).length ? JSON.stringify(data) : null;
    this.db.q('UPDATE element_instances SET data = ? WHERE key = ?').run(json, ei.key);
    ei.data = json;
  }

  // ---------------------------------------------------------------------------------------------
  // variables

  /** Scope keys from the element instance up to its process instance (root last). */
  scopeChain(key: number): number[] {
    const chain: number[] = [];
    let cur: number | null = key;
    const q = this.db.q('SELECT flow_scope_key FROM element_instances WHERE key = ?');
    while (cur !== null) {
      chain.push(cur);
      const row = q.get(cur) as { flow_scope_key: number | null } | undefined;
      cur = row ? row.flow_scope_key : null;
    }
    return chain;
  }

  localVariables(scopeKey: number): Record<string, unknown> {
    const rows = this.db.q('SELECT name, value FROM variables WHERE scope_key = ?').all(scopeKey) as Array<{
      name: string;
      value: string;
    }>;
    const vars: Record<string, unknown> = {};
    for (const r of rows) vars[r.name] = JSON.parse(r.value);
    return vars;
  }

  /** All variables visible from an element instance; inner scopes shadow outer ones. */
  context(key: number): Record<string, unknown> {
    const chain = this.scopeChain(key);
    const ctx: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(ctx, this.localVariables(chain[i]!));
    return ctx;
  }

  setLocal(tx: Tx, scopeKey: number, processInstanceKey: number, name: string, value: unknown): void {
    const json = JSON.stringify(value === undefined ? null : value);
    const existing = this.db
      .q('SELECT key, value FROM variables WHERE scope_key = ? AND name = ?')
      .get(scopeKey, name) as { key: number; value: string } | undefined;
    if (existing) {
      if (existing.value === json) return;
      this.db.q('UPDATE variables SET value = ? WHERE key = ?').run(json, existing.key);
      tx.record('VARIABLE', 'UPDATED', existing.key, processInstanceKey, null, { name, scopeKey });
    } else {
      const key = this.key();
      this.db
        .q(
          'INSERT INTO variables (key, scope_key, name, value, process_instance_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(key, scopeKey, name, json, processInstanceKey, TENANT);
      tx.record('VARIABLE', 'CREATED', key, processInstanceKey, null, { name, scopeKey });
    }
  }

  /**
   * Zeebe's merge with propagation: each variable goes to the nearest scope (from `startKey` up)
   * that already holds it, else to the process instance (root) scope.
   */
  mergeDocument(tx: Tx, startKey: number, processInstanceKey: number, vars: Record<string, unknown>): void {
    const names = Object.keys(vars);
    if (names.length === 0) return;
    const chain = this.scopeChain(startKey);
    const has = this.db.q('SELECT 1 FROM variables WHERE scope_key = ? AND name = ?');
    for (const name of names) {
      let target = chain[chain.length - 1]!;
      for (const scope of chain) {
        if (has.get(scope, name)) {
          target = scope;
          break;
        }
      }
      this.setLocal(tx, target, processInstanceKey, name, vars[name]);
    }
  }

  /**
   * Variables a job, user task, message or called process hands back to an element: with output
   * mappings they become local variables of the element (the mappings then pick what propagates);
   * without, they propagate from the element upwards.
   */
  applyCompletionVariables(
    tx: Tx,
    ei: ElementInstanceRow,
    vars: Record<string, unknown> | null | undefined,
  ): void {
    if (!vars || Object.keys(vars).length === 0) return;
    const el = this.element(ei);
    if (el.outputs?.length) {
      for (const [name, value] of Object.entries(vars))
        this.setLocal(tx, ei.key, ei.process_instance_key, name, value);
    } else {
      this.mergeDocument(tx, ei.key, ei.process_instance_key, vars);
    }
  }

  private evaluateMappings(mappings: Mapping[], ctx: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const scope = { ...ctx };
    for (const m of mappings) {
      let value: unknown;
      try {
        value = isExpression(m.source) ? evaluate(m.source, scope) : staticValue(m.source);
      } catch (e) {
        if (e instanceof FeelError) throw new IncidentError('IO_MAPPING_ERROR', e.message);
        throw e;
      }
      const path = m.target.split('.');
      if (path.length === 1) {
        result[m.target] = value;
        scope[m.target] = value;
      } else {
        const head = path[0]!;
        const base = (result[head] ?? scope[head]) as Record<string, unknown> | undefined;
        const root: Record<string, unknown> =
          base && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base) : {};
        let node = root;
        for (const part of path.slice(1, -1)) {
          const child = node[part];
          node[part] = child && typeof child === 'object' && !Array.isArray(child) ? child : {};
          node = node[part] as Record<string, unknown>;
        }
        node[path[path.length - 1]!] = value;
        result[head] = root;
        scope[head] = root;
      }
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // incidents

  /** Runs one step of an element; a failure rolls the step back and raises an incident instead. */
  attempt(tx: Tx, ei: ElementInstanceRow, step: () => void, jobKey: number | null = null): boolean {
    const queued = tx.queue.length;
    const records = tx.records.length;
    const after = tx.afterCommit.length;
    try {
      this.savepoint(step);
      return true;
    } catch (e) {
      if (!isIncidentCause(e)) throw e;
      tx.queue.length = queued;
      tx.records.length = records;
      tx.afterCommit.length = after;
      const errorType = e instanceof IncidentError ? e.errorType : 'EXTRACT_VALUE_ERROR';
      this.createIncident(tx, ei, errorType, (e as Error).message, jobKey);
      return false;
    }
  }

  createIncident(
    tx: Tx,
    ei: ElementInstanceRow,
    errorType: string,
    message: string,
    jobKey: number | null,
  ): number {
    const key = this.key();
    const def = this.definition(ei.process_definition_key);
    this.db
      .q(
        `INSERT INTO incidents (key, process_instance_key, process_definition_key, process_id, element_id,
          element_instance_key, job_key, error_type, error_message, state, created, tenant_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
      )
      .run(
        key,
        ei.process_instance_key,
        ei.process_definition_key,
        def.processId,
        ei.element_id,
        ei.key,
        jobKey,
        errorType,
        message,
        tx.now,
        TENANT,
      );
    this.db.q('UPDATE element_instances SET incident_key = ? WHERE key = ?').run(key, ei.key);
    this.db
      .q('UPDATE process_instances SET incident_count = incident_count + 1 WHERE key = ?')
      .run(ei.process_instance_key);
    tx.record('INCIDENT', 'CREATED', key, ei.process_instance_key, ei.element_id, {
      errorType,
      errorMessage: message,
      elementInstanceKey: ei.key,
      jobKey,
    });
    this.log.warn(
      { processInstanceKey: ei.process_instance_key, elementId: ei.element_id, errorType, incidentKey: key },
      `incident: ${message}`,
    );
    return key;
  }

  markIncidentResolved(tx: Tx, incident: IncidentRow): void {
    this.db
      .q("UPDATE incidents SET state = 'RESOLVED', resolved = ? WHERE key = ?")
      .run(tx.now, incident.key);
    this.db
      .q('UPDATE element_instances SET incident_key = NULL WHERE key = ? AND incident_key = ?')
      .run(incident.element_instance_key, incident.key);
    this.db
      .q('UPDATE process_instances SET incident_count = MAX(incident_count - 1, 0) WHERE key = ?')
      .run(incident.process_instance_key);
    tx.record('INCIDENT', 'RESOLVED', incident.key, incident.process_instance_key, incident.element_id, {
      errorType: incident.error_type,
    });
  }

  /** Retries the step where an element stopped (after its incident was resolved). */
  retryElement(tx: Tx, ei: ElementInstanceRow): void {
    if (ei.state === 'ACTIVATING') tx.queue.push(() => this.activate(tx, ei.key));
    else if (ei.state === 'COMPLETING' || ei.state === 'ACTIVATED')
      tx.queue.push(() => this.complete(tx, ei.key));
  }

  // ---------------------------------------------------------------------------------------------
  // process instances

  createProcessInstance(
    tx: Tx,
    def: Definition,
    variables: Record<string, unknown>,
    options: {
      startElementId?: string;
      trigger?: Trigger;
      parentProcessInstanceKey?: number;
      parentElementInstanceKey?: number;
    } = {},
  ): number {
    const key = this.key();
    this.db
      .q(
        `INSERT INTO process_instances (key, process_definition_key, process_id, version, state, start_date,
          parent_process_instance_key, parent_element_instance_key, tenant_id) VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)`,
      )
      .run(
        key,
        def.key,
        def.processId,
        def.version,
        tx.now,
        options.parentProcessInstanceKey ?? null,
        options.parentElementInstanceKey ?? null,
        TENANT,
      );
    const data: ElementData = {};
    if (options.startElementId) data.start = options.startElementId;
    if (options.trigger) data.trigger = options.trigger;
    this.insertElementInstance(tx, key, key, def.key, def.processId, 'PROCESS', null, data);
    tx.record('PROCESS_INSTANCE_CREATION', 'CREATED', key, key, def.processId, {
      processDefinitionKey: def.key,
      version: def.version,
    });
    for (const [name, value] of Object.entries(variables)) this.setLocal(tx, key, key, name, value);
    tx.queue.push(() => this.activate(tx, key));
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
    this.db
      .q(
        `INSERT INTO element_instances (key, process_instance_key, process_definition_key, element_id, element_type,
          flow_scope_key, state, start_date, data) VALUES (?, ?, ?, ?, ?, ?, 'ACTIVATING', ?, ?)`,
      )
      .run(
        key,
        processInstanceKey,
        definitionKey,
        elementId,
        type,
        flowScopeKey,
        tx.now,
        data && Object.keys(data).length ? JSON.stringify(data) : null,
      );
  }

  /** Creates an element instance in a scope and queues its activation. */
  createElement(
    tx: Tx,
    scope: ElementInstanceRow,
    elementId: string,
    data: ElementData | null = null,
  ): number {
    const el = this.definition(scope.process_definition_key).model.elements[elementId]!;
    const type =
      el.loop && !(scope.element_type === 'MULTI_INSTANCE_BODY' && scope.element_id === el.id)
        ? 'MULTI_INSTANCE_BODY'
        : el.type;
    const key = this.key();
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
    tx.queue.push(() => this.activate(tx, key));
    return key;
  }

  private setState(tx: Tx, ei: ElementInstanceRow, state: 'ACTIVATED' | 'COMPLETED' | 'TERMINATED'): void {
    const ended = state === 'ACTIVATED' ? null : tx.now;
    this.db.q('UPDATE element_instances SET state = ?, end_date = ? WHERE key = ?').run(state, ended, ei.key);
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

  // ---------------------------------------------------------------------------------------------
  // activation

  activate(tx: Tx, key: number): void {
    const ei = this.ei(key);
    if (ei?.state !== 'ACTIVATING') return;
    this.attempt(tx, ei, () => this.onActivate(tx, ei));
  }

  private onActivate(tx: Tx, ei: ElementInstanceRow): void {
    const def = this.definition(ei.process_definition_key);
    const el = this.element(ei);
    const data = parseData(ei);
    if (ei.element_type === 'MULTI_INSTANCE_BODY') {
      this.activateBody(tx, ei, el);
      return;
    }
    if (ei.element_type === 'PROCESS') {
      this.openEventSubProcessSubscriptions(tx, ei, el, this.context(ei.key));
      this.setState(tx, ei, 'ACTIVATED');
      const start = data.start ?? el.startEvent;
      if (!start) throw new IncidentError('UNKNOWN', `Process '${def.processId}' has no none start event`);
      this.createElement(tx, ei, start, data.trigger ? { trigger: data.trigger } : null);
      return;
    }
    if (el.inputs?.length) {
      const mapped = this.evaluateMappings(el.inputs, this.context(ei.key));
      for (const [name, value] of Object.entries(mapped))
        this.setLocal(tx, ei.key, ei.process_instance_key, name, value);
    }
    const trigger = data.trigger;
    const passThrough = () => {
      if (trigger) this.applyCompletionVariables(tx, ei, trigger.variables);
      this.setState(tx, ei, 'ACTIVATED');
      tx.queue.push(() => this.complete(tx, ei.key));
    };
    switch (el.type) {
      case 'START_EVENT':
      case 'BOUNDARY_EVENT':
      case 'MANUAL_TASK':
      case 'TASK':
      case 'EXCLUSIVE_GATEWAY':
      case 'PARALLEL_GATEWAY':
      case 'INCLUSIVE_GATEWAY': {
        passThrough();
        return;
      }
      case 'SUB_PROCESS': {
        const ctx = this.context(ei.key);
        this.openBoundarySubscriptions(tx, ei, el, ctx);
        this.openEventSubProcessSubscriptions(tx, ei, el, ctx);
        this.setState(tx, ei, 'ACTIVATED');
        this.createElement(tx, ei, el.startEvent!);
        return;
      }
      case 'EVENT_SUB_PROCESS':
        this.setState(tx, ei, 'ACTIVATED');
        this.createElement(tx, ei, el.startEvent!, trigger ? { trigger } : null);
        return;
      case 'INTERMEDIATE_CATCH_EVENT':
      case 'RECEIVE_TASK': {
        if (trigger) {
          passThrough();
          return;
        }
        const ctx = this.context(ei.key);
        this.openEventSubscription(tx, ei, el, ctx, true);
        if (el.type === 'RECEIVE_TASK') this.openBoundarySubscriptions(tx, ei, el, ctx);
        this.setState(tx, ei, 'ACTIVATED');
        return;
      }
      case 'EVENT_BASED_GATEWAY': {
        const ctx = this.context(ei.key);
        const model = def.model;
        for (const flowId of el.outgoing) {
          const target = model.elements[model.flows[flowId]!.target]!;
          this.openEventSubscription(tx, ei, target, ctx, true);
        }
        this.setState(tx, ei, 'ACTIVATED');
        return;
      }
      case 'END_EVENT':
        if (el.event?.kind === 'error') {
          const ctx = this.context(ei.key);
          const code = isExpression(el.event.errorCode!)
            ? this.evalString(el.event.errorCode!, ctx)
            : el.event.errorCode!;
          this.throwError(tx, ei, code, '', null);
          return;
        }
        if (el.event?.kind === 'terminate') {
          this.setState(tx, ei, 'ACTIVATED');
          const siblings = this.activeChildren(ei.flow_scope_key!).filter((c) => c.key !== ei.key);
          for (const s of siblings) this.terminate(tx, s);
          tx.queue.push(() => this.complete(tx, ei.key));
          return;
        }
        if (el.job) {
          this.activateJobElement(tx, ei, el, def);
          return;
        }
        {
          passThrough();
          return;
        }
      case 'INTERMEDIATE_THROW_EVENT':
        if (el.job) {
          this.activateJobElement(tx, ei, el, def);
          return;
        }
        {
          passThrough();
          return;
        }
      case 'SERVICE_TASK':
      case 'SEND_TASK': {
        this.activateJobElement(tx, ei, el, def);
        return;
      }
      case 'SCRIPT_TASK': {
        if (el.job) {
          this.activateJobElement(tx, ei, el, def);
          return;
        }
        const value = this.evalAny(el.script!.expression, this.context(ei.key));
        this.applyCompletionVariables(tx, ei, { [el.script!.resultVariable]: value });
        this.setState(tx, ei, 'ACTIVATED');
        tx.queue.push(() => this.complete(tx, ei.key));
        return;
      }
      case 'BUSINESS_RULE_TASK': {
        if (el.job) {
          this.activateJobElement(tx, ei, el, def);
          return;
        }
        const ctx = this.context(ei.key);
        const decisionId = isExpression(el.decision!.decisionId)
          ? this.evalString(el.decision!.decisionId, ctx)
          : el.decision!.decisionId;
        if (!this.decisions) throw new IncidentError('DECISION_EVALUATION_ERROR', 'No decision registry');
        const result = this.decisions.evaluateLatest(decisionId, ctx);
        tx.record('DECISION_EVALUATION', 'EVALUATED', this.key(), ei.process_instance_key, ei.element_id, {
          decisionId,
          decisionKey: result.decisionKey,
          decisionVersion: result.version,
          elementInstanceKey: ei.key,
        });
        this.applyCompletionVariables(tx, ei, { [el.decision!.resultVariable]: result.output });
        this.setState(tx, ei, 'ACTIVATED');
        tx.queue.push(() => this.complete(tx, ei.key));
        return;
      }
      case 'USER_TASK': {
        this.activateUserTask(tx, ei, el, def);
        return;
      }
      case 'CALL_ACTIVITY': {
        this.activateCallActivity(tx, ei, el);
        return;
      }
      default:
        throw new Error(`Unsupported element type ${el.type}`);
    }
  }

  private evalAny(expression: string, ctx: Record<string, unknown>): unknown {
    return isExpression(expression) ? evaluate(expression, ctx) : staticValue(expression);
  }

  private evalString(expression: string, ctx: Record<string, unknown>): string {
    return isExpression(expression) ? evaluateString(expression, ctx) : expression;
  }

  private optionalDate(value: string, ctx: Record<string, unknown>, what: string): number | null {
    if (isExpression(value)) return evaluateOptionalDateTime(value, ctx);
    const parsed = parseZonedDateTime(value);
    if ('error' in parsed)
      throw new IncidentError('EXTRACT_VALUE_ERROR', `Invalid ${what} '${value}': ${parsed.error}`);
    return parsed.epochMs;
  }

  private activateJobElement(tx: Tx, ei: ElementInstanceRow, el: ElementModel, def: Definition): void {
    const ctx = this.context(ei.key);
    const job = el.job!;
    const type = this.evalString(job.type, ctx);
    const retries = isExpression(job.retries) ? evaluateNumber(job.retries, ctx) : Number(job.retries);
    if (!Number.isFinite(retries)) {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Expected job retries of '${el.id}' to be a number, but was '${job.retries}'`,
      );
    }
    this.openBoundarySubscriptions(tx, ei, el, ctx);
    const key = this.key();
    this.db
      .q(
        `INSERT INTO jobs (key, type, state, retries, activatable_at, custom_headers, process_instance_key,
          element_instance_key, element_id, process_definition_key, process_id, version, kind, created, tenant_id)
         VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'BPMN_ELEMENT', ?, ?)`,
      )
      .run(
        key,
        type,
        Math.trunc(retries),
        tx.now,
        JSON.stringify(job.headers),
        ei.process_instance_key,
        ei.key,
        ei.element_id,
        def.key,
        def.processId,
        def.version,
        tx.now,
        TENANT,
      );
    tx.jobTypes.add(type);
    tx.record('JOB', 'CREATED', key, ei.process_instance_key, ei.element_id, {
      type,
      retries,
      elementInstanceKey: ei.key,
    });
    this.setState(tx, ei, 'ACTIVATED');
  }

  private activateUserTask(tx: Tx, ei: ElementInstanceRow, el: ElementModel, def: Definition): void {
    const ctx = this.context(ei.key);
    const ut = el.userTask ?? {};
    let assignee: string | null = null;
    if (ut.assignee) {
      const v = this.evalAny(ut.assignee, ctx);
      if (v !== null && typeof v !== 'string') {
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `Expected result of the expression '${ut.assignee.slice(1)}' to be 'STRING', but was '${typeof v}'.`,
        );
      }
      assignee = v === '' ? null : (v as string | null);
    }
    const groups = ut.candidateGroups ? evaluateStringList(ut.candidateGroups, ctx) : [];
    const users = ut.candidateUsers ? evaluateStringList(ut.candidateUsers, ctx) : [];
    const dueDate = ut.dueDate ? this.optionalDate(ut.dueDate, ctx, 'due date') : null;
    const followUpDate = ut.followUpDate ? this.optionalDate(ut.followUpDate, ctx, 'follow-up date') : null;
    let priority = 50;
    if (ut.priority) {
      priority = isExpression(ut.priority) ? evaluateNumber(ut.priority, ctx) : Number(ut.priority);
      if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `Expected priority of user task '${el.id}' to be an integer between 0 and 100, but was '${priority}'`,
        );
      }
    }
    let formKey: number | null = null;
    if (ut.formId) {
      const formId = this.evalString(ut.formId, ctx);
      formKey = this.formKeyOf(formId);
      if (formKey === null) {
        throw new IncidentError(
          'FORM_NOT_FOUND',
          `Expected to find a form with id '${formId}', but no form with this id is found.`,
        );
      }
    }
    const externalReference = ut.externalReference
      ? this.evalString(ut.externalReference, ctx)
      : (ut.formKey ?? null);
    this.openBoundarySubscriptions(tx, ei, el, ctx);
    const key = this.key();
    this.db
      .q(
        `INSERT INTO user_tasks (key, state, element_instance_key, process_instance_key, process_definition_key,
          process_id, version, element_id, name, assignee, candidate_groups, candidate_users, due_date, follow_up_date,
          form_key, external_form_reference, priority, custom_headers, creation_date, tenant_id)
         VALUES (?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key,
        ei.key,
        ei.process_instance_key,
        def.key,
        def.processId,
        def.version,
        el.id,
        el.name ?? null,
        assignee,
        JSON.stringify(groups),
        JSON.stringify(users),
        dueDate,
        followUpDate,
        formKey,
        externalReference,
        priority,
        JSON.stringify(el.job?.headers ?? {}),
        tx.now,
        TENANT,
      );
    tx.record('USER_TASK', 'CREATED', key, ei.process_instance_key, el.id, {
      assignee,
      candidateGroups: groups,
      candidateUsers: users,
      elementInstanceKey: ei.key,
    });
    if (assignee) tx.record('USER_TASK', 'ASSIGNED', key, ei.process_instance_key, el.id, { assignee });
    this.setState(tx, ei, 'ACTIVATED');
  }

  private activateCallActivity(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
    const ctx = this.context(ei.key);
    const ca = el.callActivity!;
    const processId = this.evalString(ca.processId, ctx);
    const child = this.latestDefinition(processId);
    if (!child) {
      throw new IncidentError(
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
      );
    }
    if (!child.model.elements[child.processId]?.startEvent) {
      throw new IncidentError(
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to have a none start event, but not found.`,
      );
    }
    this.openBoundarySubscriptions(tx, ei, el, ctx);
    this.setState(tx, ei, 'ACTIVATED');
    const vars = ca.propagateAllParentVariables ? ctx : this.localVariables(ei.key);
    this.createProcessInstance(tx, child, vars, {
      parentProcessInstanceKey: ei.process_instance_key,
      parentElementInstanceKey: ei.key,
    });
  }

  private activateBody(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
    const loop = el.loop!;
    const ctx = this.context(ei.key);
    const items = evaluateList(loop.inputCollection!, ctx);
    this.openBoundarySubscriptions(tx, ei, el, ctx);
    if (loop.outputCollection) {
      this.setLocal(
        tx,
        ei.key,
        ei.process_instance_key,
        loop.outputCollection,
        items.map(() => null),
      );
    }
    const mi: NonNullable<ElementData['mi']> = { n: items.length, next: 0, completed: 0, terminated: 0 };
    if (loop.sequential) mi.items = items;
    this.setState(tx, ei, 'ACTIVATED');
    if (items.length === 0) {
      this.setData(ei, { mi });
      tx.queue.push(() => this.complete(tx, ei.key));
      return;
    }
    const count = loop.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) this.createInner(tx, ei, el, i, items[i]);
    mi.next = count;
    this.setData(ei, { mi });
  }

  private createInner(
    tx: Tx,
    body: ElementInstanceRow,
    el: ElementModel,
    index: number,
    item: unknown,
  ): void {
    const key = this.createElement(tx, body, el.id);
    if (el.loop?.inputElement) this.setLocal(tx, key, body.process_instance_key, el.loop.inputElement, item);
    this.setLocal(tx, key, body.process_instance_key, 'loopCounter', index + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // completion

  complete(tx: Tx, key: number): void {
    const ei = this.ei(key);
    if (!ei || (ei.state !== 'ACTIVATED' && ei.state !== 'COMPLETING')) return;
    if (ei.state !== 'COMPLETING') {
      this.db.q("UPDATE element_instances SET state = 'COMPLETING' WHERE key = ?").run(ei.key);
      ei.state = 'COMPLETING';
    }
    const el = this.element(ei);
    const def = this.definition(ei.process_definition_key);
    let flows: FlowModel[] = [];
    let conditionMet = false;
    const isInner = el.loop !== undefined && ei.element_type !== 'MULTI_INSTANCE_BODY';
    const ok = this.attempt(tx, ei, () => {
      if (ei.element_type === 'MULTI_INSTANCE_BODY') {
        const out = el.loop!.outputCollection;
        if (out) {
          const value = this.localVariables(ei.key)[out];
          this.mergeDocument(tx, ei.flow_scope_key!, ei.process_instance_key, { [out]: value ?? [] });
        }
      } else if (el.outputs?.length && ei.element_type !== 'PROCESS') {
        const results = this.evaluateMappings(el.outputs, this.context(ei.key));
        this.mergeDocument(tx, ei.flow_scope_key!, ei.process_instance_key, results);
      }
      if (isInner) {
        conditionMet = this.collectInnerOutput(tx, ei, el);
      } else {
        flows = this.selectFlows(ei, el, def.model);
      }
    });
    if (!ok) return;
    this.closeSubscriptions(tx, ei.key);
    this.setState(tx, ei, 'COMPLETED');
    if (ei.element_type === 'PROCESS') {
      this.finishProcess(tx, ei, 'COMPLETED');
      return;
    }
    const scope = this.ei(ei.flow_scope_key!)!;
    if (isInner) {
      this.onInnerEnded(tx, scope, el, conditionMet);
      return;
    }
    if (el.type === 'EVENT_BASED_GATEWAY') {
      const data = parseData(ei);
      const flow = def.model.flows[data.flow!]!;
      this.createElement(tx, scope, flow.target, data.flowTrigger ? { trigger: data.flowTrigger } : null);
    } else {
      for (const flow of flows) this.takeFlow(tx, scope, flow, def.model);
    }
    this.onChildEnded(tx, scope);
  }

  private collectInnerOutput(tx: Tx, inner: ElementInstanceRow, el: ElementModel): boolean {
    const loop = el.loop!;
    const body = this.ei(inner.flow_scope_key!)!;
    const ctx = this.context(inner.key);
    if (loop.outputCollection && loop.outputElement) {
      const value = this.evalAny(loop.outputElement, ctx);
      const collection = (this.localVariables(body.key)[loop.outputCollection] as unknown[]) ?? [];
      const index = Number(ctx.loopCounter) - 1;
      collection[index] = value;
      this.setLocal(tx, body.key, body.process_instance_key, loop.outputCollection, collection);
    }
    if (!loop.completionCondition) return false;
    const mi = parseData(body).mi!;
    const active = this.activeChildren(body.key).length - 1;
    return evaluateBoolean(loop.completionCondition, {
      ...ctx,
      numberOfInstances: mi.n,
      numberOfActiveInstances: active,
      numberOfCompletedInstances: mi.completed + 1,
      numberOfTerminatedInstances: mi.terminated,
    });
  }

  private onInnerEnded(tx: Tx, body: ElementInstanceRow, el: ElementModel, conditionMet: boolean): void {
    if (body.state !== 'ACTIVATED') return;
    const data = parseData(body);
    const mi = data.mi!;
    mi.completed++;
    if (conditionMet) {
      for (const c of this.activeChildren(body.key)) {
        this.terminate(tx, c);
        mi.terminated++;
      }
      this.setData(body, data);
      tx.queue.push(() => this.complete(tx, body.key));
      return;
    }
    if (el.loop!.sequential && mi.next < mi.n) {
      this.createInner(tx, body, el, mi.next, mi.items?.[mi.next]);
      mi.next++;
      this.setData(body, data);
      return;
    }
    this.setData(body, data);
    if (this.activeChildren(body.key).length === 0) tx.queue.push(() => this.complete(tx, body.key));
  }

  private selectFlows(ei: ElementInstanceRow, el: ElementModel, model: ProcessModel): FlowModel[] {
    const outgoing = el.outgoing.map((id) => model.flows[id]!);
    if (el.type === 'EVENT_BASED_GATEWAY') return [];
    if (el.type !== 'EXCLUSIVE_GATEWAY' && el.type !== 'INCLUSIVE_GATEWAY') return outgoing;
    if (outgoing.length === 0) return [];
    if (outgoing.length === 1 && !outgoing[0]!.condition) return outgoing;
    const ctx = this.context(ei.key);
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

  private takeFlow(tx: Tx, scope: ElementInstanceRow, flow: FlowModel, model: ProcessModel): void {
    const target = model.elements[flow.target]!;
    tx.record(
      'PROCESS_INSTANCE',
      'SEQUENCE_FLOW_TAKEN',
      this.key(),
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
      if (missing.length > 0) {
        const sources = new Set<string>(this.activeChildren(scope.key).map((c) => c.element_id));
        for (const [gw, t] of Object.entries(data.joins ?? {})) {
          if (gw !== gateway.id && Object.values(t).some((n) => n > 0)) sources.add(gw);
        }
        const reachable = this.reachableFlows(sources, gateway.id, model);
        if (missing.some((f) => reachable.has(f))) return false;
      }
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

  private reachableFlows(sources: Set<string>, stopAt: string, model: ProcessModel): Set<string> {
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
      for (const f of el.outgoing) {
        flows.add(f);
        const target = model.flows[f]!.target;
        if (target !== stopAt) stack.push(target);
      }
    }
    return flows;
  }

  activeChildren(scopeKey: number): ElementInstanceRow[] {
    return this.db
      .q(
        `SELECT * FROM element_instances WHERE flow_scope_key = ? AND state IN ${ACTIVE_STATES} ORDER BY key`,
      )
      .all(scopeKey) as ElementInstanceRow[];
  }

  private countActiveChildren(scopeKey: number): number {
    return (
      this.db
        .q(
          `SELECT count(*) AS n FROM element_instances WHERE flow_scope_key = ? AND state IN ${ACTIVE_STATES}`,
        )
        .get(scopeKey) as { n: number }
    ).n;
  }

  /** After a child left the scope: re-check inclusive joins, complete the scope when nothing is left. */
  private onChildEnded(tx: Tx, scope: ElementInstanceRow): void {
    const fresh = this.ei(scope.key)!;
    if (fresh.state !== 'ACTIVATED' || fresh.element_type === 'MULTI_INSTANCE_BODY') return;
    let data = parseData(fresh);
    if (data.joins) {
      const model = this.definition(fresh.process_definition_key).model;
      for (const gw of Object.keys(data.joins)) {
        const el = model.elements[gw]!;
        if (el.type === 'INCLUSIVE_GATEWAY') this.tryJoin(tx, fresh, el, model);
      }
      data = parseData(this.ei(scope.key)!);
      if (data.joins) return;
    }
    if (this.countActiveChildren(fresh.key) === 0) tx.queue.push(() => this.complete(tx, fresh.key));
  }

  private finishProcess(tx: Tx, root: ElementInstanceRow, state: 'COMPLETED' | 'TERMINATED'): void {
    this.db
      .q('UPDATE process_instances SET state = ?, end_date = ? WHERE key = ?')
      .run(state, tx.now, root.key);
    const pi = this.pi(root.key)!;
    if (state === 'COMPLETED' && pi.parent_element_instance_key !== null) {
      const parent = this.ei(pi.parent_element_instance_key);
      if (parent && parent.state === 'ACTIVATED') {
        const parentEl = this.element(parent);
        const vars = this.localVariables(root.key);
        const ca = parentEl.callActivity!;
        if (parentEl.outputs?.length) {
          // the output mappings read the child's variables and decide what propagates
          for (const [name, value] of Object.entries(vars)) {
            this.setLocal(tx, parent.key, parent.process_instance_key, name, value);
          }
        } else if (ca.propagateAllChildVariables) {
          this.mergeDocument(tx, parent.key, parent.process_instance_key, vars);
        }
        tx.queue.push(() => this.complete(tx, parent.key));
      }
    }
    this.onProcessEnded(tx, pi, state);
  }

  // ---------------------------------------------------------------------------------------------
  // termination

  terminate(tx: Tx, ei: ElementInstanceRow): void {
    const fresh = this.ei(ei.key);
    if (
      !fresh ||
      (fresh.state !== 'ACTIVATING' && fresh.state !== 'ACTIVATED' && fresh.state !== 'COMPLETING')
    )
      return;
    for (const child of this.activeChildren(fresh.key)) this.terminate(tx, child);
    this.closeSubscriptions(tx, fresh.key);
    const jobs = this.db
      .q('SELECT key, type FROM jobs WHERE element_instance_key = ? AND ended IS NULL')
      .all(fresh.key) as Array<{ key: number; type: string }>;
    for (const j of jobs) {
      this.db
        .q(
          "UPDATE jobs SET state = 'CANCELED', activatable_at = NULL, deadline = NULL, ended = ? WHERE key = ?",
        )
        .run(tx.now, j.key);
      tx.record('JOB', 'CANCELED', j.key, fresh.process_instance_key, fresh.element_id, null);
    }
    const tasks = this.db
      .q("SELECT key FROM user_tasks WHERE element_instance_key = ? AND state = 'CREATED'")
      .all(fresh.key) as Array<{ key: number }>;
    for (const t of tasks) {
      this.db
        .q("UPDATE user_tasks SET state = 'CANCELED', completion_date = ? WHERE key = ?")
        .run(tx.now, t.key);
      tx.record('USER_TASK', 'CANCELED', t.key, fresh.process_instance_key, fresh.element_id, null);
    }
    if (fresh.element_type === 'CALL_ACTIVITY') {
      const children = this.db
        .q("SELECT key FROM process_instances WHERE parent_element_instance_key = ? AND state = 'ACTIVE'")
        .all(fresh.key) as Array<{ key: number }>;
      for (const c of children) {
        const root = this.ei(c.key);
        if (root) this.terminate(tx, root);
      }
    }
    const incidents = this.db
      .q("SELECT * FROM incidents WHERE element_instance_key = ? AND state = 'ACTIVE'")
      .all(fresh.key) as IncidentRow[];
    for (const inc of incidents) this.markIncidentResolved(tx, inc);
    this.setState(tx, fresh, 'TERMINATED');
    if (fresh.element_type === 'PROCESS') this.finishProcess(tx, fresh, 'TERMINATED');
  }

  private closeSubscriptions(tx: Tx, holderKey: number): void {
    const timers = this.db
      .q('SELECT key, process_instance_key, element_id FROM timers WHERE element_instance_key = ?')
      .all(holderKey) as TimerRow[];
    if (timers.length) {
      this.db.q('DELETE FROM timers WHERE element_instance_key = ?').run(holderKey);
      for (const t of timers)
        tx.record('TIMER', 'CANCELED', t.key, t.process_instance_key, t.element_id, null);
    }
    const subs = this.db
      .q(
        'SELECT key, process_instance_key, element_id FROM message_subscriptions WHERE element_instance_key = ?',
      )
      .all(holderKey) as MessageSubscriptionRow[];
    if (subs.length) {
      this.db.q('DELETE FROM message_subscriptions WHERE element_instance_key = ?').run(holderKey);
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

  // ---------------------------------------------------------------------------------------------
  // event subscriptions (timers and messages) and their triggers

  private openBoundarySubscriptions(
    tx: Tx,
    ei: ElementInstanceRow,
    el: ElementModel,
    ctx: Record<string, unknown>,
  ): void {
    if (!el.boundaries?.length) return;
    // With multi-instance, boundary events belong to the body, not to each inner instance.
    if (el.loop && ei.element_type !== 'MULTI_INSTANCE_BODY') return;
    const model = this.definition(ei.process_definition_key).model;
    for (const id of el.boundaries) {
      const b = model.elements[id]!;
      if (b.event?.kind === 'timer' || b.event?.kind === 'message')
        this.openEventSubscription(tx, ei, b, ctx, b.interrupting !== false);
    }
  }

  private openEventSubProcessSubscriptions(
    tx: Tx,
    ei: ElementInstanceRow,
    el: ElementModel,
    ctx: Record<string, unknown>,
  ): void {
    if (!el.eventSubProcesses?.length) return;
    const model = this.definition(ei.process_definition_key).model;
    for (const id of el.eventSubProcesses) {
      const esp = model.elements[id]!;
      const start = model.elements[esp.startEvent!]!;
      if (start.event?.kind === 'timer' || start.event?.kind === 'message') {
        this.openEventSubscription(tx, ei, start, ctx, esp.interrupting !== false);
      }
    }
  }

  /** Opens the timer or message subscription of `target`, held by the element instance `holder`. */
  private openEventSubscription(
    tx: Tx,
    holder: ElementInstanceRow,
    target: ElementModel,
    ctx: Record<string, unknown>,
    interrupting: boolean,
  ): void {
    const ev = target.event!;
    if (ev.kind === 'timer') {
      this.scheduleTimer(tx, holder, target.id, ev.timer!, ctx, interrupting);
    } else if (ev.kind === 'message') {
      this.openMessageSubscription(tx, holder, target.id, ev, ctx, interrupting);
    }
  }

  private scheduleTimer(
    tx: Tx,
    holder: ElementInstanceRow,
    elementId: string,
    timer: TimerDef,
    ctx: Record<string, unknown>,
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
    const key = this.key();
    this.db
      .q(
        `INSERT INTO timers (key, element_instance_key, process_instance_key, process_definition_key, element_id,
          due_date, repetitions, kind, value, interrupting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key,
        holderKey,
        processInstanceKey,
        definitionKey,
        elementId,
        dueAt,
        repetitions === 'infinite' ? -1 : repetitions,
        def.kind,
        def.value,
        interrupting ? 1 : 0,
      );
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
    ctx: Record<string, unknown>,
    interrupting: boolean,
  ): void {
    const name = this.evalString(ev.messageName!, ctx);
    const expr = ev.correlationKey!;
    const raw = isExpression(expr) ? evaluate(expr, ctx) : expr;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Failed to extract the correlation key for '${expr.replace(/^=/, '')}' of element '${elementId}': The value must be either a string or a number, but was '${raw === null ? 'NULL' : Array.isArray(raw) ? 'LIST' : typeof raw}'.`,
      );
    }
    const correlationKey = String(raw);
    const def = this.definition(holder.process_definition_key);
    const key = this.key();
    this.db
      .q(
        `INSERT INTO message_subscriptions (key, element_instance_key, process_instance_key, process_definition_key,
          process_id, element_id, message_name, correlation_key, interrupting, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key,
        holder.key,
        holder.process_instance_key,
        holder.process_definition_key,
        def.processId,
        elementId,
        name,
        correlationKey,
        interrupting ? 1 : 0,
        tx.now,
      );
    tx.record('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED', key, holder.process_instance_key, elementId, {
      messageName: name,
      correlationKey,
    });
    tx.queue.push(() => this.correlateBuffered(tx, key));
  }

  /** A newly opened subscription takes the oldest buffered message not yet correlated to its instance. */
  private correlateBuffered(tx: Tx, subscriptionKey: number): void {
    const sub = this.db.q('SELECT * FROM message_subscriptions WHERE key = ?').get(subscriptionKey) as
      | MessageSubscriptionRow
      | undefined;
    if (!sub) return;
    const msg = this.db
      .q(
        `SELECT * FROM messages WHERE name = ? AND correlation_key = ? AND deadline > ?
           AND key NOT IN (SELECT message_key FROM message_correlations WHERE process_instance_key = ?)
         ORDER BY key LIMIT 1`,
      )
      .get(sub.message_name, sub.correlation_key, tx.now, sub.process_instance_key) as MessageRow | undefined;
    if (msg) this.correlate(tx, sub, msg.key, JSON.parse(msg.variables) as Record<string, unknown>);
  }

  /** Correlates a message to a subscription; false when the subscription's element cannot take it now. */
  correlate(
    tx: Tx,
    sub: MessageSubscriptionRow,
    messageKey: number,
    variables: Record<string, unknown>,
  ): boolean {
    const holder = this.ei(sub.element_instance_key);
    if (holder?.state !== 'ACTIVATED') return false;
    this.db
      .q('INSERT OR IGNORE INTO message_correlations (message_key, process_instance_key) VALUES (?, ?)')
      .run(messageKey, sub.process_instance_key);
    tx.record('MESSAGE', 'CORRELATED', messageKey, sub.process_instance_key, sub.element_id, {
      messageName: sub.message_name,
      correlationKey: sub.correlation_key,
      elementInstanceKey: sub.element_instance_key,
    });
    return this.triggerEvent(tx, holder, sub.element_id, { variables });
  }

  /** Fires the event `targetId` (boundary, event sub-process start, catch event) held by `holder`. */
  triggerEvent(tx: Tx, holder: ElementInstanceRow, targetId: string, trigger: Trigger): boolean {
    if (holder.state !== 'ACTIVATED') return false;
    const model = this.definition(holder.process_definition_key).model;
    const target = model.elements[targetId]!;
    switch (target.type) {
      case 'BOUNDARY_EVENT': {
        const scope = this.ei(holder.flow_scope_key!)!;
        if (target.interrupting !== false) this.terminate(tx, holder);
        this.createElement(tx, scope, target.id, { trigger });
        return true;
      }
      case 'START_EVENT': {
        const esp = model.elements[target.scope!]!;
        const data = parseData(holder);
        if (data.interrupted) return false;
        if (esp.interrupting !== false) {
          for (const c of this.activeChildren(holder.key)) this.terminate(tx, c);
          this.closeSubscriptions(tx, holder.key);
          data.interrupted = true;
          this.setData(holder, data);
        }
        this.createElement(tx, holder, esp.id, { trigger });
        return true;
      }
      default: {
        if (holder.element_type === 'EVENT_BASED_GATEWAY') {
          this.closeSubscriptions(tx, holder.key);
          const flow = model.elements[holder.element_id]!.outgoing.find(
            (f) => model.flows[f]!.target === targetId,
          )!;
          const data = parseData(holder);
          data.flow = flow;
          data.flowTrigger = trigger;
          this.setData(holder, data);
          tx.queue.push(() => this.complete(tx, holder.key));
          return true;
        }
        // the catch event or receive task itself
        this.db
          .q('DELETE FROM timers WHERE element_instance_key = ? AND element_id = ?')
          .run(holder.key, targetId);
        this.db
          .q('DELETE FROM message_subscriptions WHERE element_instance_key = ? AND element_id = ?')
          .run(holder.key, targetId);
        this.applyCompletionVariables(tx, holder, trigger.variables);
        tx.queue.push(() => this.complete(tx, holder.key));
        return true;
      }
    }
  }

  /** A due timer fires: a timer start event starts an instance, any other timer triggers its event. */
  triggerTimer(tx: Tx, timerKey: number): void {
    const t = this.db.q('SELECT * FROM timers WHERE key = ?').get(timerKey) as TimerRow | undefined;
    if (!t || t.due_date > tx.now) return;
    this.db.q('DELETE FROM timers WHERE key = ?').run(t.key);
    tx.record('TIMER', 'TRIGGERED', t.key, t.process_instance_key, t.element_id, { dueDate: t.due_date });
    const def = { kind: t.kind, value: t.value };
    const remaining: Repetitions = t.repetitions < 0 ? 'infinite' : t.repetitions;
    const reschedule = (holderKey: number | null) => {
      const next = nextDueDate(def, t.due_date, remaining, tx.now);
      if (next) {
        this.insertTimer(
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
      }
    };
    if (t.element_instance_key === null) {
      const d = this.definition(t.process_definition_key);
      this.createProcessInstance(tx, d, {}, { startElementId: t.element_id });
      reschedule(null);
      return;
    }
    const holder = this.ei(t.element_instance_key);
    if (!holder) return;
    const fired = this.triggerEvent(tx, holder, t.element_id, { variables: null });
    if (fired && t.interrupting === 0) reschedule(holder.key);
  }

  // ---------------------------------------------------------------------------------------------
  // BPMN errors

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
    tx.record('ERROR', 'CAUGHT', this.key(), catcher.holder.process_instance_key, catcher.event.id, {
      errorCode,
      errorMessage,
    });
    if (catcher.event.type === 'BOUNDARY_EVENT') {
      const scope = this.ei(catcher.holder.flow_scope_key!)!;
      this.terminate(tx, catcher.holder);
      this.createElement(tx, scope, catcher.event.id, { trigger: { variables: vars } });
    } else {
      const holder = catcher.holder;
      const esp = this.definition(holder.process_definition_key).model.elements[catcher.event.scope!]!;
      for (const c of this.activeChildren(holder.key)) this.terminate(tx, c);
      this.closeSubscriptions(tx, holder.key);
      const data = parseData(holder);
      data.interrupted = true;
      this.setData(holder, data);
      this.createElement(tx, holder, esp.id, { trigger: { variables: vars } });
    }
  }

  private findErrorCatcher(
    from: ElementInstanceRow,
    code: string,
  ): { holder: ElementInstanceRow; event: ElementModel } | null {
    let cur: ElementInstanceRow | undefined = from;
    while (cur) {
      const model = this.definition(cur.process_definition_key).model;
      const el = model.elements[cur.element_id]!;
      const candidates: ElementModel[] = [];
      const isScope =
        cur.element_type === 'PROCESS' ||
        cur.element_type === 'SUB_PROCESS' ||
        cur.element_type === 'EVENT_SUB_PROCESS';
      if (isScope && cur.state === 'ACTIVATED' && !parseData(cur).interrupted) {
        for (const id of el.eventSubProcesses ?? []) {
          const start = model.elements[model.elements[id]!.startEvent!]!;
          if (start.event?.kind === 'error') candidates.push(start);
        }
      }
      const boundariesHere = !el.loop || cur.element_type === 'MULTI_INSTANCE_BODY';
      const boundaries: ElementModel[] = [];
      if (boundariesHere && cur.element_type !== 'PROCESS') {
        for (const id of el.boundaries ?? []) {
          const b = model.elements[id]!;
          if (b.event?.kind === 'error') boundaries.push(b);
        }
      }
      for (const group of [candidates, boundaries]) {
        const exact = group.find((c) => c.event!.errorCode === code);
        const any = group.find((c) => !c.event!.errorCode);
        const hit = exact ?? any;
        if (hit) return { holder: cur, event: hit };
      }
      if (cur.flow_scope_key !== null) {
        cur = this.ei(cur.flow_scope_key);
      } else {
        const pi = this.pi(cur.key);
        cur = pi?.parent_element_instance_key ? this.ei(pi.parent_element_instance_key) : undefined;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // jobs: shared helpers for the job processors

  job(key: number): JobRow | undefined {
    return this.db.q('SELECT * FROM jobs WHERE key = ?').get(key) as JobRow | undefined;
  }
}

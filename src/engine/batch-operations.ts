// Camunda 8.8's batch operations on process instances, created from a process-instance filter
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instances-batch-operation/
// and …/resolve-incidents-batch-operation/): cancel the matching ACTIVE root instances, or resolve the ACTIVE
// incidents of the matching ACTIVE instances (a job incident whose job has no retries left gets one retry first,
// as Operate's "retry" does). The items are fixed when the batch is created; the runner then applies them a chunk
// at a time, each item in its own transaction together with its item state, and yields between chunks, so that a
// batch of thousands does not hold up other requests and a crash leaves nothing half-done: the batch goes on
// after a restart. A batch can be suspended, resumed and canceled while it runs.
import { EngineError, invalidState, notFound } from './errors.ts';
import { parseKey } from './keys.ts';
import { resolveIncident } from './processors/incidents.ts';
import { cancelProcessInstance } from './processors/instances.ts';
import { updateJob } from './processors/jobs.ts';
import { type MigrationRequest, migrateProcessInstance } from './processors/migration.ts';
import { modifyProcessInstance } from './processors/modification.ts';
import * as queries from './queries.ts';
import type { Interpreter, Logger } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';
import type { BatchItemRow, BatchRow, BatchState, BatchType } from './state/batchOperations.ts';
import type { ElementInstanceRow } from './state/rows.ts';

export type { BatchType } from './state/batchOperations.ts';

/** Camunda 8.8's batch modification: every active instance of the source element moves to the target. */
export interface MoveInstruction {
  sourceElementId: string;
  targetElementId: string;
}

/** What a migration or modification batch applies to each instance. */
export type BatchPayload =
  | { migrationPlan: Omit<MigrationRequest, 'operationReference'> }
  | { moveInstructions: MoveInstruction[] };

export interface BatchHost {
  it: Interpreter;
  log: Logger;
  run<T>(fn: (tx: Tx) => T): T;
}

export interface BatchOperationItem {
  batchOperationKey: string;
  batchOperationType: BatchType;
  state: BatchState;
  startDate: string;
  endDate?: string;
  operationsTotalCount: number;
  operationsCompletedCount: number;
  operationsFailedCount: number;
}

export interface BatchOperationItemItem {
  batchOperationKey: string;
  operationType: BatchType;
  itemKey: string;
  processInstanceKey: string;
  state: BatchItemRow['state'];
  processedDate?: string;
  errorMessage?: string;
}

/** Items applied per turn before the runner yields to other work. */
const CHUNK = 50;
const PAGE = 1000;

function iso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

export class BatchOperations {
  private scheduled = false;
  // until start(): an engine opened without its scheduler applies nothing by itself
  private stopped = true;

  constructor(private readonly host: BatchHost) {}

  /** Goes on with the batches a stop or a crash interrupted. */
  start(): void {
    this.stopped = false;
    if (this.host.it.state.batchOperations.runnable().length > 0) this.schedule();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Creates a batch from a process-instance filter (already validated against Camunda's filter fields). */
  create(
    type: BatchType,
    filter: Record<string, unknown>,
    payload: BatchPayload | null = null,
  ): { batchOperationKey: string; batchOperationType: BatchType } {
    const { it } = this.host;
    const key = this.host.run((tx) => {
      const batchKey = it.key();
      const targets = this.targets(type, filter);
      it.state.batchOperations.insert({
        key: batchKey,
        type,
        state: 'ACTIVE',
        filter: JSON.stringify(filter),
        payload: payload === null ? null : JSON.stringify(payload),
        start_date: tx.now,
        total: targets.length,
      });
      for (const t of targets) it.state.batchOperations.insertItem(batchKey, t.itemKey, t.processInstanceKey);
      tx.record('BATCH_OPERATION_CREATION', 'CREATED', batchKey, null, null, {
        batchOperationType: type,
        filter,
        ...(payload ?? {}),
        itemCount: targets.length,
      });
      if (targets.length === 0) this.finish(tx, batchKey);
      return batchKey;
    });
    this.schedule();
    return { batchOperationKey: String(key), batchOperationType: type };
  }

  private targets(
    type: BatchType,
    filter: Record<string, unknown>,
  ): Array<{ itemKey: number; processInstanceKey: number }> {
    // Camunda: only ACTIVE root instances can be canceled; only ACTIVE instances have unresolved incidents, are
    // migrated or modified — the filter's state (and, for cancel, parentProcessInstanceKey) is overridden
    const narrowed: Record<string, unknown> = { ...filter, state: 'ACTIVE' };
    if (type === 'CANCEL_PROCESS_INSTANCE') narrowed.parentProcessInstanceKey = { $exists: false };
    const instances: number[] = [];
    for (let from = 0; ; from += PAGE) {
      const page = queries.searchProcessInstances(this.host.it, {
        filter: narrowed,
        page: { from, limit: PAGE },
        sort: [{ field: 'processInstanceKey', order: 'ASC' }],
      });
      for (const p of page.items) instances.push(Number(p.processInstanceKey));
      if (page.items.length < PAGE) break;
    }
    // one item per instance, except incident resolution: one per incident
    if (type !== 'RESOLVE_INCIDENT') return instances.map((k) => ({ itemKey: k, processInstanceKey: k }));
    return instances.flatMap((k) =>
      queries
        .searchIncidents(this.host.it, {
          filter: { processInstanceKey: String(k), state: 'ACTIVE' },
          page: { from: 0, limit: PAGE },
        })
        .items.map((i) => ({ itemKey: Number(i.incidentKey), processInstanceKey: k })),
    );
  }

  get(key: string | number): BatchOperationItem {
    const row = this.row(key);
    return this.view(row);
  }

  all(): BatchOperationItem[] {
    return this.host.it.state.batchOperations.all().map((r) => this.view(r));
  }

  items(): BatchOperationItemItem[] {
    const { batchOperations } = this.host.it.state;
    const types = new Map(batchOperations.all().map((b) => [b.key, b.type]));
    return batchOperations.items().map((i) => ({
      batchOperationKey: String(i.batch_key),
      operationType: types.get(i.batch_key)!,
      itemKey: String(i.item_key),
      processInstanceKey: String(i.process_instance_key),
      state: i.state,
      processedDate: iso(i.processed_date),
      errorMessage: i.error_message ?? undefined,
    }));
  }

  cancel(key: string | number): void {
    this.transition(key, ['ACTIVE', 'SUSPENDED'], 'cancel', (tx, row) => {
      this.host.it.state.batchOperations.cancelItems(row.key, tx.now);
      this.host.it.state.batchOperations.setState(row.key, 'CANCELED', tx.now);
    });
  }

  suspend(key: string | number): void {
    this.transition(key, ['ACTIVE'], 'suspend', (_tx, row) => {
      this.host.it.state.batchOperations.setState(row.key, 'SUSPENDED', null);
    });
  }

  resume(key: string | number): void {
    this.transition(key, ['SUSPENDED'], 'resume', (_tx, row) => {
      this.host.it.state.batchOperations.setState(row.key, 'ACTIVE', null);
    });
    this.schedule();
  }

  private transition(
    key: string | number,
    from: BatchState[],
    what: string,
    apply: (tx: Tx, row: BatchRow) => void,
  ): void {
    this.host.run((tx) => {
      const row = this.row(key);
      if (!from.includes(row.state)) {
        throw invalidState(
          `Expected to ${what} batch operation with key '${row.key}', but it is ${row.state.toLowerCase()}`,
        );
      }
      apply(tx, row);
      tx.record('BATCH_OPERATION_LIFECYCLE_MANAGEMENT', what.toUpperCase(), row.key, null, null, null);
    });
  }

  private row(key: string | number): BatchRow {
    const k = parseKey(key, 'batchOperationKey');
    const row = this.host.it.state.batchOperations.get(k);
    if (!row) throw notFound(`Batch operation with key '${k}' not found`);
    return row;
  }

  private view(r: BatchRow): BatchOperationItem {
    return {
      batchOperationKey: String(r.key),
      batchOperationType: r.type,
      state: r.state,
      startDate: new Date(r.start_date).toISOString(),
      endDate: iso(r.end_date),
      operationsTotalCount: r.total,
      operationsCompletedCount: r.completed,
      operationsFailedCount: r.failed,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the runner

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.turn();
    });
  }

  /** Applies one chunk of the oldest running batch, then yields. */
  private turn(): void {
    if (this.stopped) return;
    const { batchOperations } = this.host.it.state;
    const [batchKey] = batchOperations.runnable();
    if (batchKey === undefined) return;
    try {
      const row = batchOperations.get(batchKey)!;
      const items = batchOperations.nextItems(batchKey, CHUNK);
      for (const item of items) this.apply(row, item);
      if (items.length < CHUNK) this.host.run((tx) => this.finish(tx, batchKey));
    } catch (e) {
      // the engine was closed under the runner, or the database failed: the batch stays ACTIVE and goes on
      // at the next start
      if (e instanceof EngineError && this.stopped) return;
      this.host.log.error({ err: e, batchOperationKey: batchKey }, 'batch operation turn failed');
      return;
    }
    this.schedule();
  }

  private apply(batch: BatchRow, item: BatchItemRow): void {
    const { it } = this.host;
    try {
      this.host.run((tx) => {
        if (it.state.batchOperations.get(item.batch_key)?.state !== 'ACTIVE') return;
        this.applyOne(tx, batch, item.item_key);
        it.state.batchOperations.finishItem(item, 'COMPLETED', tx.now, null);
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.host.run((tx) => it.state.batchOperations.finishItem(item, 'FAILED', tx.now, message));
    }
  }

  private applyOne(tx: Tx, batch: BatchRow, key: number): void {
    const { it } = this.host;
    const payload = batch.payload === null ? null : (JSON.parse(batch.payload) as Record<string, unknown>);
    switch (batch.type) {
      case 'CANCEL_PROCESS_INSTANCE':
        cancelProcessInstance(tx, it, key);
        it.state.pendingSteps.dropInstanceTree(key);
        return;
      case 'RESOLVE_INCIDENT': {
        const incident = it.state.incidents.get(key);
        const job = incident?.job_key != null ? it.job(incident.job_key) : undefined;
        if (job && job.retries <= 0) updateJob(tx, it, job.key, { retries: 1 });
        resolveIncident(tx, it, key);
        return;
      }
      case 'MIGRATE_PROCESS_INSTANCE':
        migrateProcessInstance(tx, it, key, payload!.migrationPlan as MigrationRequest);
        return;
      case 'MODIFY_PROCESS_INSTANCE':
        this.move(tx, key, payload!.moveInstructions as MoveInstruction[]);
        return;
    }
  }

  /** Each active instance of a source element is terminated and its target activated in the same flow scope. */
  private move(tx: Tx, processInstanceKey: number, moves: MoveInstruction[]): void {
    const { it } = this.host;
    const active: ElementInstanceRow[] = [];
    for (const scopes = [processInstanceKey]; scopes.length > 0; ) {
      for (const child of it.state.elementInstances.activeChildren(scopes.pop()!)) {
        active.push(child);
        scopes.push(child.key);
      }
    }
    const terminate: Array<{ elementInstanceKey: number }> = [];
    const activate: Array<{ elementId: string; ancestorElementInstanceKey: number }> = [];
    for (const m of moves) {
      for (const source of active.filter((e) => e.element_id === m.sourceElementId)) {
        terminate.push({ elementInstanceKey: source.key });
        activate.push({
          elementId: m.targetElementId,
          ancestorElementInstanceKey: source.flow_scope_key ?? -1,
        });
      }
    }
    if (terminate.length === 0) {
      throw invalidState(
        `Expected to move an active element instance of ${moves.map((m) => `'${m.sourceElementId}'`).join(', ')} in process instance '${processInstanceKey}', but there is none`,
      );
    }
    modifyProcessInstance(tx, it, processInstanceKey, {
      activateInstructions: activate,
      terminateInstructions: terminate,
    });
  }

  private finish(tx: Tx, batchKey: number): void {
    const { batchOperations } = this.host.it.state;
    const row = batchOperations.get(batchKey);
    if (row?.state !== 'ACTIVE' || batchOperations.nextItems(batchKey, 1).length > 0) return;
    batchOperations.setState(batchKey, row.failed > 0 ? 'PARTIALLY_COMPLETED' : 'COMPLETED', tx.now);
    tx.record('BATCH_OPERATION_EXECUTION', 'COMPLETED', batchKey, null, null, {
      completed: row.completed,
      failed: row.failed,
    });
  }
}

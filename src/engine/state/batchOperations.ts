// Batch operations and their items (Camunda 8.8's /v2/batch-operations): rows the batch runner
// (src/engine/batch-operations.ts) writes, one transaction per applied item.
import type { Db } from './db.ts';

export type BatchType =
  | 'CANCEL_PROCESS_INSTANCE'
  | 'RESOLVE_INCIDENT'
  | 'MIGRATE_PROCESS_INSTANCE'
  | 'MODIFY_PROCESS_INSTANCE';
export type BatchState = 'ACTIVE' | 'SUSPENDED' | 'CANCELED' | 'COMPLETED' | 'PARTIALLY_COMPLETED';
export type ItemState = 'ACTIVE' | 'COMPLETED' | 'CANCELED' | 'FAILED';

export interface BatchRow {
  key: number;
  type: BatchType;
  state: BatchState;
  filter: string;
  /** JSON: the migration plan or the move instructions, for the types that have one. */
  payload: string | null;
  start_date: number;
  end_date: number | null;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchItemRow {
  batch_key: number;
  item_key: number;
  process_instance_key: number;
  state: ItemState;
  processed_date: number | null;
  error_message: string | null;
}

export class BatchOperationState {
  constructor(private readonly db: Db) {}

  insert(b: Omit<BatchRow, 'completed' | 'failed' | 'end_date'>): void {
    this.db
      .q(
        `INSERT INTO batch_operations (key, type, state, filter, payload, start_date, total)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(b.key, b.type, b.state, b.filter, b.payload, b.start_date, b.total);
  }

  insertItem(batchKey: number, itemKey: number, processInstanceKey: number): void {
    this.db
      .q(
        `INSERT OR IGNORE INTO batch_operation_items (batch_key, item_key, process_instance_key, state)
         VALUES (?, ?, ?, 'ACTIVE')`,
      )
      .run(batchKey, itemKey, processInstanceKey);
  }

  get(key: number): BatchRow | undefined {
    return this.db.q('SELECT * FROM batch_operations WHERE key = ?').get(key) as BatchRow | undefined;
  }

  all(): BatchRow[] {
    return this.db.q('SELECT * FROM batch_operations ORDER BY key').all() as BatchRow[];
  }

  items(batchKey?: number): BatchItemRow[] {
    if (batchKey === undefined) {
      return this.db
        .q('SELECT * FROM batch_operation_items ORDER BY batch_key, item_key')
        .all() as BatchItemRow[];
    }
    return this.db
      .q('SELECT * FROM batch_operation_items WHERE batch_key = ? ORDER BY item_key')
      .all(batchKey) as BatchItemRow[];
  }

  /** The batches whose items are still to be applied. */
  runnable(): number[] {
    return (
      this.db.q("SELECT key FROM batch_operations WHERE state = 'ACTIVE' ORDER BY key").all() as Array<{
        key: number;
      }>
    ).map((r) => r.key);
  }

  nextItems(batchKey: number, limit: number): BatchItemRow[] {
    return this.db
      .q(
        "SELECT * FROM batch_operation_items WHERE state = 'ACTIVE' AND batch_key = ? ORDER BY item_key LIMIT ?",
      )
      .all(batchKey, limit) as BatchItemRow[];
  }

  /** Marks an item done (COMPLETED or FAILED) and counts it on its batch. */
  finishItem(item: BatchItemRow, state: 'COMPLETED' | 'FAILED', at: number, error: string | null): void {
    this.db
      .q(
        `UPDATE batch_operation_items SET state = ?, processed_date = ?, error_message = ?
         WHERE batch_key = ? AND item_key = ? AND state = 'ACTIVE'`,
      )
      .run(state, at, error, item.batch_key, item.item_key);
    const column = state === 'COMPLETED' ? 'completed' : 'failed';
    this.db.q(`UPDATE batch_operations SET ${column} = ${column} + 1 WHERE key = ?`).run(item.batch_key);
  }

  setState(key: number, state: BatchState, endDate: number | null): void {
    this.db.q('UPDATE batch_operations SET state = ?, end_date = ? WHERE key = ?').run(state, endDate, key);
  }

  /** A canceled batch's items that were not applied are canceled with it. */
  cancelItems(batchKey: number, at: number): void {
    this.db
      .q(
        `UPDATE batch_operation_items SET state = 'CANCELED', processed_date = ?
         WHERE batch_key = ? AND state = 'ACTIVE'`,
      )
      .run(at, batchKey);
  }
}

// History retention (issue 17): the history of a process instance that ended (COMPLETED or TERMINATED) more than
// a time to live ago is removed from the engine's file, as Camunda 8.8 removes archived history from its secondary
// storage once the retention's minimum age has passed (docs.camunda.io/docs/8.8/self-managed/deployment/helm/
// configure/data-retention/: `orchestration.history.retention`, off by default, 30 days when enabled).
//
// The unit is a root instance with everything under it: its called children, their element instances, variables,
// jobs, user tasks, incidents, event-log rows, decision instances and message correlations. A child never goes
// before its root, so a completed child of a running parent stays (Camunda archives a child with its root process
// instance). Removed in bounded batches — at most 50 roots and about 10 ms per transaction, the next batch after
// the waiting I/O — from the scheduler's passes, never one long transaction. Open-task counters are untouched:
// an ended instance has no open task. Deployed definitions, messages and batch operations have their own lives.
import { CONTINUATION_MS } from './runtime/budget.ts';
import type { Interpreter } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';

/** Root instances one transaction removes at most. */
export const ROOTS_PER_TRANSACTION = 50;

/** Rows of one instance, by table; jobs through the instance's element instances (their index). */
const REMOVALS = [
  'DELETE FROM jobs WHERE element_instance_key IN (SELECT key FROM element_instances WHERE process_instance_key = ?)',
  'DELETE FROM user_tasks WHERE process_instance_key = ?',
  'DELETE FROM incidents WHERE process_instance_key = ?',
  'DELETE FROM variables WHERE process_instance_key = ?',
  'DELETE FROM decision_instances WHERE process_instance_key = ?',
  'DELETE FROM correlated_message_subscriptions WHERE process_instance_key = ?',
  'DELETE FROM message_correlations WHERE process_instance_key = ?',
  'DELETE FROM message_start_instances WHERE process_instance_key = ?',
  'DELETE FROM pending_steps WHERE process_instance_key = ?',
  'DELETE FROM records WHERE process_instance_key = ?',
  'DELETE FROM element_instances WHERE process_instance_key = ?',
  'DELETE FROM process_instances WHERE key = ?',
];

export interface RetentionResult {
  /** Root instances removed (with their children). */
  removed: number;
  /** More histories may have expired (the batch stopped at its size or its time bound). */
  more: boolean;
}

// The ended roots are read through their own index (schema version 11), never by scanning the running instances.
export class HistoryRetention {
  constructor(
    private readonly it: Interpreter,
    /** Time to live of an ended instance's history in ms; undefined or 0: kept for ever. */
    readonly ttlMs: number | undefined,
    private readonly batchSize = ROOTS_PER_TRANSACTION,
    private readonly maxMs = CONTINUATION_MS,
  ) {}

  get enabled(): boolean {
    return this.ttlMs !== undefined && this.ttlMs > 0;
  }

  /** The instant at which the oldest ended root instance's history expires, if any. */
  nextExpiry(): number | null {
    if (!this.enabled) return null;
    const row = this.it.db
      .q(
        `SELECT min(end_date) AS t FROM process_instances INDEXED BY process_instances_root_ended
          WHERE parent_process_instance_key IS NULL AND end_date IS NOT NULL`,
      )
      .get() as { t: number | null };
    return row.t === null ? null : row.t + this.ttlMs!;
  }

  /** Removes one batch of expired histories inside `tx`; `bounded`: also stop after ~10 ms. */
  prune(tx: Tx, bounded: boolean): RetentionResult {
    if (!this.enabled) return { removed: 0, more: false };
    const { db } = this.it;
    const roots = db
      .q(
        `SELECT key FROM process_instances INDEXED BY process_instances_root_ended
          WHERE parent_process_instance_key IS NULL AND end_date IS NOT NULL AND end_date <= ?
            AND state IN ('COMPLETED', 'TERMINATED') ORDER BY end_date LIMIT ?`,
      )
      .all(tx.now - this.ttlMs!, this.batchSize) as Array<{ key: number }>;
    const until = bounded ? performance.now() + this.maxMs : Number.POSITIVE_INFINITY;
    let removed = 0;
    for (const root of roots) {
      if (removed > 0 && performance.now() >= until) break;
      for (const key of this.tree(root.key)) for (const sql of REMOVALS) db.q(sql).run(key);
      removed++;
    }
    return { removed, more: removed < roots.length || roots.length === this.batchSize };
  }

  /** The root and every instance it called, at any depth. */
  private tree(root: number): number[] {
    const rows = this.it.db
      .q(
        `WITH RECURSIVE tree(key) AS (SELECT ? UNION ALL
          SELECT p.key FROM process_instances p JOIN tree t ON p.parent_process_instance_key = t.key)
         SELECT key FROM tree`,
      )
      .all(root) as Array<{ key: number }>;
    return rows.map((r) => r.key);
  }
}

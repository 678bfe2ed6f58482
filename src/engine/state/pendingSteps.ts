// The follow-up steps a command did not get to within its budget, in order: the next transaction
// takes them from the front, so a long run continues where it stopped, also after a restart.
import type { Db } from './db.ts';

export type PendingKind = 'ACTIVATE' | 'COMPLETE' | 'CORRELATE_BUFFERED';

export interface PendingStep {
  kind: PendingKind;
  key: number;
  processInstanceKey: number | null;
}

export class PendingStepState {
  constructor(private readonly db: Db) {}

  /** Appends steps after those already pending. */
  append(steps: PendingStep[]): void {
    const insert = this.db.q('INSERT INTO pending_steps (kind, key, process_instance_key) VALUES (?, ?, ?)');
    for (const s of steps) insert.run(s.kind, s.key, s.processInstanceKey);
  }

  /** Removes and returns up to `limit` steps from the front. */
  take(limit: number): PendingStep[] {
    const rows = this.db
      .q('SELECT seq, kind, key, process_instance_key FROM pending_steps ORDER BY seq LIMIT ?')
      .all(limit) as Array<{
      seq: number;
      kind: PendingKind;
      key: number;
      process_instance_key: number | null;
    }>;
    if (rows.length > 0)
      this.db.q('DELETE FROM pending_steps WHERE seq <= ?').run(rows[rows.length - 1]!.seq);
    return rows.map((r) => ({ kind: r.kind, key: r.key, processInstanceKey: r.process_instance_key }));
  }

  any(): boolean {
    return this.db.q('SELECT 1 FROM pending_steps LIMIT 1').get() !== undefined;
  }

  /** Drops the pending steps of a process instance and of the instances it called (on cancellation). */
  dropInstanceTree(rootKey: number): number {
    return this.db
      .q(
        `DELETE FROM pending_steps WHERE process_instance_key IN (
           WITH RECURSIVE tree(key) AS (
             SELECT ? UNION
             SELECT p.key FROM process_instances p JOIN tree ON p.parent_process_instance_key = tree.key)
           SELECT key FROM tree)`,
      )
      .run(rootKey).changes;
  }
}

// Open user tasks counted per (candidate group list, partition value), kept in the same transaction as every change
// of a task (created, completed, canceled, its candidate groups updated) and of the variable the partition copies.
// The partition is the process instance's `PARTITION_VARIABLE` (JSON text, '' when absent): the business tenant an
// inbox filters on, so that "open tasks of my groups in my tenant" is a sum over a few counters (schema version 4).
import type { Db } from './db.ts';

/** The root-scope variable whose value partitions the counts (Yunfu's business tenant, SU-3). */
export const PARTITION_VARIABLE = 'tenantId';

export class UserTaskCounts {
  constructor(private readonly db: Db) {}

  /** The partition value of a task of this process instance (its root-scope variable, as JSON text). */
  partitionOf(processInstanceKey: number): string | null {
    const row = this.db
      .q('SELECT value FROM variables WHERE scope_key = ? AND name = ?')
      .get(processInstanceKey, PARTITION_VARIABLE) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Adds `delta` open tasks to the counter of (candidate groups, partition). */
  bump(candidateGroups: string, partition: string | null, delta: number): void {
    this.db
      .q(
        `INSERT INTO user_task_open_counts (candidate_groups, partition_value, n) VALUES (?, ?, ?)
         ON CONFLICT (candidate_groups, partition_value) DO UPDATE SET n = n + excluded.n`,
      )
      .run(candidateGroups, partition ?? '', delta);
  }

  /**
   * The variable of the partition was set on a scope: when it is the root scope of an instance, its open tasks move
   * to the new partition (their counters with them).
   */
  variableSet(scopeKey: number, name: string, processInstanceKey: number, value: string): void {
    if (name !== PARTITION_VARIABLE || scopeKey !== processInstanceKey) return;
    const open = this.db
      .q(
        "SELECT key, candidate_groups, partition_value FROM user_tasks WHERE process_instance_key = ? AND state = 'CREATED'",
      )
      .all(processInstanceKey) as Array<{
      key: number;
      candidate_groups: string;
      partition_value: string | null;
    }>;
    for (const t of open) {
      if (t.partition_value === value) continue;
      this.bump(t.candidate_groups, t.partition_value, -1);
      this.bump(t.candidate_groups, value, 1);
      this.db.q('UPDATE user_tasks SET partition_value = ? WHERE key = ?').run(value, t.key);
    }
  }

  /**
   * How many open tasks name at least one of `groups` among their candidate groups, in `partition` (any partition
   * when undefined): the sum of the counters whose list meets `groups`, each task once.
   */
  openTasksOfGroups(groups: string[], partition: string | undefined): number {
    if (groups.length === 0) return 0;
    const marks = groups.map(() => '?').join(', ');
    const inPartition = partition === undefined ? '' : ' AND partition_value = ?';
    const row = this.db
      .q(
        `SELECT coalesce(sum(n), 0) AS n FROM user_task_open_counts
         WHERE EXISTS (SELECT 1 FROM json_each(candidate_groups) WHERE value IN (${marks}))${inPartition}`,
      )
      .get(...groups, ...(partition === undefined ? [] : [partition])) as { n: number };
    return row.n;
  }
}

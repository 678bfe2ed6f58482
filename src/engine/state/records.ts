// The event log (records) and the key generator's high-water mark.
import type { Db } from './db.ts';
import type { RecordRow } from './rows.ts';

export interface NewRecord {
  key: number;
  valueType: string;
  intent: string;
  processInstanceKey: number | null;
  elementId: string | null;
  value: Record<string, unknown> | null;
}

/** Rows one INSERT of the event log carries at most (7 parameters a row; SQLite allows 32,766). */
export const RECORDS_PER_INSERT = 64;

const insertSqls: string[] = [];
/** The INSERT of `n` records (its text made once, its statement prepared once by Db.q). */
function insertSql(n: number): string {
  let sql = insertSqls[n];
  if (!sql) {
    sql = `INSERT INTO records (key, timestamp, value_type, intent, process_instance_key, element_id, value) VALUES ${Array(
      n,
    )
      .fill('(?, ?, ?, ?, ?, ?, ?)')
      .join(', ')}`;
    insertSqls[n] = sql;
  }
  return sql;
}

export class RecordState {
  constructor(private readonly db: Db) {}

  nextKey(): number {
    const row = this.db.q("SELECT value FROM meta WHERE name = 'next_key'").get() as { value: string };
    return Number(row.value);
  }

  /** Never lowers the persisted counter: a key once written must never be issued again. */
  saveNextKey(next: number): void {
    this.db
      .q("UPDATE meta SET value = ? WHERE name = 'next_key' AND CAST(value AS INTEGER) < ?")
      .run(String(next), next);
  }

  /**
   * Appends the transaction's records (at its COMMIT: Interpreter.flush), up to RECORDS_PER_INSERT a statement:
   * one INSERT of many rows costs a fraction of as many INSERTs (issue 17, a burst of timers).
   */
  append(records: NewRecord[], timestamp: number): void {
    const params: unknown[] = [];
    for (let i = 0; i < records.length; i += RECORDS_PER_INSERT) {
      const n = Math.min(RECORDS_PER_INSERT, records.length - i);
      params.length = 0;
      for (let j = i; j < i + n; j++) {
        const r = records[j]!;
        params.push(
          r.key,
          timestamp,
          r.valueType,
          r.intent,
          r.processInstanceKey,
          r.elementId,
          r.value ? JSON.stringify(r.value) : null,
        );
      }
      this.db.q(insertSql(n)).run(params);
    }
  }

  /** Records after a position, in order; of one process instance if given. */
  list(afterPosition: number, limit: number, processInstanceKey?: number): RecordRow[] {
    return (
      processInstanceKey !== undefined
        ? this.db
            .q(
              'SELECT * FROM records WHERE process_instance_key = ? AND position > ? ORDER BY position LIMIT ?',
            )
            .all(processInstanceKey, afterPosition, limit)
        : this.db
            .q('SELECT * FROM records WHERE position > ? ORDER BY position LIMIT ?')
            .all(afterPosition, limit)
    ) as RecordRow[];
  }
}

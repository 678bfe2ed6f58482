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

  append(records: NewRecord[], timestamp: number): void {
    const insert = this.db.q(
      'INSERT INTO records (key, timestamp, value_type, intent, process_instance_key, element_id, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of records) {
      insert.run(
        r.key,
        timestamp,
        r.valueType,
        r.intent,
        r.processInstanceKey,
        r.elementId,
        r.value ? JSON.stringify(r.value) : null,
      );
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

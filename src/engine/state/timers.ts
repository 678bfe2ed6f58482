// Timers: due dates of timer events, held by an element instance (or none, for timer start events).
import type { Db } from './db.ts';
import type { TimerRow } from './rows.ts';

export interface NewTimer {
  key: number;
  holderKey: number | null;
  processInstanceKey: number | null;
  definitionKey: number;
  elementId: string;
  dueAt: number;
  repetitions: number;
  kind: string;
  value: string;
  interrupting: boolean;
}

export class TimerState {
  constructor(private readonly db: Db) {}

  get(key: number): TimerRow | undefined {
    return this.db.q('SELECT * FROM timers WHERE key = ?').get(key) as TimerRow | undefined;
  }

  insert(t: NewTimer): void {
    this.db
      .q(
        `INSERT INTO timers (key, element_instance_key, process_instance_key, process_definition_key, element_id,
          due_date, repetitions, kind, value, interrupting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        t.key,
        t.holderKey,
        t.processInstanceKey,
        t.definitionKey,
        t.elementId,
        t.dueAt,
        t.repetitions,
        t.kind,
        t.value,
        t.interrupting ? 1 : 0,
      );
  }

  delete(key: number): void {
    this.db.q('DELETE FROM timers WHERE key = ?').run(key);
  }

  heldBy(holderKey: number): TimerRow[] {
    return this.db
      .q('SELECT key, process_instance_key, element_id FROM timers WHERE element_instance_key = ?')
      .all(holderKey) as TimerRow[];
  }

  deleteHeldBy(holderKey: number): void {
    this.db.q('DELETE FROM timers WHERE element_instance_key = ?').run(holderKey);
  }

  deleteForEvent(holderKey: number, elementId: string): void {
    this.db
      .q('DELETE FROM timers WHERE element_instance_key = ? AND element_id = ?')
      .run(holderKey, elementId);
  }

  due(now: number, limit: number): Array<{ key: number }> {
    return this.db
      .q('SELECT key FROM timers WHERE due_date <= ? ORDER BY due_date, key LIMIT ?')
      .all(now, limit) as Array<{ key: number }>;
  }

  earliestDue(): number | null {
    return (this.db.q('SELECT min(due_date) AS t FROM timers').get() as { t: number | null }).t;
  }
}

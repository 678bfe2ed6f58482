// Compensation subscriptions (Zeebe's CompensationSubscriptionState): what a compensation throw event may still
// undo — completed activities with a compensation handler, and completed sub-processes holding such subscriptions —
// and, once triggered, which throw event waits for which handler instance.
import type { Db } from './db.ts';

export interface CompensationSubscriptionRow {
  key: number;
  process_instance_key: number;
  process_definition_key: number;
  activity_id: string;
  activity_instance_key: number;
  /** The element instance the activity completed in (its flow scope). */
  scope_key: number;
  /** The compensation handler's element id; null for a sub-process that only holds subscriptions. */
  handler_id: string | null;
  throw_event_id: string | null;
  throw_event_instance_key: number | null;
  /** The handler instance the trigger started; -1 when it started none (Zeebe's NONE). */
  handler_instance_key: number | null;
  tenant_id: string;
}

export type NewCompensationSubscription = Omit<
  CompensationSubscriptionRow,
  'throw_event_id' | 'throw_event_instance_key' | 'handler_instance_key'
>;

export class CompensationState {
  constructor(private readonly db: Db) {}

  insert(s: NewCompensationSubscription): void {
    this.db
      .q(
        `INSERT INTO compensation_subscriptions (key, process_instance_key, process_definition_key, activity_id,
          activity_instance_key, scope_key, handler_id, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.key,
        s.process_instance_key,
        s.process_definition_key,
        s.activity_id,
        s.activity_instance_key,
        s.scope_key,
        s.handler_id,
        s.tenant_id,
      );
  }

  /** Every subscription of a process instance, oldest first. */
  ofProcess(processInstanceKey: number): CompensationSubscriptionRow[] {
    return this.db
      .q('SELECT * FROM compensation_subscriptions WHERE process_instance_key = ? ORDER BY key')
      .all(processInstanceKey) as CompensationSubscriptionRow[];
  }

  markTriggered(key: number, throwEventId: string, throwEventKey: number, handlerKey: number): void {
    this.db
      .q(
        `UPDATE compensation_subscriptions SET throw_event_id = ?, throw_event_instance_key = ?,
          handler_instance_key = ? WHERE key = ?`,
      )
      .run(throwEventId, throwEventKey, handlerKey, key);
  }

  /** A migrated subscription: its activity in the target version, and that activity's handler. */
  migrate(key: number, definitionKey: number, activityId: string, handlerId: string | null): void {
    this.db
      .q(
        `UPDATE compensation_subscriptions SET process_definition_key = ?, activity_id = ?, handler_id = ?
          WHERE key = ?`,
      )
      .run(definitionKey, activityId, handlerId, key);
  }

  delete(key: number): void {
    this.db.q('DELETE FROM compensation_subscriptions WHERE key = ?').run(key);
  }

  deleteOfProcess(processInstanceKey: number): void {
    this.db
      .q('DELETE FROM compensation_subscriptions WHERE process_instance_key = ?')
      .run(processInstanceKey);
  }
}

// The state changes of a process instance migration: an instance, its active element instances and what they
// hold (open jobs and user tasks, timers, message subscriptions, active incidents) move to the target process
// definition and element ids. Kept apart from the state modules (src/engine/state/) as only migration writes so.
import type { Db } from '../state/db.ts';
import type { ElementInstanceRow } from '../state/rows.ts';

export interface MigrationTarget {
  definitionKey: number;
  processId: string;
  version: number;
}

export class MigrationState {
  constructor(private readonly db: Db) {}

  /** The instance's active element instances, scopes before what they contain. */
  activeElements(processInstanceKey: number): ElementInstanceRow[] {
    return this.db
      .q(
        `SELECT * FROM element_instances WHERE process_instance_key = ?
          AND state IN ('ACTIVATING','ACTIVATED','COMPLETING','TERMINATING') ORDER BY key`,
      )
      .all(processInstanceKey) as ElementInstanceRow[];
  }

  pendingSteps(processInstanceKey: number): number {
    return (
      this.db
        .q('SELECT count(*) AS n FROM pending_steps WHERE process_instance_key = ?')
        .get(processInstanceKey) as {
        n: number;
      }
    ).n;
  }

  openJobs(elementInstanceKey: number): Array<{ key: number; type: string }> {
    return this.db
      .q('SELECT key, type FROM jobs WHERE element_instance_key = ? AND ended IS NULL')
      .all(elementInstanceKey) as Array<{ key: number; type: string }>;
  }

  openUserTasks(elementInstanceKey: number): Array<{ key: number }> {
    return this.db
      .q("SELECT key FROM user_tasks WHERE element_instance_key = ? AND state = 'CREATED'")
      .all(elementInstanceKey) as Array<{ key: number }>;
  }

  migrateInstance(key: number, to: MigrationTarget): void {
    this.db
      .q('UPDATE process_instances SET process_definition_key = ?, process_id = ?, version = ? WHERE key = ?')
      .run(to.definitionKey, to.processId, to.version, key);
  }

  /** Moves an element instance, its open job or user task and its active incidents to the target element. */
  migrateElement(ei: ElementInstanceRow, elementId: string, to: MigrationTarget): void {
    const k = ei.key;
    const d = to.definitionKey;
    this.db
      .q('UPDATE element_instances SET process_definition_key = ?, element_id = ? WHERE key = ?')
      .run(d, elementId, k);
    this.db
      .q(
        `UPDATE jobs SET process_definition_key = ?, process_id = ?, version = ?, element_id = ?
          WHERE element_instance_key = ? AND ended IS NULL`,
      )
      .run(d, to.processId, to.version, elementId, k);
    this.db
      .q(
        `UPDATE user_tasks SET process_definition_key = ?, process_id = ?, version = ?, element_id = ?
          WHERE element_instance_key = ? AND state = 'CREATED'`,
      )
      .run(d, to.processId, to.version, elementId, k);
    this.db
      .q(
        `UPDATE incidents SET process_definition_key = ?, process_id = ?, element_id = ?
          WHERE element_instance_key = ? AND state = 'ACTIVE'`,
      )
      .run(d, to.processId, elementId, k);
  }

  /** A timer that the mapping keeps: due date and repetitions stay, the catch event is the target's. */
  migrateTimer(key: number, elementId: string, definitionKey: number, interrupting: boolean): void {
    this.db
      .q('UPDATE timers SET element_id = ?, process_definition_key = ?, interrupting = ? WHERE key = ?')
      .run(elementId, definitionKey, interrupting ? 1 : 0, key);
  }

  /** A message subscription that the mapping keeps: message name and correlation key stay. */
  migrateSubscription(key: number, elementId: string, to: MigrationTarget, interrupting: boolean): void {
    this.db
      .q(
        `UPDATE message_subscriptions SET element_id = ?, process_definition_key = ?, process_id = ?, interrupting = ?
          WHERE key = ?`,
      )
      .run(elementId, to.definitionKey, to.processId, interrupting ? 1 : 0, key);
  }

  deleteSubscription(key: number): void {
    this.db.q('DELETE FROM message_subscriptions WHERE key = ?').run(key);
  }
}

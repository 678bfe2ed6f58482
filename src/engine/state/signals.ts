// Signal subscriptions (Zeebe's SignalSubscriptionState): start events of the latest process versions
// (element_instance_key null) and the catch, boundary and event sub-process start events element instances hold.
import type { Db } from './db.ts';

export interface SignalSubscriptionRow {
  key: number;
  signal_name: string;
  process_definition_key: number;
  process_id: string;
  element_id: string;
  element_instance_key: number | null;
  process_instance_key: number | null;
  interrupting: number;
  tenant_id: string;
}

export interface NewSignalSubscription {
  key: number;
  signalName: string;
  definitionKey: number;
  processId: string;
  elementId: string;
  holderKey: number | null;
  processInstanceKey: number | null;
  interrupting: boolean;
  tenantId: string;
}

export class SignalState {
  constructor(private readonly db: Db) {}

  insert(s: NewSignalSubscription): void {
    this.db
      .q(
        `INSERT INTO signal_subscriptions (key, signal_name, process_definition_key, process_id, element_id,
          element_instance_key, process_instance_key, interrupting, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.key,
        s.signalName,
        s.definitionKey,
        s.processId,
        s.elementId,
        s.holderKey,
        s.processInstanceKey,
        s.interrupting ? 1 : 0,
        s.tenantId,
      );
  }

  /** Every subscription to the signal name, oldest first. */
  byName(signalName: string): SignalSubscriptionRow[] {
    return this.db
      .q('SELECT * FROM signal_subscriptions WHERE signal_name = ? ORDER BY key')
      .all(signalName) as SignalSubscriptionRow[];
  }

  get(key: number): SignalSubscriptionRow | undefined {
    return this.db.q('SELECT * FROM signal_subscriptions WHERE key = ?').get(key) as
      | SignalSubscriptionRow
      | undefined;
  }

  heldBy(holderKey: number): SignalSubscriptionRow[] {
    return this.db
      .q('SELECT * FROM signal_subscriptions WHERE element_instance_key = ?')
      .all(holderKey) as SignalSubscriptionRow[];
  }

  deleteHeldBy(holderKey: number): void {
    this.db.q('DELETE FROM signal_subscriptions WHERE element_instance_key = ?').run(holderKey);
  }

  deleteForEvent(holderKey: number, elementId: string): void {
    this.db
      .q('DELETE FROM signal_subscriptions WHERE element_instance_key = ? AND element_id = ?')
      .run(holderKey, elementId);
  }

  /** The start subscriptions of a process definition (removed when a newer version is deployed). */
  startsOf(definitionKey: number): SignalSubscriptionRow[] {
    return this.db
      .q(
        'SELECT * FROM signal_subscriptions WHERE process_definition_key = ? AND element_instance_key IS NULL',
      )
      .all(definitionKey) as SignalSubscriptionRow[];
  }

  deleteStartsOf(definitionKey: number): void {
    this.db
      .q('DELETE FROM signal_subscriptions WHERE process_definition_key = ? AND element_instance_key IS NULL')
      .run(definitionKey);
  }
}

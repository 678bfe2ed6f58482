// Messages: buffered messages, process message subscriptions (catch events, boundary and event
// sub-process starts), message start subscriptions, and which instances a message already reached.
import type { Db } from './db.ts';
import type { MessageRow, MessageSubscriptionRow } from './rows.ts';

export interface NewMessageSubscription {
  key: number;
  holderKey: number;
  processInstanceKey: number;
  definitionKey: number;
  processId: string;
  elementId: string;
  messageName: string;
  correlationKey: string;
  interrupting: boolean;
  created: number;
}

export interface NewMessage {
  key: number;
  name: string;
  correlationKey: string;
  messageId: string | null;
  variables: string;
  published: number;
  deadline: number;
  tenantId: string;
}

export interface StartSubscription {
  process_definition_key: number;
  process_id: string;
  element_id: string;
  message_name: string;
}

export class MessageState {
  constructor(private readonly db: Db) {}

  // subscriptions of element instances

  subscription(key: number): MessageSubscriptionRow | undefined {
    return this.db.q('SELECT * FROM message_subscriptions WHERE key = ?').get(key) as
      | MessageSubscriptionRow
      | undefined;
  }

  insertSubscription(s: NewMessageSubscription): void {
    this.db
      .q(
        `INSERT INTO message_subscriptions (key, element_instance_key, process_instance_key, process_definition_key,
          process_id, element_id, message_name, correlation_key, interrupting, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.key,
        s.holderKey,
        s.processInstanceKey,
        s.definitionKey,
        s.processId,
        s.elementId,
        s.messageName,
        s.correlationKey,
        s.interrupting ? 1 : 0,
        s.created,
      );
  }

  subscriptionsFor(name: string, correlationKey: string): MessageSubscriptionRow[] {
    return this.db
      .q('SELECT * FROM message_subscriptions WHERE message_name = ? AND correlation_key = ? ORDER BY key')
      .all(name, correlationKey) as MessageSubscriptionRow[];
  }

  subscriptionsHeldBy(holderKey: number): MessageSubscriptionRow[] {
    return this.db
      .q(
        'SELECT key, process_instance_key, element_id FROM message_subscriptions WHERE element_instance_key = ?',
      )
      .all(holderKey) as MessageSubscriptionRow[];
  }

  deleteSubscriptionsHeldBy(holderKey: number): void {
    this.db.q('DELETE FROM message_subscriptions WHERE element_instance_key = ?').run(holderKey);
  }

  deleteSubscriptionForEvent(holderKey: number, elementId: string): void {
    this.db
      .q('DELETE FROM message_subscriptions WHERE element_instance_key = ? AND element_id = ?')
      .run(holderKey, elementId);
  }

  // buffered messages

  insertMessage(m: NewMessage): void {
    this.db
      .q(
        'INSERT INTO messages (key, name, correlation_key, message_id, variables, published, deadline, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(m.key, m.name, m.correlationKey, m.messageId, m.variables, m.published, m.deadline, m.tenantId);
  }

  /** Zeebe's message uniqueness: a live buffered message with the same name, correlation key and id. */
  hasLiveMessageId(name: string, correlationKey: string, messageId: string, now: number): boolean {
    return (
      this.db
        .q(
          'SELECT 1 FROM messages WHERE name = ? AND message_id = ? AND correlation_key = ? AND deadline > ?',
        )
        .get(name, messageId, correlationKey, now) !== undefined
    );
  }

  /**
   * The oldest live message not yet correlated to the process (BPMN process id, any version): Zeebe
   * correlates a message at most once per process, to a subscription or a message start event.
   */
  oldestNotCorrelatedTo(name: string, correlationKey: string, now: number, processId: string) {
    return this.db
      .q(
        `SELECT * FROM messages WHERE name = ? AND correlation_key = ? AND deadline > ?
           AND key NOT IN (SELECT message_key FROM message_start_correlations WHERE process_id = ?)
         ORDER BY key LIMIT 1`,
      )
      .get(name, correlationKey, now, processId) as MessageRow | undefined;
  }

  expired(now: number): Array<{ key: number }> {
    return this.db.q('SELECT key FROM messages WHERE deadline <= ? LIMIT 1000').all(now) as Array<{
      key: number;
    }>;
  }

  deleteMessage(key: number): void {
    this.db.q('DELETE FROM messages WHERE key = ?').run(key);
    this.db.q('DELETE FROM message_correlations WHERE message_key = ?').run(key);
    this.db.q('DELETE FROM message_start_correlations WHERE message_key = ?').run(key);
  }

  /** Drops what a message that was never buffered (time-to-live 0) reached, once its publication is done. */
  forgetCorrelations(messageKey: number): void {
    this.db.q('DELETE FROM message_correlations WHERE message_key = ?').run(messageKey);
    this.db.q('DELETE FROM message_start_correlations WHERE message_key = ?').run(messageKey);
  }

  markCorrelated(messageKey: number, processInstanceKey: number): void {
    this.db
      .q('INSERT OR IGNORE INTO message_correlations (message_key, process_instance_key) VALUES (?, ?)')
      .run(messageKey, processInstanceKey);
  }

  // message start events

  /** Message start subscriptions of the latest version of each process. */
  startSubscriptions(name: string): StartSubscription[] {
    return this.db
      .q(
        `SELECT s.* FROM message_start_subscriptions s WHERE s.message_name = ?
       AND s.process_definition_key = (SELECT key FROM process_definitions d WHERE d.process_id = s.process_id AND d.deleted = 0 ORDER BY version DESC LIMIT 1)`,
      )
      .all(name) as StartSubscription[];
  }

  isStartKeyRunning(processId: string, correlationKey: string): boolean {
    return (
      this.db
        .q('SELECT 1 FROM message_start_instances WHERE process_id = ? AND correlation_key = ?')
        .get(processId, correlationKey) !== undefined
    );
  }

  /** Whether the message was correlated to the process (BPMN process id) already. */
  hasCorrelatedTo(messageKey: number, processId: string): boolean {
    return (
      this.db
        .q('SELECT 1 FROM message_start_correlations WHERE message_key = ? AND process_id = ?')
        .get(messageKey, processId) !== undefined
    );
  }

  markCorrelatedTo(messageKey: number, processId: string): void {
    this.db
      .q('INSERT OR IGNORE INTO message_start_correlations (message_key, process_id) VALUES (?, ?)')
      .run(messageKey, processId);
  }

  lockStartKey(processId: string, correlationKey: string, processInstanceKey: number): void {
    this.db
      .q(
        'INSERT INTO message_start_instances (process_id, correlation_key, process_instance_key) VALUES (?, ?, ?)',
      )
      .run(processId, correlationKey, processInstanceKey);
  }

  /** Releases the correlation-key lock an instance started by a message held; returns it. */
  releaseStartKey(processInstanceKey: number): { process_id: string; correlation_key: string } | undefined {
    const lock = this.db
      .q('SELECT process_id, correlation_key FROM message_start_instances WHERE process_instance_key = ?')
      .get(processInstanceKey) as { process_id: string; correlation_key: string } | undefined;
    if (lock)
      this.db.q('DELETE FROM message_start_instances WHERE process_instance_key = ?').run(processInstanceKey);
    return lock;
  }

  earliestDeadline(): number | null {
    return (this.db.q('SELECT min(deadline) AS t FROM messages').get() as { t: number | null }).t;
  }
}

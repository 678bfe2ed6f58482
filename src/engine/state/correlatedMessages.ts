// Correlated message subscriptions: each message that reached a subscription (a catch event, boundary event,
// receive task, event sub-process start or message start event), kept for Camunda 8.8's correlation history.
import type { Db } from './db.ts';

export interface NewCorrelation {
  messageKey: number;
  /** The subscription's key; for a message start event, the process definition's (it has no subscription key). */
  subscriptionKey: number;
  correlationKey: string;
  correlationTime: number;
  elementId: string;
  /** The element instance that held the subscription; null for a message start event. */
  elementInstanceKey: number | null;
  messageName: string;
  processId: string;
  processDefinitionKey: number;
  processInstanceKey: number;
  tenantId: string;
}

export class CorrelatedMessageState {
  constructor(private readonly db: Db) {}

  insert(c: NewCorrelation): void {
    this.db
      .q(
        `INSERT INTO correlated_message_subscriptions (message_key, subscription_key, correlation_key,
          correlation_time, element_id, element_instance_key, message_name, process_id, process_definition_key,
          process_instance_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.messageKey,
        c.subscriptionKey,
        c.correlationKey,
        c.correlationTime,
        c.elementId,
        c.elementInstanceKey,
        c.messageName,
        c.processId,
        c.processDefinitionKey,
        c.processInstanceKey,
        c.tenantId,
      );
  }
}

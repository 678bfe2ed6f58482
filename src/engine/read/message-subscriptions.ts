// Read side of Camunda 8.8's message subscription search: the message subscriptions process instances hold
// (intermediate and boundary message catch events, receive tasks, event sub-process message starts). The engine
// keeps open subscriptions only — a correlated or closed subscription is gone from the table (its history is in
// the event log) — so every item is CREATED and lastUpdatedDate is when it was opened.

import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import { runSearch, type SearchRequest, type SearchResult } from '../search-sql.ts';

export interface MessageSubscriptionItem {
  messageSubscriptionKey: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  elementId: string;
  elementInstanceKey: string;
  messageSubscriptionState: 'CREATED';
  lastUpdatedDate: string;
  messageName: string;
  correlationKey: string;
  tenantId: string;
}

interface SubscriptionRow {
  key: number;
  element_instance_key: number;
  process_instance_key: number;
  process_definition_key: number;
  process_id: string;
  element_id: string;
  message_name: string;
  correlation_key: string;
  created: number;
}

export function searchMessageSubscriptions(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<MessageSubscriptionItem> {
  return runSearch(
    it,
    'message_subscriptions',
    {
      messageSubscriptionKey: { column: 'key', kind: 'key' },
      processDefinitionId: { column: 'process_id' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      elementId: { column: 'element_id' },
      elementInstanceKey: { column: 'element_instance_key', kind: 'key' },
      messageSubscriptionState: { column: "'CREATED'" },
      lastUpdatedDate: { column: 'created', kind: 'date' },
      messageName: { column: 'message_name' },
      correlationKey: { column: 'correlation_key' },
      tenantId: { column: `'${TENANT}'` },
    },
    req,
    (r: SubscriptionRow) => ({
      messageSubscriptionKey: String(r.key),
      processDefinitionId: r.process_id,
      processDefinitionKey: String(r.process_definition_key),
      processInstanceKey: String(r.process_instance_key),
      elementId: r.element_id,
      elementInstanceKey: String(r.element_instance_key),
      messageSubscriptionState: 'CREATED',
      lastUpdatedDate: new Date(r.created).toISOString(),
      messageName: r.message_name,
      correlationKey: r.correlation_key,
      tenantId: TENANT,
    }),
  );
}

// Read side of Camunda 8.8's correlated message subscription search: each message that reached a subscription,
// as kept by the correlation's transaction (src/engine/state/correlatedMessages.ts). One partition: partitionId 1.
import type { Interpreter } from '../runtime/interpreter.ts';
import { runSearch, type SearchRequest, type SearchResult } from '../search-sql.ts';

export interface CorrelatedMessageItem {
  correlationKey: string;
  correlationTime: string;
  elementId: string;
  elementInstanceKey: string | null;
  messageKey: string;
  messageName: string;
  partitionId: number;
  processDefinitionId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  subscriptionKey: string;
  tenantId: string;
}

interface CorrelationRow {
  message_key: number;
  subscription_key: number;
  correlation_key: string;
  correlation_time: number;
  element_id: string;
  element_instance_key: number | null;
  message_name: string;
  process_id: string;
  process_definition_key: number;
  process_instance_key: number;
  tenant_id: string;
}

export function searchCorrelatedMessages(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<CorrelatedMessageItem> {
  return runSearch(
    it,
    'correlated_message_subscriptions',
    {
      correlationKey: { column: 'correlation_key' },
      correlationTime: { column: 'correlation_time', kind: 'date' },
      elementId: { column: 'element_id' },
      elementInstanceKey: { column: 'element_instance_key', kind: 'key', nullable: true },
      messageKey: { column: 'message_key', kind: 'key' },
      messageName: { column: 'message_name' },
      partitionId: { column: '1', kind: 'number' },
      processDefinitionId: { column: 'process_id' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      subscriptionKey: { column: 'subscription_key', kind: 'key' },
      tenantId: { column: 'tenant_id' },
    },
    req,
    (r: CorrelationRow) => ({
      correlationKey: r.correlation_key,
      correlationTime: new Date(r.correlation_time).toISOString(),
      elementId: r.element_id,
      elementInstanceKey: r.element_instance_key === null ? null : String(r.element_instance_key),
      messageKey: String(r.message_key),
      messageName: r.message_name,
      partitionId: 1,
      processDefinitionId: r.process_id,
      processDefinitionKey: String(r.process_definition_key),
      processInstanceKey: String(r.process_instance_key),
      subscriptionKey: String(r.subscription_key),
      tenantId: r.tenant_id,
    }),
  );
}

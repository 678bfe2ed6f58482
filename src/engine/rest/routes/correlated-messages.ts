// Correlated message subscriptions: search (Camunda 8.8's CorrelatedMessageSubscriptionSearchQuery),
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-correlated-message-subscriptions/
import type { FastifyInstance } from 'fastify';
import { type CorrelatedMessageItem, searchCorrelatedMessages } from '../../read/correlated-messages.ts';
import type { RouteContext } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf } from '../validate.ts';

type Correlation = CorrelatedMessageItem & Item;

// Camunda 8.8's CorrelatedMessageSubscriptionFilter: StringFilterProperty, BasicStringFilterProperty (the keys),
// DateTimeFilterProperty and IntegerFilterProperty.
const KINDS: Record<string, FilterKind> = {
  correlationKey: 'string',
  correlationTime: 'ordered',
  elementId: 'string',
  elementInstanceKey: 'key',
  messageKey: 'key',
  messageName: 'string',
  partitionId: 'ordered',
  processDefinitionId: 'string',
  processDefinitionKey: 'key',
  processInstanceKey: 'key',
  subscriptionKey: 'key',
  tenantId: 'string',
};
// Camunda 8.8's CorrelatedMessageSubscriptionSearchQuerySortRequest fields: every filter field.
const SORT = Object.keys(KINDS);

function correlationSpec(ctx: RouteContext): EntitySpec<Correlation> {
  return {
    name: 'correlated message subscription',
    search: (req) =>
      ctx.engine.read((it) => searchCorrelatedMessages(it, req)) as ReturnType<
        EntitySpec<Correlation>['search']
      >,
    filters: Object.keys(KINDS),
    kinds: KINDS,
    pushable: new Set(Object.keys(KINDS)),
    sortFields: SORT,
    pushableSort: new Set(SORT),
    keyField: 'subscriptionKey',
  };
}

export function registerCorrelatedMessageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const spec = correlationSpec(ctx);
  app.post('/correlated-message-subscriptions/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map((c) => compact(c)), page: r.page };
  });
}

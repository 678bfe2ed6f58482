// Message subscriptions: search (Camunda 8.8's MessageSubscriptionSearchQuery).
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import {
  type MessageSubscriptionItem,
  searchMessageSubscriptions,
} from '../../read/message-subscriptions.ts';
import type { RouteContext } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf } from '../validate.ts';

type Subscription = MessageSubscriptionItem & Item;

// Camunda 8.8's MessageSubscriptionFilter.
const KINDS: Record<string, FilterKind> = {
  messageSubscriptionKey: 'key',
  processDefinitionId: 'string',
  processInstanceKey: 'key',
  elementId: 'string',
  elementInstanceKey: 'key',
  messageSubscriptionState: 'enum',
  lastUpdatedDate: 'ordered',
  messageName: 'string',
  correlationKey: 'string',
  tenantId: 'string',
};
// Camunda 8.8's MessageSubscriptionSearchQuerySortRequest fields.
const SORT = Object.keys(KINDS);

function subscriptionSpec(engine: Engine): EntitySpec<Subscription> {
  return {
    name: 'message subscription',
    search: (req) =>
      engine.read((it) => searchMessageSubscriptions(it, req)) as ReturnType<
        EntitySpec<Subscription>['search']
      >,
    filters: Object.keys(KINDS),
    kinds: KINDS,
    pushable: new Set(Object.keys(KINDS)),
    sortFields: SORT,
    pushableSort: new Set(SORT),
    keyField: 'messageSubscriptionKey',
  };
}

export function registerMessageSubscriptionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const spec = subscriptionSpec(ctx.engine);
  app.post('/message-subscriptions/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map((s) => compact(s)), page: r.page };
  });
}

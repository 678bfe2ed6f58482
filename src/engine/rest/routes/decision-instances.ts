// Decision instances: search and get (Camunda 8.8's DecisionInstanceSearchQuery, DecisionInstanceGetQueryResult),
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-instances/
import type { FastifyInstance } from 'fastify';
import {
  type DecisionInstanceItem,
  decisionInstance,
  searchDecisionInstances,
} from '../../read/decision-instances.ts';
import type { Params, RouteContext } from '../context.ts';
import { invalidArgument } from '../problem.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf } from '../validate.ts';

type DecisionInstance = DecisionInstanceItem & Item;

// Camunda 8.8's DecisionInstanceFilter: plain values, except the dates and the two key filter properties.
const KINDS: Record<string, FilterKind> = {
  decisionEvaluationInstanceKey: 'plain',
  state: 'plain',
  evaluationFailure: 'plain',
  evaluationDate: 'ordered',
  decisionDefinitionId: 'plain',
  decisionDefinitionName: 'plain',
  decisionDefinitionVersion: 'plain',
  decisionDefinitionType: 'plain',
  tenantId: 'plain',
  decisionEvaluationKey: 'plain',
  processDefinitionKey: 'plain',
  processInstanceKey: 'plain',
  decisionDefinitionKey: 'key',
  elementInstanceKey: 'key',
};
// Camunda 8.8's DecisionInstanceSearchQuerySortRequest fields: every filter field.
const SORT = Object.keys(KINDS);

const STATES = new Set(['EVALUATED', 'FAILED', 'UNSPECIFIED', 'UNKNOWN']);
const TYPES = new Set(['DECISION_TABLE', 'LITERAL_EXPRESSION', 'UNSPECIFIED', 'UNKNOWN']);

function checkEnums(body: Record<string, unknown>): void {
  const filter = body.filter as Record<string, unknown> | undefined;
  if (!filter || typeof filter !== 'object') return;
  const bad = (field: string, allowed: Set<string>) =>
    filter[field] !== undefined && !allowed.has(String(filter[field]))
      ? [`The provided ${field} '${String(filter[field])}' is not one of [${[...allowed].join(', ')}]`]
      : [];
  const violations = [...bad('state', STATES), ...bad('decisionDefinitionType', TYPES)];
  if (violations.length) throw invalidArgument(violations);
}

function decisionInstanceSpec(ctx: RouteContext): EntitySpec<DecisionInstance> {
  return {
    name: 'decision instance',
    search: (req) =>
      ctx.engine.read((it) => searchDecisionInstances(it, req)) as ReturnType<
        EntitySpec<DecisionInstance>['search']
      >,
    filters: Object.keys(KINDS),
    kinds: KINDS,
    pushable: new Set(Object.keys(KINDS)),
    sortFields: SORT,
    pushableSort: new Set(SORT),
    keyField: 'decisionEvaluationInstanceKey',
  };
}

export function registerDecisionInstanceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const spec = decisionInstanceSpec(ctx);

  app.post('/decision-instances/search', async (request) => {
    const body = bodyOf(request.body);
    const parsed = parseSearch(spec, body);
    checkEnums(body as Record<string, unknown>);
    const r = runSearch(spec, parsed);
    return { items: r.items.map((d) => compact(d)), page: r.page };
  });

  app.get<Params<'decisionEvaluationInstanceKey'>>(
    '/decision-instances/:decisionEvaluationInstanceKey',
    async (request) => {
      const key = request.params.decisionEvaluationInstanceKey;
      if (!/^\d{1,19}(-\d{1,9})?$/.test(key)) {
        throw invalidArgument([
          `The provided decisionEvaluationInstanceKey '${key}' is not a valid key. Expected '<decisionEvaluationKey>-<n>'`,
        ]);
      }
      return compact(ctx.engine.read((it) => decisionInstance(it, key)) as unknown as Item);
    },
  );
}

// Variables: search and get.
import type { FastifyInstance } from 'fastify';
import type { VariableItem } from '../../queries.ts';
import type { Params, RouteContext } from '../context.ts';
import { notFoundProblem } from '../problem.ts';
import { type EntitySpec, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey } from '../validate.ts';

/** Longest variable value in a search result unless truncateValues=false (Camunda's default). */
export const MAX_VALUE = 8191;

/** Variable values are JSON text; long ones are truncated in search results unless truncateValues=false. */
export function variableResult(v: VariableItem, truncate: boolean): Item {
  const long = truncate && v.value.length > MAX_VALUE;
  return { ...v, value: long ? v.value.slice(0, MAX_VALUE) : v.value, isTruncated: long };
}

const FIELDS = ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'];

export function registerVariableRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec: EntitySpec<VariableItem & Item> = {
    name: 'variable',
    search: (req) => engine.searchVariables(req) as ReturnType<EntitySpec<VariableItem & Item>['search']>,
    filters: [...FIELDS, 'isTruncated'],
    pushable: new Set(FIELDS),
    sortFields: FIELDS,
    pushableSort: new Set(FIELDS),
    keyField: 'variableKey',
  };

  app.post<{ Querystring: { truncateValues?: string } }>('/variables/search', async (request) => {
    const truncate = request.query.truncateValues !== 'false';
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map((x) => variableResult(x, truncate)), page: r.page };
  });

  app.get<Params<'variableKey'>>('/variables/:variableKey', async (request) => {
    const key = pathKey(request.params.variableKey, 'variableKey');
    const found = engine.searchVariables({ filter: { variableKey: key } }).items[0];
    if (!found) throw notFoundProblem(`Variable with key '${key}' not found`);
    const { isTruncated: _t, ...rest } = found;
    return rest;
  });
}

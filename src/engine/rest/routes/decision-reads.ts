// Deployed decisions: one decision definition and its XML; the decision requirements (search, get, XML).
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import { parseKey } from '../../keys.ts';
import {
  type DecisionRequirementsItem,
  decisionDefinition,
  decisionDefinitionXml,
  decisionRequirements,
  decisionRequirementsXml,
  searchDecisionRequirements,
} from '../../read/decisions.ts';
import type { Params, RouteContext } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey } from '../validate.ts';

type Drg = DecisionRequirementsItem & Item;

// Camunda 8.8's DecisionRequirementsFilter: plain values only.
const FILTERS = [
  'decisionRequirementsName',
  'version',
  'decisionRequirementsId',
  'tenantId',
  'decisionRequirementsKey',
  'resourceName',
];
const KINDS: Record<string, FilterKind> = Object.fromEntries(FILTERS.map((f) => [f, 'plain']));
// Camunda 8.8's DecisionRequirementsSearchQuerySortRequest fields.
const SORT = [
  'decisionRequirementsKey',
  'decisionRequirementsName',
  'version',
  'decisionRequirementsId',
  'tenantId',
];

function requirementsSpec(engine: Engine): EntitySpec<Drg> {
  return {
    name: 'decision requirements',
    search: (req) =>
      engine.read((it) => searchDecisionRequirements(it, req)) as ReturnType<EntitySpec<Drg>['search']>,
    filters: FILTERS,
    kinds: KINDS,
    pushable: new Set(FILTERS),
    sortFields: SORT,
    pushableSort: new Set(SORT),
    keyField: 'decisionRequirementsKey',
  };
}

export function registerDecisionReadRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec = requirementsSpec(engine);
  const key = (value: string, field: string) => parseKey(pathKey(value, field));

  app.get<Params<'decisionDefinitionKey'>>(
    '/decision-definitions/:decisionDefinitionKey',
    async (request) => {
      const k = key(request.params.decisionDefinitionKey, 'decisionDefinitionKey');
      return compact(engine.read((it) => decisionDefinition(it, k)) as unknown as Item);
    },
  );

  app.get<Params<'decisionDefinitionKey'>>(
    '/decision-definitions/:decisionDefinitionKey/xml',
    async (request, reply) => {
      const k = key(request.params.decisionDefinitionKey, 'decisionDefinitionKey');
      const xml = engine.read((it) => decisionDefinitionXml(it, k));
      return reply.code(200).header('content-type', 'text/xml').send(xml);
    },
  );

  app.post('/decision-requirements/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map((d) => compact(d)), page: r.page };
  });

  app.get<Params<'decisionRequirementsKey'>>(
    '/decision-requirements/:decisionRequirementsKey',
    async (request) => {
      const k = key(request.params.decisionRequirementsKey, 'decisionRequirementsKey');
      return compact(engine.read((it) => decisionRequirements(it, k)) as unknown as Item);
    },
  );

  app.get<Params<'decisionRequirementsKey'>>(
    '/decision-requirements/:decisionRequirementsKey/xml',
    async (request, reply) => {
      const k = key(request.params.decisionRequirementsKey, 'decisionRequirementsKey');
      const xml = engine.read((it) => decisionRequirementsXml(it, k));
      return reply.code(200).header('content-type', 'text/xml').send(xml);
    },
  );
}

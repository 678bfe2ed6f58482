// Process statistics of Camunda 8.8's REST API: element-instance counts per element of a process definition or
// of one process instance, the sequence flows an instance took, its call hierarchy and its incidents.
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import { parseKey } from '../../keys.ts';
import type { IncidentItem } from '../../queries.ts';
import {
  callHierarchy,
  definitionElementStatistics,
  instanceElementStatistics,
  instanceTree,
  sequenceFlows,
} from '../../read/statistics.ts';
import type { Params, RouteContext } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { type Body, bodyOf, pathKey } from '../validate.ts';

// Camunda 8.8's ProcessDefinitionStatisticsFilter is BaseProcessInstanceFilterFields (+ $or). These are the
// fields the engine's process-instance search evaluates; the others (variables aside: batchOperationId,
// errorMessage, hasRetriesLeft, incidentErrorHashCode, tags, $or) are refused with 400 naming the field.
const INSTANCE_KINDS: Record<string, FilterKind> = {
  startDate: 'ordered',
  endDate: 'ordered',
  state: 'enum',
  hasIncident: 'plain',
  tenantId: 'string',
  processInstanceKey: 'key',
  parentProcessInstanceKey: 'key',
  parentElementInstanceKey: 'key',
  elementId: 'string',
  elementInstanceState: 'enum',
  hasElementInstanceIncident: 'plain',
};
const INSTANCE_FILTERS = [...Object.keys(INSTANCE_KINDS), 'variables'];
/** Instances read per page while collecting a filter's matches. */
const PAGE = 10_000;

function instanceSpec(engine: Engine, definitionKey: string): EntitySpec<Item> {
  return {
    name: 'process definition statistics',
    search: (req) =>
      engine.searchProcessInstances({
        ...req,
        filter: { ...req.filter, processDefinitionKey: definitionKey },
      }) as unknown as ReturnType<EntitySpec<Item>['search']>,
    filters: INSTANCE_FILTERS,
    kinds: INSTANCE_KINDS,
    pushable: new Set(INSTANCE_FILTERS),
    sortFields: ['processInstanceKey'],
    pushableSort: new Set(['processInstanceKey']),
    keyField: 'processInstanceKey',
  };
}

/** The keys of the definition's instances the filter selects; undefined when there is no filter. */
function filteredInstances(engine: Engine, definitionKey: string, body: Body): number[] | undefined {
  const spec = instanceSpec(engine, definitionKey);
  const parsed = parseSearch(spec, { filter: body.filter });
  if (Object.keys(parsed.filter).length === 0) return undefined;
  const keys: number[] = [];
  for (let from = 0; ; from += PAGE) {
    const r = runSearch(spec, { ...parsed, page: { from, limit: PAGE } });
    for (const i of r.items) keys.push(Number(i.processInstanceKey));
    if (r.items.length < PAGE) return keys;
  }
}

// Camunda 8.8's IncidentSearchQuerySortRequest fields.
const INCIDENT_SORT = [
  'incidentKey',
  'processInstanceKey',
  'processDefinitionKey',
  'processDefinitionId',
  'elementId',
  'elementInstanceKey',
  'jobKey',
  'errorType',
  'state',
  'tenantId',
  'errorMessage',
  'creationTime',
];
const INCIDENT_PUSHABLE_SORT = new Set(
  INCIDENT_SORT.filter((f) => f !== 'errorMessage' && f !== 'creationTime'),
);

/** Incidents of a process instance tree (the instance and every instance it called). */
function treeIncidentSpec(engine: Engine, keys: number[]): EntitySpec<IncidentItem & Item> {
  return {
    name: 'process instance incident',
    search: (req) =>
      engine.searchIncidents({
        ...req,
        filter: { processInstanceKey: { $in: keys.map(String) } },
      }) as ReturnType<EntitySpec<IncidentItem & Item>['search']>,
    filters: [],
    pushable: new Set(),
    sortFields: INCIDENT_SORT,
    pushableSort: INCIDENT_PUSHABLE_SORT,
    keyField: 'incidentKey',
  };
}

export function registerStatisticsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post<Params<'processDefinitionKey'>>(
    '/process-definitions/:processDefinitionKey/statistics/element-instances',
    async (request) => {
      const key = pathKey(request.params.processDefinitionKey, 'processDefinitionKey');
      const body = bodyOf(request.body);
      const keys = filteredInstances(engine, key, body);
      return { items: engine.read((it) => definitionElementStatistics(it, parseKey(key), keys)) };
    },
  );

  app.get<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/statistics/element-instances',
    async (request) => {
      const key = parseKey(pathKey(request.params.processInstanceKey, 'processInstanceKey'));
      return { items: engine.read((it) => instanceElementStatistics(it, key)) };
    },
  );

  app.get<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/sequence-flows',
    async (request) => {
      const key = parseKey(pathKey(request.params.processInstanceKey, 'processInstanceKey'));
      return { items: engine.read((it) => sequenceFlows(it, key)) };
    },
  );

  app.get<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/call-hierarchy',
    async (request) => {
      const key = parseKey(pathKey(request.params.processInstanceKey, 'processInstanceKey'));
      return engine.read((it) => callHierarchy(it, key));
    },
  );

  app.post<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/incidents/search',
    async (request) => {
      const key = parseKey(pathKey(request.params.processInstanceKey, 'processInstanceKey'));
      const body = bodyOf(request.body);
      const spec = treeIncidentSpec(
        engine,
        engine.read((it) => instanceTree(it, key)),
      );
      const r = runSearch(spec, parseSearch(spec, body));
      return { items: r.items.map((i) => compact(i)), page: r.page };
    },
  );
}

// Incidents: search, get, resolution.
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import type { IncidentItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

type Incident = IncidentItem & Item;

// Camunda 8.8's IncidentFilter takes plain values, except creationTime (a date-time filter property).
const KINDS: Record<string, FilterKind> = {
  processDefinitionId: 'plain',
  errorType: 'plain',
  errorMessage: 'plain',
  elementId: 'plain',
  creationTime: 'ordered',
  state: 'plain',
  tenantId: 'plain',
  incidentKey: 'plain',
  processDefinitionKey: 'plain',
  processInstanceKey: 'plain',
  elementInstanceKey: 'plain',
  jobKey: 'plain',
};

const PUSHABLE = [
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
];

function incidentSpec(engine: Engine): EntitySpec<Incident> {
  return {
    name: 'incident',
    search: (req) => engine.searchIncidents(req) as ReturnType<EntitySpec<Incident>['search']>,
    filters: Object.keys(KINDS),
    kinds: KINDS,
    pushable: new Set(PUSHABLE),
    sortFields: [...PUSHABLE, 'errorMessage', 'creationTime'],
    pushableSort: new Set(PUSHABLE),
    keyField: 'incidentKey',
  };
}

export function registerIncidentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const incidents = incidentSpec(engine);

  app.post('/incidents/search', async (request) => {
    const r = runSearch(incidents, parseSearch(incidents, bodyOf(request.body)));
    return { items: r.items.map((i) => compact(i)), page: r.page };
  });

  app.get<Params<'incidentKey'>>('/incidents/:incidentKey', async (request, reply) => {
    const key = pathKey(request.params.incidentKey, 'incidentKey');
    try {
      return compact(engine.getIncident(key) as unknown as Item);
    } catch (e) {
      return sendProblem(reply, e);
    }
  });

  app.post<Params<'incidentKey'>>('/incidents/:incidentKey/resolution', async (request, reply) => {
    const key = pathKey(request.params.incidentKey, 'incidentKey');
    const v = new Violations();
    v.integer(bodyOf(request.body), 'operationReference', { min: 1, minText: '> 0' });
    v.check();
    try {
      await engine.submit(() => engine.resolveIncident(key));
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'RESOLVE');
    }
  });
}

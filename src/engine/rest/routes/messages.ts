// Messages (publication, correlation) and incidents (search, get, resolution).
import type { FastifyInstance } from 'fastify';
import type { IncidentItem } from '../../queries.ts';
import type { RouteContext } from '../plugin.ts';
import { sendProblem } from '../plugin.ts';
import { compact, type EntitySpec, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

type Params<K extends string> = { Params: Record<K, string> };

export function registerMessageAndIncidentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post('/messages/publication', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const name = v.requiredString(body, 'name');
    const correlationKey = v.optionalString(body, 'correlationKey');
    const timeToLive = v.integer(body, 'timeToLive', { min: 0, minText: '0 or more' });
    const messageId = v.optionalString(body, 'messageId');
    const variables = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      return engine.publishMessage({
        name: name!,
        ...(correlationKey !== undefined ? { correlationKey } : {}),
        timeToLive: timeToLive ?? 0,
        ...(messageId !== undefined ? { messageId } : {}),
        ...(variables ? { variables } : {}),
      });
    } catch (e) {
      return sendProblem(reply, e, 'PUBLISH');
    }
  });

  app.post('/messages/correlation', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const name = v.requiredString(body, 'name', 'messageName');
    const correlationKey = v.optionalString(body, 'correlationKey');
    const variables = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      return engine.correlateMessage({
        name: name!,
        ...(correlationKey !== undefined ? { correlationKey } : {}),
        ...(variables ? { variables } : {}),
      });
    } catch (e) {
      return sendProblem(reply, e, 'CORRELATE');
    }
  });

  const incidents: EntitySpec<IncidentItem & Item> = {
    name: 'incident',
    search: (req) => engine.searchIncidents(req) as ReturnType<EntitySpec<IncidentItem & Item>['search']>,
    filters: [
      'processDefinitionId',
      'errorType',
      'errorMessage',
      'elementId',
      'creationTime',
      'state',
      'tenantId',
      'incidentKey',
      'processDefinitionKey',
      'processInstanceKey',
      'elementInstanceKey',
      'jobKey',
    ],
    pushable: new Set([
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
    ]),
    sortFields: [
      'incidentKey',
      'processDefinitionKey',
      'processDefinitionId',
      'processInstanceKey',
      'errorType',
      'errorMessage',
      'elementId',
      'elementInstanceKey',
      'creationTime',
      'state',
      'jobKey',
      'tenantId',
    ],
    pushableSort: new Set([
      'incidentKey',
      'processDefinitionKey',
      'processDefinitionId',
      'processInstanceKey',
      'errorType',
      'elementId',
      'elementInstanceKey',
      'state',
      'jobKey',
      'tenantId',
    ]),
    keyField: 'incidentKey',
  };

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
      engine.resolveIncident(key);
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'RESOLVE');
    }
  });
}

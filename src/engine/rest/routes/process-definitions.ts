// Process definitions: search, get, XML, start form.
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import type { ProcessDefinitionItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { notFoundProblem } from '../problem.ts';
import { compact, type EntitySpec, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey } from '../validate.ts';
import { formResult } from './user-tasks.ts';

type Definition = ProcessDefinitionItem & Item;

const SORTABLE = [
  'processDefinitionKey',
  'name',
  'resourceName',
  'version',
  'versionTag',
  'processDefinitionId',
  'tenantId',
];

function definitionSpec(engine: Engine): EntitySpec<Definition> {
  return {
    name: 'process definition',
    search: (req) => engine.searchProcessDefinitions(req) as ReturnType<EntitySpec<Definition>['search']>,
    filters: [...SORTABLE, 'isLatestVersion', 'hasStartForm'],
    pushable: new Set(SORTABLE),
    sortFields: SORTABLE,
    pushableSort: new Set(SORTABLE),
    keyField: 'processDefinitionKey',
    special: {
      isLatestVersion: (item, value) => {
        const latest = engine.searchProcessDefinitions({
          filter: { processDefinitionId: item.processDefinitionId },
          sort: [{ field: 'version', order: 'DESC' }],
          page: { limit: 1 },
        }).items[0];
        return (latest?.processDefinitionKey === item.processDefinitionKey) === Boolean(value);
      },
      hasStartForm: (item, value) => item.hasStartForm === Boolean(value),
    },
  };
}

export function registerProcessDefinitionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec = definitionSpec(engine);

  app.post('/process-definitions/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map((d) => compact(d)), page: r.page };
  });

  const definitionByKey = (key: string): ProcessDefinitionItem => {
    const d = engine.searchProcessDefinitions({ filter: { processDefinitionKey: key } }).items[0];
    if (!d) throw notFoundProblem(`Process definition with key '${key}' not found`);
    return d;
  };

  app.get<Params<'processDefinitionKey'>>('/process-definitions/:processDefinitionKey', async (request) =>
    compact(definitionByKey(pathKey(request.params.processDefinitionKey, 'processDefinitionKey')) as never),
  );

  app.get<Params<'processDefinitionKey'>>(
    '/process-definitions/:processDefinitionKey/xml',
    async (request, reply) => {
      const key = pathKey(request.params.processDefinitionKey, 'processDefinitionKey');
      try {
        const xml = engine.getProcessDefinitionXml(key);
        return reply.code(200).header('content-type', 'text/xml').send(xml);
      } catch (e) {
        return sendProblem(reply, e);
      }
    },
  );

  app.get<Params<'processDefinitionKey'>>(
    '/process-definitions/:processDefinitionKey/form',
    async (request, reply) => {
      const key = pathKey(request.params.processDefinitionKey, 'processDefinitionKey');
      if (!definitionByKey(key).hasStartForm) return reply.code(204).send();
      // the linked form (latest version of its form id); 404 when no form with that id is deployed
      const form = engine.getStartForm(key);
      if (!form) throw notFoundProblem(`The start form of process definition '${key}' is not deployed`);
      return formResult(form);
    },
  );
}

// Process instances: creation (optionally awaiting completion), search, get, cancellation.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Engine } from '../../engine.ts';
import { EngineError } from '../../errors.ts';
import type { ProcessInstanceItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { ProblemError } from '../problem.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { type Body, bodyOf, pathKey, Violations } from '../validate.ts';
import { registerProcessInstanceChangeRoutes } from './process-instance-changes.ts';

type Instance = ProcessInstanceItem & Item;

export function processInstanceResult(p: ProcessInstanceItem): Item {
  return compact({ ...p, processDefinitionName: p.processDefinitionName ?? p.processDefinitionId });
}

// Camunda 8.8's ProcessInstanceFilter (orchestration-cluster-api 8.8 zProcessInstanceFilterFields).
const KINDS: Record<string, FilterKind> = {
  processDefinitionId: 'string',
  processDefinitionName: 'string',
  processDefinitionVersion: 'ordered',
  processDefinitionVersionTag: 'string',
  processDefinitionKey: 'key',
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

const FILTERS = [...Object.keys(KINDS), 'variables'];

const SORTABLE = [
  'processInstanceKey',
  'processDefinitionId',
  'processDefinitionName',
  'processDefinitionVersion',
  'processDefinitionVersionTag',
  'processDefinitionKey',
  'parentProcessInstanceKey',
  'parentElementInstanceKey',
  'startDate',
  'endDate',
  'state',
  'hasIncident',
  'tenantId',
];

// Every filter and sort runs in the engine's SQL (src/engine/search-sql.ts): `variables` through the variables
// (name, value) index, elementId / elementInstanceState / hasElementInstanceIncident as EXISTS on the instance's
// element instances.
export function instanceSpec(engine: Engine): EntitySpec<Instance> {
  return {
    name: 'process instance',
    search: (req) => engine.searchProcessInstances(req) as ReturnType<EntitySpec<Instance>['search']>,
    filters: FILTERS,
    kinds: KINDS,
    pushable: new Set(FILTERS),
    sortFields: SORTABLE,
    pushableSort: new Set(SORTABLE),
    keyField: 'processInstanceKey',
  };
}

interface CreateRequest {
  req: {
    processDefinitionId?: string;
    processDefinitionKey?: string;
    processDefinitionVersion?: number;
    variables: Record<string, unknown>;
    tags?: string[];
  };
  awaitCompletion: boolean;
  fetchVariables: string[] | undefined;
  requestTimeout: number | undefined;
}

// Camunda 8.8's TagSet: at most 10 distinct tags, each starting with a letter, then alphanumerics, `_`, `-`,
// `:` or `.`, at most 100 characters
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/).
const TAG = /^[A-Za-z][A-Za-z0-9_\-:.]{0,99}$/;

function parseTags(v: Violations, body: Body): string[] | undefined {
  const tags = v.stringArray(body, 'tags');
  if (!tags) return undefined;
  if (tags.length > 10) v.add(`The provided tags has ${tags.length} items, but at most 10 are allowed`);
  const bad = tags.find((tag) => !TAG.test(tag));
  if (bad !== undefined)
    v.add(
      `The provided tag '${bad}' in tags is not valid: it must start with a letter, then letters, digits, '_', '-', ':' or '.', at most 100 characters`,
    );
  if (new Set(tags).size !== tags.length) v.add('The provided tags must be distinct');
  return tags;
}

function parseCreate(body: Body): CreateRequest {
  const v = new Violations();
  const id = v.optionalString(body, 'processDefinitionId');
  const key = v.optionalString(body, 'processDefinitionKey');
  if (id === undefined && key === undefined) {
    v.add('At least one of [processDefinitionId, processDefinitionKey] is required');
  }
  if (id !== undefined && key !== undefined) {
    v.add('Only one of [processDefinitionId, processDefinitionKey] is allowed');
  }
  if (key !== undefined && !/^\d+$/.test(key)) {
    v.add(`The provided processDefinitionKey '${key}' is not a valid key. Expected a numeric value`);
  }
  const version = v.integer(body, 'processDefinitionVersion', { min: -1, minText: '-1 (latest) or more' });
  const variables = v.variables(body);
  const awaitCompletion = v.boolean(body, 'awaitCompletion') ?? false;
  const fetchVariables = v.stringArray(body, 'fetchVariables');
  const requestTimeout = v.integer(body, 'requestTimeout', { min: 0, minText: '0 or more' });
  v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
  v.tenant(body);
  const tags = parseTags(v, body);
  v.unsupported(body, ['startInstructions', 'runtimeInstructions']);
  v.check();
  return {
    req: {
      ...(id !== undefined ? { processDefinitionId: id } : {}),
      ...(key !== undefined ? { processDefinitionKey: key } : {}),
      ...(version !== undefined && version >= 0 ? { processDefinitionVersion: version } : {}),
      variables: variables ?? {},
      ...(tags ? { tags } : {}),
    },
    awaitCompletion,
    fetchVariables,
    requestTimeout,
  };
}

async function create(ctx: RouteContext, c: CreateRequest, reply: FastifyReply) {
  try {
    if (!c.awaitCompletion) {
      const created = await ctx.engine.submit(() => ctx.engine.createProcessInstance(c.req));
      return { ...created, variables: {}, tags: c.req.tags ?? [] };
    }
    const timeout = c.requestTimeout && c.requestTimeout > 0 ? c.requestTimeout : ctx.defaultRequestTimeoutMs;
    const done = await ctx.engine.submit(() =>
      ctx.engine.createProcessInstance({ ...c.req, awaitCompletion: true, requestTimeout: timeout }),
    );
    const wanted = c.fetchVariables;
    const vars =
      wanted && wanted.length > 0
        ? Object.fromEntries(Object.entries(done.variables).filter(([k]) => wanted.includes(k)))
        : done.variables;
    return { ...done, variables: vars, tags: c.req.tags ?? [] };
  } catch (e) {
    if (e instanceof EngineError && /did not complete within/.test(e.message)) {
      return sendProblem(
        reply,
        new ProblemError(
          504,
          'DEADLINE_EXCEEDED',
          `Expected to handle REST API request, but request timed out: ${e.message}`,
        ),
      );
    }
    return sendProblem(reply, e, 'CREATE');
  }
}

export function registerProcessInstanceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec = instanceSpec(engine);
  registerProcessInstanceChangeRoutes(app, ctx);

  app.post('/process-instances', async (request, reply) =>
    create(ctx, parseCreate(bodyOf(request.body, false)), reply),
  );

  app.post('/process-instances/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return { items: r.items.map(processInstanceResult), page: r.page };
  });

  app.get<Params<'processInstanceKey'>>('/process-instances/:processInstanceKey', async (request, reply) => {
    const key = pathKey(request.params.processInstanceKey, 'processInstanceKey');
    try {
      return processInstanceResult(engine.getProcessInstance(key));
    } catch (e) {
      return sendProblem(reply, e);
    }
  });

  app.post<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/cancellation',
    async (request, reply) => {
      const key = pathKey(request.params.processInstanceKey, 'processInstanceKey');
      const v = new Violations();
      v.integer(bodyOf(request.body), 'operationReference', { min: 1, minText: '> 0' });
      v.check();
      try {
        await engine.submit(() => engine.cancelProcessInstance(key));
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e, 'CANCEL');
      }
    },
  );
}

// Topology, deployments, process definitions and instances, element instances, variables, decisions, clock.
import type { FastifyInstance } from 'fastify';
import { EngineError } from '../../errors.ts';
import type {
  ElementInstanceItem,
  ProcessDefinitionItem,
  ProcessInstanceItem,
  SearchRequest,
  VariableItem,
} from '../../queries.ts';
import type { RouteContext } from '../plugin.ts';
import { sendProblem } from '../plugin.ts';
import { invalidArgument, notFoundProblem, ProblemError } from '../problem.ts';
import {
  compact,
  type EntitySpec,
  type Item,
  matches as matchesValue,
  parseSearch,
  runSearch,
} from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

const GATEWAY_VERSION = '8.8.0';

type Params<K extends string> = { Params: Record<K, string> };

export function processInstanceResult(p: ProcessInstanceItem): Item {
  return compact({ ...p, processDefinitionName: p.processDefinitionName ?? p.processDefinitionId });
}

export function registerRuntimeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  // --- cluster ---------------------------------------------------------------------------------
  app.get('/topology', async (request) => {
    const address = request.socket.localAddress ?? '127.0.0.1';
    return {
      brokers: [
        {
          nodeId: 0,
          host: address.replace(/^::ffff:/, ''),
          port: request.socket.localPort ?? 0,
          partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
          version: GATEWAY_VERSION,
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: GATEWAY_VERSION,
      lastCompletedChangeId: '-1',
    };
  });

  app.get('/status', async (_request, reply) => reply.code(204).send());

  // --- deployments -----------------------------------------------------------------------------
  app.post('/deployments', async (request, reply) => {
    if (!request.isMultipart()) {
      throw invalidArgument(['Expected a multipart/form-data request with one or more resources']);
    }
    const resources: Array<{ name: string; content: Buffer }> = [];
    const v = new Violations();
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname !== 'resources') {
          v.add(`Unexpected file field '${part.fieldname}': resources are sent as 'resources'`);
          continue;
        }
        resources.push({ name: part.filename || 'resource', content });
      } else if (part.fieldname === 'tenantId') {
        v.tenant({ tenantId: part.value });
      }
    }
    if (resources.length === 0) v.add('No resources provided');
    v.check();
    try {
      const result = await engine.deploy(resources);
      return {
        tenantId: result.tenantId,
        deploymentKey: result.deploymentKey,
        deployments: result.deployments.map((d) =>
          Object.fromEntries(Object.entries(d).map(([kind, meta]) => [kind, compact(meta as Item)])),
        ),
      };
    } catch (e) {
      return sendProblem(reply, e, 'CREATE');
    }
  });

  // --- process definitions ---------------------------------------------------------------------
  const definitions: EntitySpec<ProcessDefinitionItem & Item> = {
    name: 'process definition',
    search: (req) =>
      engine.searchProcessDefinitions(req) as ReturnType<EntitySpec<ProcessDefinitionItem & Item>['search']>,
    filters: [
      'name',
      'isLatestVersion',
      'resourceName',
      'version',
      'versionTag',
      'processDefinitionId',
      'tenantId',
      'processDefinitionKey',
      'hasStartForm',
    ],
    pushable: new Set([
      'processDefinitionKey',
      'processDefinitionId',
      'name',
      'version',
      'versionTag',
      'resourceName',
      'tenantId',
    ]),
    sortFields: [
      'processDefinitionKey',
      'name',
      'resourceName',
      'version',
      'versionTag',
      'processDefinitionId',
      'tenantId',
    ],
    pushableSort: new Set([
      'processDefinitionKey',
      'name',
      'resourceName',
      'version',
      'versionTag',
      'processDefinitionId',
      'tenantId',
    ]),
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

  app.post('/process-definitions/search', async (request) => {
    const r = runSearch(definitions, parseSearch(definitions, bodyOf(request.body)));
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
      const def = definitionByKey(pathKey(request.params.processDefinitionKey, 'processDefinitionKey'));
      // Start forms are not linked by the embedded engine (none of this project's processes has one).
      if (!def.hasStartForm) return reply.code(204).send();
      throw new ProblemError(500, 'NOT_IMPLEMENTED', 'Start forms are not served by the embedded engine');
    },
  );

  // --- process instances -----------------------------------------------------------------------
  app.post('/process-instances', async (request, reply) => {
    const body = bodyOf(request.body, false);
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
    const operationReference = v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
    void operationReference;
    v.tenant(body);
    v.unsupported(body, ['startInstructions', 'runtimeInstructions', 'tags']);
    v.check();
    const req = {
      ...(id !== undefined ? { processDefinitionId: id } : {}),
      ...(key !== undefined ? { processDefinitionKey: key } : {}),
      ...(version !== undefined && version >= 0 ? { processDefinitionVersion: version } : {}),
      variables: variables ?? {},
    };
    try {
      if (!awaitCompletion) {
        const created = engine.createProcessInstance(req);
        return { ...created, variables: {} };
      }
      const timeout = requestTimeout && requestTimeout > 0 ? requestTimeout : ctx.defaultRequestTimeoutMs;
      const done = await engine.createProcessInstance({
        ...req,
        awaitCompletion: true,
        requestTimeout: timeout,
      });
      const vars =
        fetchVariables && fetchVariables.length > 0
          ? Object.fromEntries(Object.entries(done.variables).filter(([k]) => fetchVariables.includes(k)))
          : done.variables;
      return { ...done, variables: vars };
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
  });

  const instances: EntitySpec<ProcessInstanceItem & Item> = {
    name: 'process instance',
    search: (req) =>
      engine.searchProcessInstances(req) as ReturnType<EntitySpec<ProcessInstanceItem & Item>['search']>,
    filters: [
      'processDefinitionId',
      'processDefinitionName',
      'processDefinitionVersion',
      'processDefinitionVersionTag',
      'processDefinitionKey',
      'startDate',
      'endDate',
      'state',
      'hasIncident',
      'tenantId',
      'variables',
      'processInstanceKey',
      'parentProcessInstanceKey',
      'parentElementInstanceKey',
      'elementId',
      'elementInstanceState',
      'hasElementInstanceIncident',
    ],
    pushable: new Set([
      'processInstanceKey',
      'processDefinitionKey',
      'processDefinitionId',
      'processDefinitionVersion',
      'state',
      'parentProcessInstanceKey',
      'parentElementInstanceKey',
      'hasIncident',
      'tenantId',
    ]),
    sortFields: [
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
    ],
    pushableSort: new Set([
      'processInstanceKey',
      'processDefinitionKey',
      'processDefinitionId',
      'processDefinitionVersion',
      'state',
      'startDate',
      'endDate',
      'tenantId',
    ]),
    keyField: 'processInstanceKey',
    special: {
      variables: (item, value) => {
        if (!Array.isArray(value)) return false;
        const vars = engine.searchVariables({
          filter: { processInstanceKey: item.processInstanceKey, scopeKey: item.processInstanceKey },
          page: { limit: 10_000 },
        }).items;
        return value.every((f: { name?: unknown; value?: unknown }) => {
          const found = vars.find((x) => x.name === f.name);
          return found !== undefined && matchesValue(found.value, f.value);
        });
      },
      elementId: (item, value) => elementsOf(item).some((e) => matchesValue(e.elementId, value)),
      elementInstanceState: (item, value) => elementsOf(item).some((e) => matchesValue(e.state, value)),
      hasElementInstanceIncident: (item, value) =>
        elementsOf(item).some((e) => e.hasIncident) === Boolean(value),
    },
  };
  const elementsOf = (item: ProcessInstanceItem) =>
    engine.searchElementInstances({
      filter: { processInstanceKey: item.processInstanceKey },
      page: { limit: 10_000 },
    }).items;

  app.post('/process-instances/search', async (request) => {
    const r = runSearch(instances, parseSearch(instances, bodyOf(request.body)));
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
        engine.cancelProcessInstance(key);
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e, 'CANCEL');
      }
    },
  );

  // --- element instances -----------------------------------------------------------------------
  const elements: EntitySpec<ElementInstanceItem & Item> = {
    name: 'element instance',
    search: (req) =>
      engine.searchElementInstances(req) as ReturnType<EntitySpec<ElementInstanceItem & Item>['search']>,
    filters: [
      'processDefinitionId',
      'state',
      'type',
      'elementId',
      'elementName',
      'hasIncident',
      'tenantId',
      'elementInstanceKey',
      'processInstanceKey',
      'processDefinitionKey',
      'incidentKey',
      'startDate',
      'endDate',
      'elementInstanceScopeKey',
    ],
    pushable: new Set([
      'elementInstanceKey',
      'processInstanceKey',
      'processDefinitionKey',
      'elementId',
      'type',
      'incidentKey',
    ]),
    sortFields: [
      'elementInstanceKey',
      'processInstanceKey',
      'processDefinitionKey',
      'processDefinitionId',
      'startDate',
      'endDate',
      'elementId',
      'elementName',
      'type',
      'state',
      'incidentKey',
      'tenantId',
    ],
    pushableSort: new Set([
      'elementInstanceKey',
      'processInstanceKey',
      'processDefinitionKey',
      'elementId',
      'type',
      'incidentKey',
      'startDate',
    ]),
    keyField: 'elementInstanceKey',
    special: {
      // the scope: a process instance key (its direct children) or an element instance key
      elementInstanceScopeKey: (item, value) => String(item.flowScopeKey) === String(value),
      elementName: (item, value) => matchesValue(item.elementName ?? item.elementId, value),
    },
  };
  const elementResult = (e: ElementInstanceItem): Item => {
    const { flowScopeKey: _scope, ...rest } = e;
    return compact({ ...rest, elementName: e.elementName ?? e.elementId });
  };

  app.post('/element-instances/search', async (request) => {
    const r = runSearch(elements, parseSearch(elements, bodyOf(request.body)));
    return { items: r.items.map(elementResult), page: r.page };
  });

  app.get<Params<'elementInstanceKey'>>('/element-instances/:elementInstanceKey', async (request, reply) => {
    const key = pathKey(request.params.elementInstanceKey, 'elementInstanceKey');
    try {
      return elementResult(engine.getElementInstance(key));
    } catch (e) {
      return sendProblem(reply, e);
    }
  });

  // Sets variables on a scope (Operate's "edit variable"): merged into the element instance's own scope with
  // `local`, otherwise propagated to the scopes that hold them, as Zeebe does.
  app.put<Params<'elementInstanceKey'>>(
    '/element-instances/:elementInstanceKey/variables',
    async (request, reply) => {
      try {
        const key = pathKey(request.params.elementInstanceKey, 'elementInstanceKey');
        const body = bodyOf(request.body, false);
        const v = new Violations();
        const variables = v.variables(body);
        if (variables === undefined) v.add('No variables given: variables must be a JSON object');
        const local = v.boolean(body, 'local') ?? false;
        v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
        v.check();
        engine.setVariables(key, variables ?? {}, local);
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e);
      }
    },
  );

  // --- variables -------------------------------------------------------------------------------
  const variables: EntitySpec<VariableItem & Item> = {
    name: 'variable',
    search: (req) => engine.searchVariables(req) as ReturnType<EntitySpec<VariableItem & Item>['search']>,
    filters: ['name', 'value', 'tenantId', 'isTruncated', 'variableKey', 'scopeKey', 'processInstanceKey'],
    pushable: new Set(['variableKey', 'scopeKey', 'processInstanceKey', 'name', 'value', 'tenantId']),
    sortFields: ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'],
    pushableSort: new Set(['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey']),
    keyField: 'variableKey',
  };

  app.post<{ Querystring: { truncateValues?: string } }>('/variables/search', async (request) => {
    const truncate = request.query.truncateValues !== 'false';
    const r = runSearch(variables, parseSearch(variables, bodyOf(request.body)));
    return { items: r.items.map((x) => variableResult(x, truncate)), page: r.page };
  });

  app.get<Params<'variableKey'>>('/variables/:variableKey', async (request) => {
    const key = pathKey(request.params.variableKey, 'variableKey');
    const found = engine.searchVariables({ filter: { variableKey: key } }).items[0];
    if (!found) throw notFoundProblem(`Variable with key '${key}' not found`);
    const { isTruncated: _t, ...rest } = found;
    return rest;
  });

  // --- decisions -------------------------------------------------------------------------------
  app.post('/decision-definitions/evaluation', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const id = v.optionalString(body, 'decisionDefinitionId');
    const key = v.optionalString(body, 'decisionDefinitionKey');
    if (id === undefined && key === undefined) {
      v.add('At least one of [decisionDefinitionId, decisionDefinitionKey] is required');
    }
    if (id !== undefined && key !== undefined) {
      v.add('Only one of [decisionDefinitionId, decisionDefinitionKey] is allowed');
    }
    const vars = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      const r = engine.evaluateDecision({
        ...(id !== undefined ? { decisionDefinitionId: id } : {}),
        ...(key !== undefined ? { decisionDefinitionKey: key } : {}),
        variables: vars ?? {},
      });
      return {
        decisionDefinitionId: r.decisionDefinitionId,
        decisionDefinitionName: r.decisionDefinitionName ?? r.decisionDefinitionId,
        decisionDefinitionVersion: r.decisionDefinitionVersion,
        decisionRequirementsId: r.decisionRequirementsId,
        output: r.output,
        // Camunda 8.8 answers "" when nothing failed (its ResponseMapper copies the record's empty string);
        // @camunda8/orchestration-cluster-api 8.8.4's strict schema wants a non-empty id there.
        failedDecisionDefinitionId: r.failedDecisionDefinitionId,
        failureMessage: r.failureMessage,
        tenantId: r.tenantId,
        decisionDefinitionKey: r.decisionDefinitionKey,
        decisionRequirementsKey: r.decisionRequirementsKey,
        decisionInstanceKey: r.decisionInstanceKey,
        decisionEvaluationKey: r.decisionInstanceKey,
        evaluatedDecisions: r.evaluatedDecisions.map((d) =>
          compact({
            decisionDefinitionId: d.decisionId,
            decisionDefinitionName: d.decisionName ?? d.decisionId,
            decisionDefinitionType: d.decisionType,
            output: JSON.stringify(d.output ?? null),
            tenantId: r.tenantId,
            matchedRules: d.matchedRules.map((m) => ({
              ruleId: m.ruleId,
              ruleIndex: m.ruleIndex,
              evaluatedOutputs: m.outputs.map((o) =>
                compact({
                  outputId: o.outputId,
                  outputName: o.outputName ?? o.outputId,
                  outputValue: JSON.stringify(o.value ?? null),
                }),
              ),
            })),
            evaluatedInputs: d.evaluatedInputs.map((input) =>
              compact({
                inputId: input.inputId,
                inputName: input.inputName ?? input.inputId,
                inputValue: JSON.stringify(input.value ?? null),
              }),
            ),
            ...(d.decisionId === r.decisionDefinitionId
              ? { decisionDefinitionKey: r.decisionDefinitionKey }
              : {}),
          }),
        ),
      };
    } catch (e) {
      return sendProblem(reply, e, 'EVALUATE');
    }
  });

  app.post('/decision-definitions/search', async (request) => {
    const body = bodyOf(request.body);
    const spec: EntitySpec<Item> = {
      name: 'decision definition',
      search: (req: SearchRequest<Record<string, unknown>>) => engine.searchDecisionDefinitions(req),
      filters: [
        'decisionDefinitionId',
        'name',
        'version',
        'decisionRequirementsId',
        'tenantId',
        'decisionDefinitionKey',
        'decisionRequirementsKey',
      ],
      pushable: new Set([
        'decisionDefinitionKey',
        'decisionDefinitionId',
        'version',
        'name',
        'decisionRequirementsId',
        'decisionRequirementsKey',
      ]),
      sortFields: [
        'decisionDefinitionKey',
        'decisionDefinitionId',
        'name',
        'version',
        'decisionRequirementsId',
        'decisionRequirementsKey',
        'tenantId',
      ],
      pushableSort: new Set([
        'decisionDefinitionKey',
        'decisionDefinitionId',
        'name',
        'version',
        'decisionRequirementsId',
        'decisionRequirementsKey',
      ]),
      keyField: 'decisionDefinitionKey',
    };
    const r = runSearch(spec, parseSearch(spec, body));
    return {
      items: r.items.map((d) => compact({ ...d, name: d.name ?? d.decisionDefinitionId })),
      page: r.page,
    };
  });

  // --- clock -----------------------------------------------------------------------------------
  app.put('/clock', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const timestamp = v.integer(body, 'timestamp', {
      required: true,
      min: 0,
      minText: 'a non-negative epoch millisecond',
    });
    v.check();
    engine.pinClock(timestamp!);
    return reply.code(204).send();
  });

  app.post('/clock/reset', async (_request, reply) => {
    engine.resetClock();
    return reply.code(204).send();
  });
}

const MAX_VALUE = 8191;

/** Variable values are JSON text; long ones are truncated in search results unless truncateValues=false. */
function variableResult(v: VariableItem, truncate: boolean): Item {
  const long = truncate && v.value.length > MAX_VALUE;
  return { ...v, value: long ? v.value.slice(0, MAX_VALUE) : v.value, isTruncated: long };
}

// Element instances: search, get, and setting variables on their scope.
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import type { AdHocActivationRequest } from '../../processors/adhoc.ts';
import type { ElementInstanceItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import {
  compact,
  type EntitySpec,
  type FilterKind,
  type Item,
  matches,
  parseSearch,
  runSearch,
} from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

type Element = ElementInstanceItem & Item;

// Camunda 8.8's ElementInstanceFilter takes plain values, except the state (an enum filter property).
// startDate, endDate and elementInstanceScopeKey are this engine's additions (Operate-style queries).
const KINDS: Record<string, FilterKind> = {
  processDefinitionId: 'plain',
  state: 'enum',
  type: 'plain',
  elementId: 'plain',
  elementName: 'plain',
  hasIncident: 'plain',
  tenantId: 'plain',
  elementInstanceKey: 'plain',
  processInstanceKey: 'plain',
  processDefinitionKey: 'plain',
  incidentKey: 'plain',
  startDate: 'ordered',
  endDate: 'ordered',
  elementInstanceScopeKey: 'plain',
};

const PUSHABLE = [
  'elementInstanceKey',
  'processInstanceKey',
  'processDefinitionKey',
  'elementId',
  'type',
  'incidentKey',
];

const SORTABLE = [
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
];

function elementSpec(engine: Engine): EntitySpec<Element> {
  return {
    name: 'element instance',
    search: (req) => engine.searchElementInstances(req) as ReturnType<EntitySpec<Element>['search']>,
    filters: Object.keys(KINDS),
    kinds: KINDS,
    pushable: new Set(PUSHABLE),
    sortFields: SORTABLE,
    pushableSort: new Set([...PUSHABLE, 'startDate']),
    keyField: 'elementInstanceKey',
    special: {
      // the scope: a process instance key (its direct children) or an element instance key
      elementInstanceScopeKey: (item, value) => String(item.flowScopeKey) === String(value),
      elementName: (item, value) => matches(item.elementName ?? item.elementId, value),
    },
  };
}

function elementResult(e: ElementInstanceItem): Item {
  const { flowScopeKey: _scope, ...rest } = e;
  return compact({ ...rest, elementName: e.elementName ?? e.elementId });
}

export function registerElementInstanceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec = elementSpec(engine);

  app.post('/element-instances/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
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
        await engine.submit(() => engine.setVariables(key, variables ?? {}, local));
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e);
      }
    },
  );

  // Activates elements of an ad-hoc sub-process (Camunda 8.8's AdHocSubProcessActivateActivitiesInstruction).
  app.post<Params<'adHocSubProcessInstanceKey'>>(
    '/element-instances/ad-hoc-activities/:adHocSubProcessInstanceKey/activation',
    async (request, reply) => {
      try {
        const key = pathKey(request.params.adHocSubProcessInstanceKey, 'adHocSubProcessInstanceKey');
        const req = adHocActivation(bodyOf(request.body, false));
        await engine.submit(() => engine.adHoc.activate(Number(key), req));
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e);
      }
    },
  );
}

function adHocActivation(body: Record<string, unknown>): AdHocActivationRequest {
  const v = new Violations();
  const cancelRemainingInstances = v.boolean(body, 'cancelRemainingInstances');
  const elements: AdHocActivationRequest['elements'] = [];
  if (!Array.isArray(body.elements)) v.add('No elements provided: elements must be an array');
  else
    body.elements.forEach((e: unknown, i) => {
      const item = (e ?? {}) as Record<string, unknown>;
      if (typeof item.elementId !== 'string' || item.elementId === '')
        v.add(`elements[${i}].elementId must be a non-empty string`);
      const vars = item.variables;
      if (vars !== undefined && vars !== null && (typeof vars !== 'object' || Array.isArray(vars)))
        v.add(`elements[${i}].variables must be a JSON object`);
      elements.push({
        elementId: String(item.elementId),
        variables: (vars ?? undefined) as Record<string, unknown>,
      });
    });
  v.check();
  return { elements, ...(cancelRemainingInstances === undefined ? {} : { cancelRemainingInstances }) };
}

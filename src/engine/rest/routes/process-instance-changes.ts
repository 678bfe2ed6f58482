// Changing a running process instance: modification (activate elements, terminate element instances) and
// migration to another process definition, with Camunda 8.8's request bodies
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/modify-process-instance/,
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/migrate-process-instance/).
// Both answer 204; a refused command is a problem with Zeebe's rejection reason.
import type { FastifyInstance } from 'fastify';
import type { MigrationRequest } from '../../processors/migration.ts';
import type {
  ActivateInstruction,
  ModificationRequest,
  VariableInstruction,
} from '../../processors/modification.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { type Body, bodyOf, pathKey, show, Violations } from '../validate.ts';

const KEY = /^\d{1,19}$/;

function list(v: Violations, body: Body, field: string, label = field): Body[] {
  const raw = body[field];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) {
    v.add(`The value for ${label} is '${show(raw)}' but must be a list of objects`);
    return [];
  }
  return raw as Body[];
}

/** A key field: a decimal string or an integer (the official client sends strings). */
function key(v: Violations, body: Body, field: string, label: string, required: boolean): number | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null) {
    if (required) v.add(`No ${label} provided`);
    return undefined;
  }
  const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (text === '-1' && !required) return -1;
  if (typeof text !== 'string' || !KEY.test(text)) {
    v.add(`The provided ${label} '${show(raw)}' is not a valid key. Expected a numeric value`);
    return undefined;
  }
  return Number(text);
}

function parseVariableInstructions(v: Violations, a: Body, at: string): VariableInstruction[] {
  return list(v, a, 'variableInstructions', `${at}.variableInstructions`).map((vi, j) => {
    const label = `${at}.variableInstructions[${j}]`;
    const variables = v.variables(vi, 'variables');
    if (vi.variables === undefined || vi.variables === null) v.add(`No ${label}.variables provided`);
    const scopeId = v.optionalString(vi, 'scopeId');
    return { variables: variables ?? {}, ...(scopeId ? { scopeId } : {}) };
  });
}

export function parseModification(body: Body): ModificationRequest {
  const v = new Violations();
  const operationReference = v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
  const activateInstructions: ActivateInstruction[] = list(v, body, 'activateInstructions').map((a, i) => {
    const at = `activateInstructions[${i}]`;
    const elementId = v.requiredString(a, 'elementId', `${at}.elementId`) ?? '';
    const ancestor = key(v, a, 'ancestorElementInstanceKey', `${at}.ancestorElementInstanceKey`, false);
    return {
      elementId,
      ...(ancestor !== undefined ? { ancestorElementInstanceKey: ancestor } : {}),
      variableInstructions: parseVariableInstructions(v, a, at),
    };
  });
  const terminateInstructions = list(v, body, 'terminateInstructions').map((t, i) => ({
    elementInstanceKey:
      key(v, t, 'elementInstanceKey', `terminateInstructions[${i}].elementInstanceKey`, true) ?? 0,
  }));
  v.check();
  return {
    activateInstructions,
    terminateInstructions,
    ...(operationReference ? { operationReference } : {}),
  };
}

export function parseMigration(body: Body): MigrationRequest {
  const v = new Violations();
  const operationReference = v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
  const target = key(v, body, 'targetProcessDefinitionKey', 'targetProcessDefinitionKey', true);
  const raw = body.mappingInstructions;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0))
    v.add('No mappingInstructions provided');
  const mappingInstructions = list(v, body, 'mappingInstructions').map((m, i) => ({
    sourceElementId:
      v.requiredString(m, 'sourceElementId', `mappingInstructions[${i}].sourceElementId`) ?? '',
    targetElementId:
      v.requiredString(m, 'targetElementId', `mappingInstructions[${i}].targetElementId`) ?? '',
  }));
  v.check();
  return {
    targetProcessDefinitionKey: target!,
    mappingInstructions,
    ...(operationReference ? { operationReference } : {}),
  };
}

export function registerProcessInstanceChangeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/modification',
    async (request, reply) => {
      const pi = pathKey(request.params.processInstanceKey, 'processInstanceKey');
      const req = parseModification(bodyOf(request.body, false));
      try {
        await engine.submit(() => engine.modifyProcessInstance(pi, req));
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e, 'MODIFY');
      }
    },
  );

  app.post<Params<'processInstanceKey'>>(
    '/process-instances/:processInstanceKey/migration',
    async (request, reply) => {
      const pi = pathKey(request.params.processInstanceKey, 'processInstanceKey');
      const req = parseMigration(bodyOf(request.body, false));
      try {
        await engine.submit(() => engine.migrateProcessInstance(pi, req));
        return reply.code(204).send();
      } catch (e) {
        return sendProblem(reply, e, 'MIGRATE');
      }
    },
  );
}

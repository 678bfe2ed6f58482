// Process instance commands: create, cancel (with children and tasks), set variables on a scope.
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import type { Definition, Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';

export interface CreateProcessInstanceRequest {
  processDefinitionId?: string;
  processDefinitionKey?: number;
  /** With processDefinitionId: a specific version instead of the latest. */
  processDefinitionVersion?: number;
  variables?: Record<string, unknown>;
  /** Camunda 8.8 tags, validated by the caller. */
  tags?: string[];
}

export interface CreateProcessInstanceResult {
  processDefinitionId: string;
  processDefinitionVersion: number;
  tenantId: string;
  variables: Record<string, unknown>;
  processDefinitionKey: string;
  processInstanceKey: string;
  tags?: string[];
}

export function resolveDefinition(it: Interpreter, req: CreateProcessInstanceRequest): Definition {
  if (req.processDefinitionKey !== undefined) {
    if (!it.state.definitions.processExists(req.processDefinitionKey))
      throw notFound(
        `Expected to find process definition with key '${req.processDefinitionKey}', but none found`,
      );
    return it.definition(req.processDefinitionKey);
  }
  if (!req.processDefinitionId) throw invalidArgument('Expected processDefinitionId or processDefinitionKey');
  if (req.processDefinitionVersion !== undefined && req.processDefinitionVersion >= 0) {
    const key = it.state.definitions.processKeyOf(req.processDefinitionId, req.processDefinitionVersion);
    if (key === undefined) {
      throw notFound(
        `Expected to find process definition with process ID '${req.processDefinitionId}' and version '${req.processDefinitionVersion}', but none found`,
      );
    }
    return it.definition(key);
  }
  const def = it.latestDefinition(req.processDefinitionId);
  if (!def)
    throw notFound(
      `Expected to find process definition with process ID '${req.processDefinitionId}', but none found`,
    );
  return def;
}

export function createProcessInstance(
  tx: Tx,
  it: Interpreter,
  req: CreateProcessInstanceRequest,
): CreateProcessInstanceResult {
  const def = resolveDefinition(it, req);
  const root = def.model.elements[def.processId]!;
  if (!root.startEvent) {
    throw invalidState(
      `Expected to create instance of process '${def.processId}' with a none start event, but it has none`,
    );
  }
  const variables = req.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables) || variables === null) {
    throw invalidArgument('Expected variables to be a JSON object');
  }
  const key = it.createProcessInstance(tx, def, variables, req.tags?.length ? { tags: req.tags } : {});
  return {
    processDefinitionId: def.processId,
    processDefinitionVersion: def.version,
    tenantId: TENANT,
    variables,
    processDefinitionKey: String(def.key),
    processInstanceKey: String(key),
    tags: req.tags ?? [],
  };
}

export function cancelProcessInstance(tx: Tx, it: Interpreter, key: number): void {
  const pi = it.pi(key);
  // Zeebe's ProcessInstanceCommandProcessor: only an instance that canTerminate (ACTIVATING, ACTIVATED, COMPLETING) is
  // cancelled; one whose termination is under way (canceling task listeners) is not found again
  if (pi?.state !== 'ACTIVE' || it.ei(key)?.state === 'TERMINATING') {
    throw notFound(`Expected to cancel a process instance with key '${key}', but no such process was found`);
  }
  if (pi.parent_process_instance_key !== null) {
    throw invalidState(
      `Expected to cancel a process instance with key '${key}', but it is created by a parent process instance. Cancel the root process instance '${pi.parent_process_instance_key}' instead.`,
    );
  }
  tx.record('PROCESS_INSTANCE', 'CANCEL', key, key, pi.process_id, null);
  it.terminate(tx, it.ei(key)!);
}

/** Camunda's PUT /v2/element-instances/{key}/variables: set on the scope (local) or propagate. */
export function setVariables(
  tx: Tx,
  it: Interpreter,
  elementInstanceKey: number,
  variables: Record<string, unknown>,
  local = false,
): void {
  const ei = it.ei(elementInstanceKey);
  if (!ei || ei.state === 'COMPLETED' || ei.state === 'TERMINATED') {
    throw notFound(
      `Expected to update variables for element with key '${elementInstanceKey}', but no such element was found`,
    );
  }
  if (local) {
    for (const [name, value] of Object.entries(variables))
      it.setLocal(tx, ei.key, ei.process_instance_key, name, value);
  } else {
    it.mergeDocument(tx, ei.key, ei.process_instance_key, variables);
  }
}

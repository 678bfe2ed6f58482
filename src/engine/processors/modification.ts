// Process instance modification (Camunda 8.8 POST /v2/process-instances/{key}/modification; Zeebe's
// ProcessInstanceModificationModifyProcessor): activate elements (creating the flow scope instances they need)
// and terminate element instances, all in the command's one transaction. Every instruction is checked before
// anything changes; what can only fail while applying (several flow scope instances, a multi-instance scope, a
// child instance left empty) throws inside the transaction, so either all instructions apply or none.
import { invalidArgument, notFound } from '../errors.ts';
import type { ProcessModel } from '../model/types.ts';
import { parseData } from '../runtime/elementData.ts';
import type { Definition, Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { ElementInstanceRow, ProcessInstanceRow } from '../state/rows.ts';
import {
  type ActivateInstruction,
  activateElement,
  isActive,
  isAncestorScope,
} from './modification-activation.ts';

export type { ActivateInstruction, VariableInstruction } from './modification-activation.ts';

export interface ModificationRequest {
  activateInstructions?: ActivateInstruction[];
  terminateInstructions?: Array<{ elementInstanceKey: number }>;
  /** Camunda's operationReference: kept in the MODIFIED record. */
  operationReference?: number;
}

// Zeebe's BpmnElementType names, in its enum's order, less the ones it cannot activate.
const ELEMENT_TYPES = [
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'INTERMEDIATE_CATCH_EVENT',
  'INTERMEDIATE_THROW_EVENT',
  'END_EVENT',
  'SERVICE_TASK',
  'RECEIVE_TASK',
  'USER_TASK',
  'MANUAL_TASK',
  'TASK',
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
  'MULTI_INSTANCE_BODY',
  'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
];
// Zeebe lists PROCESS as activatable; the embedded engine refuses it (its instance exists while it is modified).
const UNSUPPORTED = new Set(['PROCESS', 'START_EVENT', 'SEQUENCE_FLOW', 'BOUNDARY_EVENT']);

const prefix = (processId: string) => `Expected to modify instance of process '${processId}' but it contains`;

/** The type Zeebe gives an id of the model: an element's type, or SEQUENCE_FLOW. */
function typeOf(model: ProcessModel, id: string): string | undefined {
  return model.elements[id]?.type ?? (model.flows[id] ? 'SEQUENCE_FLOW' : undefined);
}

function checkElements(model: ProcessModel, processId: string, activate: ActivateInstruction[]): void {
  const unknown = [...new Set(activate.map((a) => a.elementId).filter((id) => !typeOf(model, id)))];
  if (unknown.length > 0) {
    throw invalidArgument(
      `${prefix(processId)} one or more activate instructions with an element that could not be found: '${unknown.join("', '")}'`,
    );
  }
  const ids = [...new Set(activate.map((a) => a.elementId))];
  const afterGateway = ids.filter((id) => {
    const el = model.elements[id];
    return (
      (el?.type === 'INTERMEDIATE_CATCH_EVENT' || el?.type === 'RECEIVE_TASK') &&
      el.incoming.some((f) => model.elements[model.flows[f]!.source]?.type === 'EVENT_BASED_GATEWAY')
    );
  });
  if (afterGateway.length > 0) {
    throw invalidArgument(
      `${prefix(processId)} one or more activate instructions for elements that are unsupported: '${afterGateway.join("', '")}'. The activation of events belonging to an event-based gateway is not supported.`,
    );
  }
  const unsupported = ids.filter((id) => UNSUPPORTED.has(typeOf(model, id)!));
  if (unsupported.length > 0) {
    const types = [...new Set(unsupported.map((id) => typeOf(model, id)!))];
    throw invalidArgument(
      `${prefix(processId)} one or more activate instructions for elements that are unsupported: '${unsupported.join("', '")}'. The activation of elements with type '${types.join("', '")}' is not supported. Supported element types are: [${ELEMENT_TYPES.join(', ')}].`,
    );
  }
}

function checkTerminations(it: Interpreter, pi: ProcessInstanceRow, keys: number[]): void {
  const unknown = [...new Set(keys)].filter((k) => {
    const ei = it.ei(k);
    return !ei || !isActive(ei) || ei.process_instance_key !== pi.key;
  });
  if (unknown.length > 0) {
    throw invalidArgument(
      `${prefix(pi.process_id)} one or more terminate instructions with an element instance that could not be found: '${unknown.join("', '")}'`,
    );
  }
}

function checkVariableScopes(model: ProcessModel, processId: string, activate: ActivateInstruction[]): void {
  const scopes = activate.flatMap((a) => (a.variableInstructions ?? []).map((v) => v.scopeId ?? ''));
  const unknown = [...new Set(scopes.filter((s) => s !== '' && !model.elements[s]))];
  if (unknown.length > 0) {
    throw invalidArgument(
      `${prefix(processId)} one or more variable instructions with a scope element id that could not be found: '${unknown.join("', '")}'`,
    );
  }
  const outside = activate.some((a) =>
    (a.variableInstructions ?? []).some(
      (v) =>
        v.scopeId &&
        v.scopeId !== a.elementId &&
        !isAncestorScope(model, v.scopeId, model.elements[a.elementId]!),
    ),
  );
  if (outside) {
    throw invalidArgument(
      `${prefix(processId)} one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
    );
  }
}

function checkAncestors(
  it: Interpreter,
  pi: ProcessInstanceRow,
  model: ProcessModel,
  activate: ActivateInstruction[],
) {
  const selected = activate.filter((a) => (a.ancestorElementInstanceKey ?? -1) > 0);
  const keys = [...new Set(selected.map((a) => a.ancestorElementInstanceKey!))];
  const missing = keys.filter((k) => {
    const ei = it.ei(k);
    return !ei || !isActive(ei);
  });
  if (missing.length > 0) {
    throw invalidArgument(
      `${prefix(pi.process_id)} one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${missing.join("', '")}'`,
    );
  }
  const foreign = keys.filter((k) => it.ei(k)!.process_instance_key !== pi.key);
  if (foreign.length > 0) {
    throw invalidArgument(
      `${prefix(pi.process_id)} one or more activate instructions with an ancestor scope key that does not belong to the modified process instance: '${foreign.join("', '")}'`,
    );
  }
  const wrong = selected
    .map((a) => ({ a, ancestor: it.ei(a.ancestorElementInstanceKey!)! }))
    .filter(({ a, ancestor }) => !isAncestorScope(model, ancestor.element_id, model.elements[a.elementId]!))
    .map(
      ({ a, ancestor }) =>
        `\n- instance '${ancestor.key}' of element '${ancestor.element_id}' is not an ancestor of element '${a.elementId}'`,
    );
  if (wrong.length > 0) {
    throw invalidArgument(
      `${prefix(pi.process_id)} one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate:${wrong.join('')}`,
    );
  }
}

function checkNoActivationInTerminatedScope(
  it: Interpreter,
  pi: ProcessInstanceRow,
  model: ProcessModel,
  req: Required<Omit<ModificationRequest, 'operationReference'>>,
): void {
  const conflicts: string[] = [];
  for (const key of new Set(req.terminateInstructions.map((t) => t.elementInstanceKey))) {
    const terminated = it.ei(key)!;
    for (const a of req.activateInstructions) {
      const el = model.elements[a.elementId]!;
      const ancestor = a.ancestorElementInstanceKey ?? -1;
      const conflict = ancestor > 0 ? ancestor === key : isAncestorScope(model, terminated.element_id, el);
      if (conflict)
        conflicts.push(
          `element '${a.elementId}' requires flow scope instance '${key}' which is being terminated`,
        );
    }
  }
  if (conflicts.length > 0) {
    throw invalidArgument(
      `${prefix(pi.process_id)} one or more activate instructions for elements whose required flow scope instance is also being terminated: ${conflicts.join(', ')}. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`,
    );
  }
}

/** Terminates the flow scopes the termination left empty, upwards, as Zeebe does (not the ones an activation needs). */
function terminateEmptyScopes(tx: Tx, it: Interpreter, key: number | null, required: Set<number>): void {
  let scope = key === null ? undefined : it.ei(key);
  while (
    scope &&
    isActive(scope) &&
    !required.has(scope.key) &&
    // children whose termination waits (canceling task listeners) end with their scope
    it.activeChildren(scope.key).every((c) => c.state === 'TERMINATING') &&
    !parseData(scope).joins
  ) {
    const pi = it.pi(scope.process_instance_key)!;
    if (scope.element_type === 'PROCESS' && pi.parent_process_instance_key !== null) {
      throw invalidArgument(
        `Expected to modify instance of process '${pi.process_id}' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`,
      );
    }
    const parent = scope.flow_scope_key;
    it.terminate(tx, scope);
    scope = parent === null ? undefined : it.ei(parent);
  }
}

export function modifyProcessInstance(
  tx: Tx,
  it: Interpreter,
  key: number,
  request: ModificationRequest,
): void {
  const pi = it.pi(key);
  // an instance whose termination is under way (canceling task listeners) is no longer modified
  if (pi?.state !== 'ACTIVE' || it.ei(key)?.state === 'TERMINATING') {
    throw notFound(`Expected to modify process instance but no process instance found with key '${key}'`);
  }
  const def: Definition = it.definition(pi.process_definition_key);
  const model = def.model;
  const req = {
    activateInstructions: request.activateInstructions ?? [],
    terminateInstructions: request.terminateInstructions ?? [],
  };
  checkElements(model, pi.process_id, req.activateInstructions);
  checkTerminations(
    it,
    pi,
    req.terminateInstructions.map((t) => t.elementInstanceKey),
  );
  checkVariableScopes(model, pi.process_id, req.activateInstructions);
  checkAncestors(it, pi, model, req.activateInstructions);
  checkNoActivationInTerminatedScope(it, pi, model, req);

  const required = new Set<number>();
  const activated = req.activateInstructions.map((a) => {
    const keys = activateElement(tx, it, pi, def, a);
    for (const k of keys.flowScopeKeys) required.add(k);
    return {
      ...a,
      ancestorScopeKeys: keys.flowScopeKeys.map(String),
      elementInstanceKey: String(keys.elementInstanceKey),
    };
  });
  for (const t of req.terminateInstructions) {
    const ei: ElementInstanceRow | undefined = it.ei(t.elementInstanceKey);
    // an earlier instruction may have terminated it already (with its scope)
    if (!ei || !isActive(ei)) continue;
    it.terminate(tx, ei);
    terminateEmptyScopes(tx, it, ei.flow_scope_key, required);
  }
  tx.record('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED', pi.key, pi.key, pi.process_id, {
    processInstanceKey: String(pi.key),
    ...(request.operationReference ? { operationReference: request.operationReference } : {}),
    activateInstructions: activated,
    terminateInstructions: req.terminateInstructions.map((t) => ({
      elementInstanceKey: String(t.elementInstanceKey),
    })),
  });
}

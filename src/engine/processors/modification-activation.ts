// Activating an element by modification (Zeebe's ElementActivationBehavior): find or create the instances of
// its flow scopes, from the process (or the selected ancestor) down, then create the element itself, whose
// activation runs as any other (jobs, user tasks, timers, subscriptions, incidents). A flow scope created this
// way is activated without its start event: it opens its boundary events' and event sub-processes'
// subscriptions and waits for the activated element. The variable instructions are set on the scope instances
// they name (empty scope: the process instance) and on the element's own instance before it activates.
import { invalidArgument } from '../errors.ts';
import type { ElementModel, ProcessModel } from '../model/types.ts';
import type { Definition, Interpreter } from '../runtime/interpreter.ts';
import { IncidentError, type Tx } from '../runtime/tx.ts';
import type { ElementInstanceRow, ProcessInstanceRow } from '../state/rows.ts';

export interface VariableInstruction {
  variables: Record<string, unknown>;
  /** The element in whose scope the variables are created; empty or absent: the process instance. */
  scopeId?: string;
}

export interface ActivateInstruction {
  elementId: string;
  /** An ancestor element instance to create the element in (absent or -1: the flow scope's only instance). */
  ancestorElementInstanceKey?: number;
  variableInstructions?: VariableInstruction[];
}

export function isActive(ei: ElementInstanceRow): boolean {
  return ei.state === 'ACTIVATING' || ei.state === 'ACTIVATED' || ei.state === 'COMPLETING';
}

/** Whether `scopeId` is a (direct or indirect) flow scope of the element. */
export function isAncestorScope(model: ProcessModel, scopeId: string, el: ElementModel): boolean {
  let scope = el.scope;
  while (scope !== null) {
    if (scope === scopeId) return true;
    scope = model.elements[scope]?.scope ?? null;
  }
  return false;
}

/** The element's flow scopes below the process, outermost first. */
function scopeChain(model: ProcessModel, el: ElementModel): ElementModel[] {
  const chain: ElementModel[] = [];
  let scope = el.scope === null ? undefined : model.elements[el.scope];
  while (scope && scope.type !== 'PROCESS') {
    chain.unshift(scope);
    scope = scope.scope === null ? undefined : model.elements[scope.scope];
  }
  return chain;
}

/** The active instances of a scope element in a flow scope instance (the inner instances of a multi-instance one). */
function instancesIn(it: Interpreter, scope: ElementInstanceRow, el: ElementModel): ElementInstanceRow[] {
  const found = it.activeChildren(scope.key).filter((c) => c.element_id === el.id);
  if (!el.loop) return found;
  return found.flatMap((body) => it.activeChildren(body.key).filter((c) => c.element_id === el.id));
}

function createScope(
  tx: Tx,
  it: Interpreter,
  parent: ElementInstanceRow,
  el: ElementModel,
  processId: string,
): ElementInstanceRow {
  if (el.loop) {
    throw invalidArgument(
      `Expected to modify instance of process '${processId}' but it contains one or more activate instructions that would result in the activation of multi-instance element '${el.id}', which is currently unsupported.`,
    );
  }
  const key = it.key();
  it.state.elementInstances.insert({
    key,
    processInstanceKey: parent.process_instance_key,
    definitionKey: parent.process_definition_key,
    elementId: el.id,
    type: el.type,
    flowScopeKey: parent.key,
    startDate: tx.now,
    data: null,
  });
  const ei = it.ei(key)!;
  const ctx = it.variables.context(key);
  try {
    if (el.type === 'SUB_PROCESS') it.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    it.subscriptions.openEventSubProcessSubscriptions(tx, ei, el, ctx);
  } catch (e) {
    // Zeebe rejects the modification when a flow scope's event subscription cannot be opened
    if (e instanceof IncidentError) throw invalidArgument(e.message);
    throw e;
  }
  it.transitions.activated(tx, ei);
  return ei;
}

function setVariables(
  tx: Tx,
  it: Interpreter,
  a: ActivateInstruction,
  elementId: string,
  ei: { key: number; process_instance_key: number },
  processId: string,
): void {
  for (const v of a.variableInstructions ?? []) {
    const scopeId = v.scopeId ?? '';
    if (scopeId !== elementId && !(scopeId === '' && elementId === processId)) continue;
    for (const [name, value] of Object.entries(v.variables))
      it.setLocal(tx, ei.key, ei.process_instance_key, name, value);
  }
}

export interface ActivatedKeys {
  elementInstanceKey: number;
  /** The flow scope instances the element needs (found or created), the process instance first. */
  flowScopeKeys: number[];
}

export function activateElement(
  tx: Tx,
  it: Interpreter,
  pi: ProcessInstanceRow,
  def: Definition,
  a: ActivateInstruction,
): ActivatedKeys {
  const model = def.model;
  const el = model.elements[a.elementId]!;
  const chain = scopeChain(model, el);
  const adHoc = chain.find((s) => s.type === 'AD_HOC_SUB_PROCESS');
  if (adHoc) {
    // the embedded engine's own refusal: an inner element runs in an inner instance the activation API creates
    throw invalidArgument(
      `Expected to modify instance of process '${def.processId}' but it contains one or more activate instructions for element '${el.id}' inside the ad-hoc sub-process '${adHoc.id}', which is not supported by the embedded engine; activate it with POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation`,
    );
  }
  const ancestorKey = a.ancestorElementInstanceKey ?? -1;
  const selected = ancestorKey > 0;
  let scope = it.ei(selected ? ancestorKey : pi.key)!;
  const flowScopeKeys: number[] = [];
  // the ancestor's own flow scopes are the element's too
  for (let s: ElementInstanceRow | undefined = scope; s; ) {
    flowScopeKeys.unshift(s.key);
    s = s.flow_scope_key === null ? undefined : it.ei(s.flow_scope_key);
  }
  setVariables(tx, it, a, scope.element_id, scope, def.processId);
  const start = scope.element_type === 'PROCESS' ? 0 : chain.findIndex((s) => s.id === scope.element_id) + 1;
  for (const s of chain.slice(start)) {
    // below a selected ancestor every scope instance is new (Zeebe does not reuse its descendants)
    const found = selected ? [] : instancesIn(it, scope, s);
    if (found.length > 1) {
      throw invalidArgument(
        `Expected to modify instance of process '${def.processId}' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${s.id}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`,
      );
    }
    scope = found[0] ?? createScope(tx, it, scope, s, def.processId);
    flowScopeKeys.push(scope.key);
    setVariables(tx, it, a, s.id, scope, def.processId);
  }
  const key = it.createElement(tx, scope, el.id);
  setVariables(tx, it, a, el.id, { key, process_instance_key: pi.key }, def.processId);
  return { elementInstanceKey: key, flowScopeKeys };
}

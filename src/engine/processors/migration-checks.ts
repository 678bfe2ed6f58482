// The preconditions of a process instance migration, worded as Zeebe's ProcessInstanceMigrationPreconditions
// words them: a bad instruction is INVALID_ARGUMENT (400), an instance that cannot be migrated INVALID_STATE (409).
import { invalidArgument, invalidState } from '../errors.ts';
import type { ElementModel } from '../model/types.ts';
import { parseData } from '../runtime/elementData.ts';
import type { Definition, Interpreter } from '../runtime/interpreter.ts';
import type { ElementInstanceRow } from '../state/rows.ts';

export interface MappingInstruction {
  sourceElementId: string;
  targetElementId: string;
}

const SUPPORTED = new Set([
  'SERVICE_TASK',
  'USER_TASK',
  'SUB_PROCESS',
  'CALL_ACTIVITY',
  'INTERMEDIATE_CATCH_EVENT',
  'RECEIVE_TASK',
  'EVENT_SUB_PROCESS',
]);
/** Tasks that wait for a job worker when they have one (Zeebe migrates their jobs as a service task's). */
const JOB_TASKS = new Set(['SEND_TASK', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK']);

export function concurrentCommand(key: number) {
  return invalidState(
    `Expected to migrate process instance '${key}' but a concurrent command was executed on the process instance. Please retry the migration.`,
  );
}

export function checkInstructions(
  key: number,
  source: Definition,
  target: Definition,
  instructions: MappingInstruction[],
): void {
  const counts = new Map<string, number>();
  for (const m of instructions) counts.set(m.sourceElementId, (counts.get(m.sourceElementId) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicates.length > 0) {
    throw invalidArgument(
      `Expected to migrate process instance '${key}' but the mapping instructions contain duplicate source element ids '[${duplicates.join(', ')}]'.`,
    );
  }
  for (const m of instructions) {
    if (!source.model.elements[m.sourceElementId]) {
      throw invalidArgument(
        `Expected to migrate process instance '${key}' but mapping instructions contain a non-existing source element id '${m.sourceElementId}'. Elements provided in mapping instructions must exist in the source process definition.`,
      );
    }
    if (!target.model.elements[m.targetElementId]) {
      throw invalidArgument(
        `Expected to migrate process instance '${key}' but mapping instructions contain a non-existing target element id '${m.targetElementId}'. Elements provided in mapping instructions must exist in the target process definition.`,
      );
    }
  }
}

export interface MigrationContext {
  key: number;
  source: Definition;
  target: Definition;
  mapping: Map<string, string>;
  /** The target element ids of the element instances checked so far (scopes come before their children). */
  targetIds: Map<number, string>;
}

function checkSupported(c: MigrationContext, ei: ElementInstanceRow, el: ElementModel): void {
  const supported =
    SUPPORTED.has(ei.element_type) || (JOB_TASKS.has(ei.element_type) && el.job !== undefined);
  if (!supported) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' has an unsupported type. The migration of a ${ei.element_type} is not supported.`,
    );
  }
  if (ei.element_type !== 'INTERMEDIATE_CATCH_EVENT') return;
  const kind = el.event?.kind ?? 'none';
  if (kind !== 'message' && kind !== 'timer') {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' is intermediate catch event of type '${kind.toUpperCase()}'. Migrating active intermediate catch event of this type is not possible yet.`,
    );
  }
  const model = c.source.model;
  if (el.incoming.some((f) => model.elements[model.flows[f]!.source]?.type === 'EVENT_BASED_GATEWAY')) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' is an intermediate catch event attached to an event-based gateway. Migrating active events attached to an event-based gateway is not possible yet.`,
    );
  }
}

function checkSameKind(
  c: MigrationContext,
  ei: ElementInstanceRow,
  el: ElementModel,
  targetEl: ElementModel,
) {
  if (ei.element_type !== targetEl.type) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' and type '${ei.element_type}' is mapped to an element with id '${targetEl.id}' and different type '${targetEl.type}'. Elements must be mapped to elements of the same type.`,
    );
  }
  if (ei.element_type === 'USER_TASK') {
    const impl = (e: ElementModel) => (e.userTask?.jobWorker ? 'job worker' : 'zeebe user task');
    if (impl(el) !== impl(targetEl)) {
      throw invalidState(
        `Expected to migrate process instance '${c.key}' but active user task with id '${ei.element_id}' and implementation '${impl(el)}' is mapped to an user task with id '${targetEl.id}' and different implementation '${impl(targetEl)}'. Elements must be mapped to elements of the same implementation.`,
      );
    }
  }
  if (ei.element_type === 'INTERMEDIATE_CATCH_EVENT' && el.event?.kind !== targetEl.event?.kind) {
    // the embedded engine's own wording: a timer's due date and a message's subscription do not convert
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active intermediate catch event with id '${ei.element_id}' of type '${el.event?.kind?.toUpperCase()}' is mapped to an intermediate catch event with id '${targetEl.id}' of different type '${targetEl.event?.kind?.toUpperCase()}'. Catch events must be mapped to catch events of the same type.`,
    );
  }
}

/** Boundary events whose catching the embedded engine can carry over: subscriptions (timer, message) or none. */
const MIGRATABLE_BOUNDARIES = new Set(['timer', 'message', 'error', 'escalation']);

function checkBoundaries(
  c: MigrationContext,
  ei: ElementInstanceRow,
  el: ElementModel,
  targetEl: ElementModel,
) {
  const refused = (def: Definition, e: ElementModel) => [
    ...new Set(
      (e.boundaries ?? [])
        .map((b) => def.model.elements[b]?.event?.kind ?? 'none')
        .filter((kind) => !MIGRATABLE_BOUNDARIES.has(kind))
        .map((kind) => kind.toUpperCase()),
    ),
  ];
  const source = refused(c.source, el);
  if (source.length > 0) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' has one or more boundary events of types '${source.join(',')}'. Migrating active elements with boundary events of these types is not possible yet.`,
    );
  }
  const target = refused(c.target, targetEl);
  if (target.length > 0) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but target element with id '${targetEl.id}' has one or more boundary events of types '${target.join(',')}'. Migrating target elements with boundary events of these types is not possible yet.`,
    );
  }
  for (const b of el.boundaries ?? []) {
    const mapped = c.mapping.get(b);
    if (mapped !== undefined && !(targetEl.boundaries ?? []).includes(mapped)) {
      throw invalidState(
        `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' is mapped to an element with id '${targetEl.id}' and has a boundary event with id '${b}' that is mapped to an element with id '${mapped}'. These mappings detach the boundary event from the element in the target process. Boundary events must stay attached to the same element instance.`,
      );
    }
  }
}

function checkFlowScope(
  c: MigrationContext,
  ei: ElementInstanceRow,
  scope: ElementInstanceRow,
  targetEl: ElementModel,
) {
  const expected = c.targetIds.get(scope.key);
  if (expected !== targetEl.scope) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but the flow scope of active element with id '${ei.element_id}' is changed. The flow scope of the active element is expected to be '${expected}' but was '${targetEl.scope}'. The flow scope of an element cannot be changed during migration yet.`,
    );
  }
}

/** A multi-instance body maps to a multi-instance element of the same kind (inner type, sequential or parallel). */
function checkBody(c: MigrationContext, ei: ElementInstanceRow, el: ElementModel, targetEl: ElementModel) {
  if (!targetEl.loop || el.type !== targetEl.type) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active element with id '${ei.element_id}' and type 'MULTI_INSTANCE_BODY' is mapped to an element with id '${targetEl.id}' and different type '${targetEl.loop ? 'MULTI_INSTANCE_BODY' : targetEl.type}'. Elements must be mapped to elements of the same type.`,
    );
  }
  if (el.loop!.sequential !== targetEl.loop.sequential) {
    // the embedded engine's own wording: the body's loop state is kept as it is
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but active multi-instance element with id '${ei.element_id}' is mapped to the multi-instance element with id '${targetEl.id}' that is ${targetEl.loop.sequential ? 'sequential' : 'parallel'}. Multi-instance elements must be mapped to ones with the same loop kind.`,
    );
  }
}

/** Checks one active element instance; returns the id of the element it migrates to. */
export function checkElement(it: Interpreter, c: MigrationContext, ei: ElementInstanceRow): string {
  // a step still queued for the element (not one stopped by an incident), tokens waiting at a join, or a
  // termination under way (a user task's canceling listeners, an incident on them too)
  const queued = (ei.state !== 'ACTIVATED' && ei.incident_key === null) || ei.state === 'TERMINATING';
  if (queued || parseData(ei).joins) throw concurrentCommand(c.key);
  if (ei.element_type === 'PROCESS') return c.target.processId;
  const el = c.source.model.elements[ei.element_id]!;
  const scope = it.ei(ei.flow_scope_key!)!;
  if (scope.element_type === 'MULTI_INSTANCE_BODY' && scope.element_id === ei.element_id) {
    // an inner instance goes where its body goes (checked before it: scopes come first)
    const bodyTarget = c.targetIds.get(scope.key)!;
    checkSupported(c, ei, el);
    checkSameKind(c, ei, el, c.target.model.elements[bodyTarget]!);
    return bodyTarget;
  }
  if (ei.element_type !== 'MULTI_INSTANCE_BODY') checkSupported(c, ei, el);
  const targetId = c.mapping.get(ei.element_id);
  if (targetId === undefined) {
    throw invalidState(
      `Expected to migrate process instance '${c.key}' but no mapping instruction defined for active element with id '${ei.element_id}'. Elements cannot be migrated without a mapping.`,
    );
  }
  const targetEl = c.target.model.elements[targetId]!;
  if (ei.element_type === 'MULTI_INSTANCE_BODY') checkBody(c, ei, el, targetEl);
  else checkSameKind(c, ei, el, targetEl);
  checkFlowScope(c, ei, scope, targetEl);
  checkBoundaries(c, ei, el, targetEl);
  return targetId;
}

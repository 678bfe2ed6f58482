// Compensation subscriptions in a process instance migration, as Zeebe 8.8 migrates them
// (ProcessInstanceMigrationCatchEventBehaviour#handleCompensationCatchEvents): a completed activity's subscription
// follows the mapping instruction of its compensation boundary event to the activity the target boundary event is
// attached to — and the sub-processes above it follow, level by level, to the target's —; every other
// subscription is deleted (the target version's are created as its activities complete).
// https://docs.camunda.io/docs/components/concepts/process-instance-migration/
import { invalidArgument, invalidState } from '../errors.ts';
import { compensationBoundary } from '../model/compensation.ts';
import { isActivity } from '../model/transform.ts';
import type { ElementModel } from '../model/types.ts';
import type { Definition, Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';

/** Source element id → target element id for the instance's compensation subscriptions (refuses as Zeebe does). */
export function compensationMappings(
  it: Interpreter,
  key: number,
  source: Definition,
  target: Definition,
  mapping: Map<string, string>,
): Map<string, string> {
  const result = new Map<string, string>();
  const src = source.model.elements;
  for (const sub of it.state.compensations.ofProcess(key)) {
    const activity = src[sub.activity_id];
    if (!activity || !isActivity(activity.type) || activity.type === 'SUB_PROCESS') continue;
    const boundary = (activity.boundaries ?? [])
      .map((id) => src[id]!)
      .find((b) => b.event?.kind === 'compensation' && mapping.has(b.id));
    if (!boundary) continue;
    const targetBoundaryId = mapping.get(boundary.id)!;
    const targetBoundary = target.model.elements[targetBoundaryId]!;
    const targetActivity = Object.values(target.model.elements).find((e) =>
      e.boundaries?.includes(targetBoundaryId),
    );
    if (targetBoundary.event?.kind !== 'compensation' || !targetActivity) {
      const type = targetBoundary.event?.kind?.toUpperCase() ?? 'UNSPECIFIED';
      throw invalidArgument(
        `Expected to migrate process instance with id '${source.processId}' but compensation boundary event '${boundary.id}' is mapped to a target boundary event '${targetBoundaryId}' that has event type '${type}' different than compensation boundary event type.`,
      );
    }
    mapScopes(source, target, activity, targetActivity, result);
  }
  return result;
}

/** The activity and its flow scopes up to the process, level by level; a changed depth is refused. */
function mapScopes(
  source: Definition,
  target: Definition,
  from: ElementModel,
  to: ElementModel,
  result: Map<string, string>,
): void {
  let a = from;
  let b = to;
  for (;;) {
    result.set(a.id, b.id);
    const aRoot = a.type === 'PROCESS';
    const bRoot = b.type === 'PROCESS';
    if (aRoot && bRoot) return;
    if (aRoot !== bRoot) {
      throw invalidState(
        `Expected to migrate process instance with id '${source.processId}' but the flow scope of compensation boundary event is changed. Flow scope '${a.id}' is not in the same level as '${b.id}'. The flow scope of a compensation boundary event cannot be changed during migration yet.`,
      );
    }
    a = source.model.elements[a.scope!]!;
    b = target.model.elements[b.scope!]!;
  }
}

/** Moves the mapped subscriptions to the target version and deletes the others. */
export function migrateCompensation(
  tx: Tx,
  it: Interpreter,
  key: number,
  target: Definition,
  mappings: Map<string, string>,
): void {
  const elements = target.model.elements;
  for (const sub of it.state.compensations.ofProcess(key)) {
    const targetId = mappings.get(sub.activity_id);
    if (targetId === undefined) {
      it.state.compensations.delete(sub.key);
      tx.record('COMPENSATION_SUBSCRIPTION', 'DELETED', sub.key, key, sub.activity_id, null);
      continue;
    }
    const boundary = compensationBoundary(elements[targetId]!, elements);
    const handlerId = boundary?.event?.compensationHandler ?? sub.handler_id;
    it.state.compensations.migrate(sub.key, target.key, targetId, handlerId);
    tx.record('COMPENSATION_SUBSCRIPTION', 'MIGRATED', sub.key, key, targetId, {
      processDefinitionKey: String(target.key),
      compensationHandlerId: handlerId ?? '',
    });
  }
}

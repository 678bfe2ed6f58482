// The true total of the inbox's user task searches without counting their rows (issue 17): "open tasks of these
// candidate groups", optionally in one business tenant, is a sum of the open-task counters (state/userTaskCounts.ts).
// Only that exact filter shape is answered here; any other filter is counted by its SQL (queries.ts).
import type { EngineState } from './state/index.ts';
import { PARTITION_VARIABLE } from './state/userTaskCounts.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `'x'`, `{ $eq: 'x' }` or `{ $in: [...] }` of strings: the groups, else undefined. */
function groupsOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!isObject(value)) return undefined;
  const ops = Object.keys(value);
  if (ops.length !== 1) return undefined;
  if (typeof value.$eq === 'string') return [value.$eq];
  if (Array.isArray(value.$in) && value.$in.every((g) => typeof g === 'string')) return value.$in as string[];
  return undefined;
}

/** `[{ name: PARTITION_VARIABLE, value: '"…"' }]` (equality on the JSON text): the value, else undefined. */
function partitionOf(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 1 || !isObject(value[0])) return undefined;
  const { name, value: v, ...rest } = value[0];
  if (name !== PARTITION_VARIABLE || Object.keys(rest).length > 0) return undefined;
  if (typeof v === 'string') return v;
  if (isObject(v) && Object.keys(v).length === 1 && typeof v.$eq === 'string') return v.$eq;
  return undefined;
}

/** The total of a user task search from the counters when its filter has their shape, else undefined. */
export function countedUserTaskTotal(state: EngineState, filter: unknown): number | undefined {
  if (!isObject(filter)) return undefined;
  const { state: taskState, candidateGroup, processInstanceVariables, ...rest } = filter;
  if (Object.values(rest).some((v) => v !== undefined)) return undefined;
  const open = taskState === 'CREATED' || (isObject(taskState) && groupsOf(taskState)?.join() === 'CREATED');
  const groups = groupsOf(candidateGroup);
  if (!open || !groups) return undefined;
  if (processInstanceVariables === undefined)
    return state.userTaskCounts.openTasksOfGroups(groups, undefined);
  const partition = partitionOf(processInstanceVariables);
  return partition === undefined ? undefined : state.userTaskCounts.openTasksOfGroups(groups, partition);
}

// The user task `state` filter of /v2/user-tasks/search as Camunda 8.8 answers it: while task listeners run, a task
// is in the lifecycle state of their event (CREATING, ASSIGNING, UPDATING, COMPLETING, CANCELING — the 8.8
// UserTaskStateEnum, https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/),
// and that is the state the search filters on and returns. The engine stores such a task as CREATED with the
// transition under way in its element instance's data (`tl`, runtime/behavior/task-listeners.ts); equality and
// `$in` stay on the indexed state column, other operators compare the effective state.
import { LIFECYCLE } from './runtime/behavior/task-listeners.ts';
import { scalarSql } from './search-sql.ts';
import type { UserTaskRow } from './state/rows.ts';

const EVENT_OF = Object.fromEntries(Object.entries(LIFECYCLE).map(([event, state]) => [state, event]));

/** The transition under way on the task, if any: its listener event ('creating', …) or NULL. */
const PENDING_EVENT = `(SELECT json_extract(e.data, '$.tl.event') FROM element_instances e
  WHERE e.key = user_tasks.element_instance_key AND json_extract(e.data, '$.tl.task') = user_tasks.key)`;

const EFFECTIVE = `(CASE WHEN user_tasks.state = 'CREATED' THEN COALESCE((CASE ${PENDING_EVENT} ${Object.entries(
  LIFECYCLE,
)
  .map(([event, state]) => `WHEN '${event}' THEN '${state}'`)
  .join(' ')} END), 'CREATED') ELSE user_tasks.state END)`;

function one(state: string, params: unknown[]): string {
  const event = EVENT_OF[state];
  if (event !== undefined) {
    params.push(event);
    return `(user_tasks.state = 'CREATED' AND ${PENDING_EVENT} = ?)`;
  }
  params.push(state);
  if (state === 'CREATED') return `(user_tasks.state = ? AND ${PENDING_EVENT} IS NULL)`;
  return 'user_tasks.state = ?';
}

export function userTaskStateSql(value: unknown, params: unknown[]): string {
  if (typeof value === 'string') return one(value, params);
  const ops = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  const keys = ops ? Object.keys(ops) : [];
  const states = Array.isArray(value)
    ? value
    : keys.length === 1 && ops && '$in' in ops && Array.isArray(ops.$in)
      ? (ops.$in as unknown[])
      : keys.length === 1 && ops && typeof (ops as { $eq?: unknown }).$eq === 'string'
        ? [(ops as { $eq: string }).$eq]
        : undefined;
  if (states?.every((s) => typeof s === 'string')) {
    if (states.length === 0) return '0';
    return `(${(states as string[]).map((s) => one(s, params)).join(' OR ')})`;
  }
  return scalarSql(EFFECTIVE, undefined, value, params);
}

/**
 * The event of the transition under way on each of these tasks that has one (task key → 'creating', …): one read of
 * their element instances for a search page, the same answer as TaskListenerBehavior.pending per task.
 */
export function pendingEvents(
  db: { q(sql: string): { all(...p: unknown[]): unknown[] } },
  tasks: readonly UserTaskRow[],
): Map<number, string> {
  const open = tasks.filter((t) => t.state === 'CREATED');
  if (open.length === 0) return new Map();
  const rows = db
    .q(
      `SELECT json_extract(data, '$.tl.task') AS task, json_extract(data, '$.tl.event') AS event FROM element_instances
        WHERE key IN (SELECT value FROM json_each(?)) AND json_extract(data, '$.tl.task') IS NOT NULL`,
    )
    .all(JSON.stringify(open.map((t) => t.element_instance_key))) as Array<{ task: number; event: string }>;
  return new Map(rows.map((r) => [Number(r.task), r.event]));
}

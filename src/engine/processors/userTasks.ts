// Camunda user task commands: assign, unassign, update, complete (with variables) — each a transition that the
// task listeners of its event may hold up, correct or deny (runtime/behavior/task-listeners.ts).
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import { LIFECYCLE } from '../runtime/behavior/task-listeners.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { UserTaskRow } from '../state/rows.ts';

function openTask(it: Interpreter, key: number, action: string): UserTaskRow {
  const task = it.state.userTasks.get(key);
  if (!task)
    throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
  // while its listeners run, the task is in the lifecycle state of their event (CREATING, ASSIGNING, ...)
  const pending = task.state === 'CREATED' ? it.taskListeners.pending(task) : undefined;
  const state = pending ? LIFECYCLE[pending.event] : task.state;
  if (state !== 'CREATED') {
    throw invalidState(`Expected to ${action} user task with key '${key}', but it is in state '${state}'`);
  }
  return task;
}

/** Completes a task, once its completing listeners are done (https://docs.camunda.io/docs/components/concepts/user-task-listeners/). */
export function completeUserTask(
  tx: Tx,
  it: Interpreter,
  key: number,
  variables: Record<string, unknown> = {},
  action = 'complete',
): void {
  const task = openTask(it, key, 'complete');
  it.taskListeners.run(tx, task, {
    event: 'completing',
    action,
    fields: it.taskListeners.fields(task),
    changed: [],
    variables,
    record: { action, variables: Object.keys(variables) },
  });
}

export function assignUserTask(
  tx: Tx,
  it: Interpreter,
  key: number,
  assignee: string,
  allowOverride = true,
  action = 'assign',
): void {
  if (!assignee) throw invalidArgument('Expected an assignee, but it was empty');
  const task = openTask(it, key, 'assign');
  if (!allowOverride && task.assignee && task.assignee !== assignee) {
    throw invalidState(
      `Expected to assign user task with key '${key}', but it is already assigned to '${task.assignee}'`,
    );
  }
  const fields = { ...it.taskListeners.fields(task), assignee };
  const record = { assignee, action };
  it.taskListeners.run(tx, task, { event: 'assigning', action, fields, changed: ['assignee'], record });
}

/** Zeebe unassigns as an assignment to no one: the assigning listeners run. */
export function unassignUserTask(tx: Tx, it: Interpreter, key: number): void {
  const task = openTask(it, key, 'unassign');
  const fields = { ...it.taskListeners.fields(task), assignee: null };
  const record = { assignee: null, action: 'unassign' };
  it.taskListeners.run(tx, task, {
    event: 'assigning',
    action: 'unassign',
    fields,
    changed: ['assignee'],
    record,
  });
}

export interface UserTaskChangeset {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

function parseDate(value: string | null | undefined, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw invalidArgument(`Expected ${field} to be an ISO 8601 date-time, but was '${value}'`);
  return ms;
}

/** Updates a task (an update with an action only, too: Zeebe runs the updating listeners for it as well). */
export function updateUserTask(
  tx: Tx,
  it: Interpreter,
  key: number,
  changes: UserTaskChangeset,
  action?: string,
): void {
  const task = openTask(it, key, 'update');
  const fields = it.taskListeners.fields(task);
  const changed: string[] = [];
  const iso = (value: string | null | undefined, field: string) => {
    const ms = parseDate(value, field);
    return ms === null ? null : new Date(ms).toISOString();
  };
  if (changes.dueDate !== undefined) fields.dueDate = iso(changes.dueDate, 'dueDate');
  if (changes.followUpDate !== undefined) fields.followUpDate = iso(changes.followUpDate, 'followUpDate');
  if (changes.candidateGroups !== undefined) fields.candidateGroups = changes.candidateGroups;
  if (changes.candidateUsers !== undefined) fields.candidateUsers = changes.candidateUsers;
  if (changes.priority !== undefined) {
    if (!Number.isInteger(changes.priority) || changes.priority < 0 || changes.priority > 100) {
      throw invalidArgument(
        `Expected priority to be an integer between 0 and 100, but was ${changes.priority}`,
      );
    }
    fields.priority = changes.priority;
  }
  for (const name of Object.keys(changes))
    if (changes[name as keyof UserTaskChangeset] !== undefined) changed.push(name);
  if (changed.length === 0 && action === undefined) return;
  const record = { ...changes, ...(action !== undefined ? { action } : {}) };
  it.taskListeners.run(tx, task, { event: 'updating', action: action ?? 'update', fields, changed, record });
}

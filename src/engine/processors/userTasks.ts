// Camunda user task commands: assign, unassign, update, complete (with variables).
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { UserTaskRow } from '../state/rows.ts';

function openTask(it: Interpreter, key: number, action: string): UserTaskRow {
  const task = it.state.userTasks.get(key);
  if (!task)
    throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
  if (task.state !== 'CREATED') {
    throw invalidState(
      `Expected to ${action} user task with key '${key}', but it is in state '${task.state}'`,
    );
  }
  return task;
}

export function completeUserTask(
  tx: Tx,
  it: Interpreter,
  key: number,
  variables: Record<string, unknown> = {},
  action = 'complete',
): void {
  const task = openTask(it, key, 'complete');
  it.state.userTasks.complete(key, tx.now);
  tx.record('USER_TASK', 'COMPLETED', key, task.process_instance_key, task.element_id, {
    action,
    variables: Object.keys(variables),
  });
  const ei = it.ei(task.element_instance_key);
  if (ei?.state !== 'ACTIVATED') return;
  it.applyCompletionVariables(tx, ei, variables);
  tx.follow('COMPLETE', ei.key);
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
  it.state.userTasks.setAssignee(key, assignee);
  tx.record('USER_TASK', 'ASSIGNED', key, task.process_instance_key, task.element_id, { assignee, action });
}

export function unassignUserTask(tx: Tx, it: Interpreter, key: number): void {
  const task = openTask(it, key, 'unassign');
  it.state.userTasks.setAssignee(key, null);
  tx.record('USER_TASK', 'ASSIGNED', key, task.process_instance_key, task.element_id, {
    assignee: null,
    action: 'unassign',
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

export function updateUserTask(tx: Tx, it: Interpreter, key: number, changes: UserTaskChangeset): void {
  const task = openTask(it, key, 'update');
  const sets: string[] = [];
  const values: unknown[] = [];
  if (changes.dueDate !== undefined) {
    sets.push('due_date');
    values.push(parseDate(changes.dueDate, 'dueDate'));
  }
  if (changes.followUpDate !== undefined) {
    sets.push('follow_up_date');
    values.push(parseDate(changes.followUpDate, 'followUpDate'));
  }
  if (changes.candidateGroups !== undefined) {
    sets.push('candidate_groups');
    values.push(JSON.stringify(changes.candidateGroups));
  }
  if (changes.candidateUsers !== undefined) {
    sets.push('candidate_users');
    values.push(JSON.stringify(changes.candidateUsers));
  }
  if (changes.priority !== undefined) {
    if (!Number.isInteger(changes.priority) || changes.priority < 0 || changes.priority > 100) {
      throw invalidArgument(
        `Expected priority to be an integer between 0 and 100, but was ${changes.priority}`,
      );
    }
    sets.push('priority');
    values.push(changes.priority);
  }
  if (sets.length === 0) return;
  it.state.userTasks.update(key, sets, values);
  tx.record('USER_TASK', 'UPDATED', key, task.process_instance_key, task.element_id, { ...changes });
}

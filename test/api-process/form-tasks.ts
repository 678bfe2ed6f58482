// A role's task list as the task page uses it, for the journeys that walk sign-offs through /api: the inbox of the
// role's groups, opening a task (its form and variables, as GET /api/tasks/{key} gives them) and completing it with
// form-js's own submission of that form filled with the test's choices. Tasks once completed are not offered again.
import { expect } from 'vitest';
import { fill } from '../forms/fill.ts';
import type { FormJs } from '../forms/form-js.ts';
import { type Stack, until } from './stack.ts';

type Data = Record<string, unknown>;
export interface TaskDetail {
  form: { formId: string; schema: Data };
  variables: Data;
}
export type OpenTask = { key: string } & TaskDetail;

/**
 * `env` gives the stack and form-js once the suite started them; `tokens` holds each account's session by name;
 * `match` narrows the inbox to the suite's own tasks (e.g. its project).
 */
export function formTasks(
  env: () => { s: Stack; formJs: FormJs },
  tokens: Record<string, string>,
  match: (item: Data) => boolean = () => true,
) {
  const done = new Set<string>();
  const inbox = async (who: string) => {
    const res = await env().s.api(tokens[who]!, 'GET', '/api/tasks?scope=groups');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Data[];
  };
  const fresh = (elementId: string) => (i: Data) =>
    i.elementId === elementId && match(i) && !done.has(String(i.userTaskKey));
  const openTask = async (who: string, elementId: string): Promise<OpenTask> => {
    const items = await until(
      () => inbox(who),
      (x) => x.some(fresh(elementId)),
    );
    const key = String(items.find(fresh(elementId))!.userTaskKey);
    const detail = await env().s.api(tokens[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as TaskDetail) };
  };
  /** `who` completes the task with form-js's submission of the form filled with `choices`; returns what was sent. */
  const complete = async (who: string, task: OpenTask, choices: Data = {}) => {
    const { s, formJs } = env();
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(tokens[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${task.form.formId} as ${who}: ${res.body}`).toBe(200);
    done.add(task.key);
    return submitted.data;
  };
  return { inbox, openTask, complete, done };
}

// User tasks: a Camunda user task (zeebe:userTask) in the task list, with assignee, candidates, dates and
// form (its bindingType resolved: latest, deployment, versionTag); without zeebe:userTask, Zeebe's job-worker user task: a job of type io.camunda.zeebe:userTask whose
// custom headers carry the evaluated assignment, dates and form key
// (https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation).
import type { ElementModel } from '../../../model/types.ts';
import { evalString } from '../../behavior/expressions.ts';
import type { JobSpec, UserTaskSpec } from '../../behavior/jobs.ts';
import { boundFormKey } from '../container/binding.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const userTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const ctx = b.variables.context(ei.key);
    const spec = b.jobs.evaluateUserTask(el, ctx);
    const ut = el.userTask;
    if (ut?.formBinding && spec.formKey !== null) {
      const formId = evalString(ut.formId!, ctx);
      spec.formKey = boundFormKey(b.rt, ei.process_definition_key, formId, ut.formBinding);
    }
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    const def = b.rt.definition(ei.process_definition_key);
    if (el.userTask?.jobWorker) {
      b.jobs.createJob(tx, ei, def, userTaskJob(el, spec));
      b.transitions.activated(tx, ei);
      return;
    }
    // with task listeners, the model's assignee is assigned once the task is created, through the assigning
    // listeners (https://docs.camunda.io/docs/components/concepts/user-task-listeners/)
    const assignee = el.taskListeners ? spec.assignee : null;
    if (el.taskListeners) spec.assignee = null;
    const taskKey = b.jobs.createUserTask(tx, ei, el, def, spec);
    b.transitions.activated(tx, ei);
    if (el.taskListeners) b.taskListeners.afterCreate(tx, taskKey, assignee);
  },
});

/** Zeebe's job for a job-worker user task: the task's headers plus io.camunda.zeebe:* assignment headers. */
function userTaskJob(el: ElementModel, t: UserTaskSpec): JobSpec {
  const headers: Record<string, string> = { ...(el.job?.headers ?? {}) };
  const set = (name: string, value: string | null) => {
    if (value !== null) headers[`io.camunda.zeebe:${name}`] = value;
  };
  set('assignee', t.assignee);
  set('candidateGroups', t.groups.length ? JSON.stringify(t.groups) : null);
  set('candidateUsers', t.users.length ? JSON.stringify(t.users) : null);
  set('dueDate', t.dueDate === null ? null : new Date(t.dueDate).toISOString());
  set('followUpDate', t.followUpDate === null ? null : new Date(t.followUpDate).toISOString());
  set('formKey', t.formKey === null ? (el.userTask?.formKey ?? null) : String(t.formKey));
  return { type: 'io.camunda.zeebe:userTask', retries: 1, headers: JSON.stringify(headers) };
}

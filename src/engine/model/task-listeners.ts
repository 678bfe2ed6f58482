// User task listeners (zeebe:taskListeners on a Camunda user task), as Zeebe 8.8 reads them:
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — eventType creating, assigning, updating,
// completing or canceling (the names before 8.8, create / assignment / update / complete / cancel, are read as
// those), a job type and retries (default 3); several listeners of one event run in model order.
// The engine runs all five; canceling listeners hold up the termination of the element
// (src/engine/runtime/behavior/task-listeners.ts, transitions.ts).
import type { ModdleElement } from '../../modeling/moddle.ts';
import { ext, ModelError } from './common.ts';
import type { ListenerSite } from './listeners.ts';
import type { ElementModel, TaskListenerEvent, TaskListenersDef } from './types.ts';

const EVENTS: Record<string, TaskListenerEvent> = {
  creating: 'creating',
  create: 'creating',
  assigning: 'assigning',
  assignment: 'assigning',
  updating: 'updating',
  update: 'updating',
  completing: 'completing',
  complete: 'completing',
  canceling: 'canceling',
  cancel: 'canceling',
};

/** The task listeners of a user task `fe` (already transformed into `el`), or undefined when it has none. */
export function taskListenersOf(
  site: ListenerSite,
  fe: ModdleElement,
  el: ElementModel,
): TaskListenersDef | undefined {
  const declared: ModdleElement[] = ext(fe, 'zeebe:TaskListeners')?.listeners ?? [];
  if (declared.length === 0) return undefined;
  if (el.type !== 'USER_TASK' || el.userTask?.jobWorker) {
    throw new ModelError(
      `${site.where}: task listeners (zeebe:taskListeners) are only supported on a Camunda user task (zeebe:userTask)`,
    );
  }
  const errors: string[] = [];
  const result: TaskListenersDef = {};
  for (const l of declared) {
    const raw: string = typeof l.eventType === 'string' ? l.eventType.trim() : '';
    const type: string = typeof l.type === 'string' ? l.type.trim() : '';
    const eventType = EVENTS[raw];
    // Zeebe's ZeebeTaskListenersValidationTest and TaskListenerValidator messages
    if (!raw) errors.push("Attribute 'eventType' must be present and not empty");
    else if (!eventType) {
      errors.push(
        `Task listener event type '${raw}' is not supported. Currently, only 'creating', 'assigning', 'updating', 'completing', 'canceling' event types and 'create', 'assignment', 'update', 'complete', 'cancel' deprecated event types are supported.`,
      );
    }
    if (!eventType) continue;
    if (!type) {
      errors.push("Attribute 'type' must be present and not empty");
      continue;
    }
    const retries = typeof l.retries === 'string' && l.retries.trim() !== '' ? l.retries.trim() : '3';
    site.expr(`${eventType} task listener type`, type);
    site.expr(`${eventType} task listener retries`, retries);
    result[eventType] ??= [];
    result[eventType].push({ type, retries, headers: { ...(el.job?.headers ?? {}) } });
  }
  if (errors.length > 0) throw new ModelError(errors.map((e) => `${site.where}: ${e}`).join('\n'));
  return result;
}

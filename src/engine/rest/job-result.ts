// The `result` of POST /v2/jobs/{jobKey}/completion (Camunda 8.8's JobResult): a user task listener's verdict,
// { type: 'userTask', denied, deniedReason, corrections }. The corrections JobResultCorrections names: assignee,
// dueDate, followUpDate (an empty string clears them), candidateUsers, candidateGroups (an empty list clears
// them), priority (0 to 100); a null or absent one keeps its value, any other attribute is ignored.
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — or, of type 'adHocSubProcess', the
// decision of an ad-hoc sub-process's job worker: { activateElements: [{ elementId, variables }],
// isCompletionConditionFulfilled, isCancelRemainingInstances } (both false by default, as Camunda's JobResult).
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#job-worker-implementation

import type { TaskListenerResult } from '../processors/jobs.ts';
import type { AdHocJobResult } from '../runtime/behavior/task-listeners.ts';
import type { Body, Violations } from './validate.ts';

export function jobResult(v: Violations, body: Body): TaskListenerResult | undefined {
  const raw = body.result;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    v.add('The value for result must be a JSON object');
    return undefined;
  }
  const r = raw as Body;
  const type = r.type ?? 'userTask';
  if (type === 'adHocSubProcess') return { adHocSubProcess: adHocResult(v, r) };
  if (type !== 'userTask') {
    v.add(`The value for result.type is '${String(type)}' but must be one of [userTask, adHocSubProcess]`);
    return undefined;
  }
  const result: TaskListenerResult = {};
  const denied = v.boolean(r, 'denied');
  if (denied !== undefined) result.denied = denied;
  const deniedReason = v.optionalString(r, 'deniedReason');
  if (deniedReason !== undefined) result.deniedReason = deniedReason;
  const corrections = correctionsOf(v, r.corrections);
  if (corrections) result.corrections = corrections;
  return result;
}

function correctionsOf(v: Violations, raw: unknown): TaskListenerResult['corrections'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    v.add('The value for result.corrections must be a JSON object');
    return undefined;
  }
  const c = raw as Body;
  const out: NonNullable<TaskListenerResult['corrections']> = {};
  const assignee = v.optionalString(c, 'assignee');
  if (assignee !== undefined) out.assignee = assignee === '' ? null : assignee;
  for (const f of ['dueDate', 'followUpDate'] as const) {
    const d = v.optionalString(c, f);
    if (d === undefined) continue;
    if (d === '') out[f] = null;
    else if (Number.isNaN(Date.parse(d)))
      v.add(`The provided ${f} '${d}' cannot be parsed as a date according to RFC 3339, section 5.6`);
    else out[f] = new Date(Date.parse(d)).toISOString();
  }
  const users = v.stringArray(c, 'candidateUsers');
  if (users) out.candidateUsers = users;
  const groups = v.stringArray(c, 'candidateGroups');
  if (groups) out.candidateGroups = groups;
  const priority = v.integer(c, 'priority', { min: 0, minText: 'between 0 and 100' });
  if (priority !== undefined && priority > 100)
    v.add(`The value for priority is '${priority}' but must be between 0 and 100`);
  else if (priority !== undefined) out.priority = priority;
  return out;
}

function adHocResult(v: Violations, r: Body): AdHocJobResult {
  const activateElements: AdHocJobResult['activateElements'] = [];
  const raw = r.activateElements;
  if (raw !== undefined && raw !== null && !Array.isArray(raw))
    v.add('The value for result.activateElements must be an array');
  for (const [i, e] of (Array.isArray(raw) ? raw : []).entries()) {
    const item = (e ?? {}) as Body;
    if (typeof item.elementId !== 'string' || item.elementId === '')
      v.add(`result.activateElements[${i}].elementId must be a non-empty string`);
    const vars = item.variables;
    if (vars !== undefined && vars !== null && (typeof vars !== 'object' || Array.isArray(vars)))
      v.add(`result.activateElements[${i}].variables must be a JSON object`);
    activateElements.push({
      elementId: String(item.elementId),
      ...(vars ? { variables: vars as Record<string, unknown> } : {}),
    });
  }
  return {
    activateElements,
    isCompletionConditionFulfilled: v.boolean(r, 'isCompletionConditionFulfilled') ?? false,
    isCancelRemainingInstances: v.boolean(r, 'isCancelRemainingInstances') ?? false,
  };
}

// Zeebe's BpmnJobBehavior (and the user task side of it): the work item an element waits for,
// created when it activates and cancelled when it is terminated.
import { evaluateNumber, evaluateStringList, isExpression } from '../../feel/index.ts';
import type { ElementModel, UserTaskDef } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { type Definition, type Runtime, TENANT } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';
import { evalAny, evalString, optionalDate } from './expressions.ts';

type Context = Record<string, unknown>;

export interface JobSpec {
  type: string;
  retries: number;
  headers: string;
  /** BPMN_ELEMENT (default), EXECUTION_LISTENER or TASK_LISTENER. */
  kind?: string;
  /** A listener's event: START or END, or a task listener's (CREATING, ASSIGNING, UPDATING, COMPLETING). */
  listenerEventType?: string;
}

export interface UserTaskSpec {
  assignee: string | null;
  groups: string[];
  users: string[];
  dueDate: number | null;
  followUpDate: number | null;
  priority: number;
  formKey: number | null;
  externalReference: string | null;
}

export class JobBehavior {
  /** Called for each user task that is canceled with its element (the task listeners' waiting requests). */
  onTaskCanceled: (tx: Tx, userTaskKey: number) => void = () => {};

  constructor(private readonly rt: Runtime) {}

  /** Evaluates the job's type and retries (before anything of the element is written). */
  evaluateJob(el: ElementModel, ctx: Context): JobSpec {
    const job = el.job!;
    const type = evalString(job.type, ctx);
    const retries = isExpression(job.retries) ? evaluateNumber(job.retries, ctx) : Number(job.retries);
    if (!Number.isFinite(retries)) {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Expected job retries of '${el.id}' to be a number, but was '${job.retries}'`,
      );
    }
    return { type, retries, headers: JSON.stringify(job.headers) };
  }

  createJob(tx: Tx, ei: ElementInstanceRow, def: Definition, spec: JobSpec): number {
    const { type, retries, headers } = spec;
    const key = this.rt.key();
    this.rt.state.jobs.insert({
      key,
      type,
      retries: Math.trunc(retries),
      now: tx.now,
      customHeaders: headers,
      processInstanceKey: ei.process_instance_key,
      elementInstanceKey: ei.key,
      elementId: ei.element_id,
      definitionKey: def.key,
      processId: def.processId,
      version: def.version,
      tenantId: TENANT,
      kind: spec.kind ?? 'BPMN_ELEMENT',
      listenerEventType: spec.listenerEventType ?? 'UNSPECIFIED',
    });
    tx.jobTypes.add(type);
    tx.record('JOB', 'CREATED', key, ei.process_instance_key, ei.element_id, {
      type,
      retries,
      elementInstanceKey: ei.key,
      ...(spec.kind ? { jobKind: spec.kind, listenerEventType: spec.listenerEventType } : {}),
    });
    return key;
  }

  /** Evaluates the user task's attributes (before anything of the element is written). */
  evaluateUserTask(el: ElementModel, ctx: Context): UserTaskSpec {
    const ut = el.userTask ?? {};
    const assignee = ut.assignee ? evalAssignee(ut.assignee, ctx) : null;
    const groups = ut.candidateGroups ? evaluateStringList(ut.candidateGroups, ctx) : [];
    const users = ut.candidateUsers ? evaluateStringList(ut.candidateUsers, ctx) : [];
    const dueDate = ut.dueDate ? optionalDate(ut.dueDate, ctx, 'due date') : null;
    const followUpDate = ut.followUpDate ? optionalDate(ut.followUpDate, ctx, 'follow-up date') : null;
    const priority = ut.priority ? evalPriority(ut.priority, el.id, ctx) : 50;
    const formKey = ut.formId ? this.formKey(ut, ctx) : null;
    const externalReference = ut.externalReference
      ? evalString(ut.externalReference, ctx)
      : (ut.formKey ?? null);
    return { assignee, groups, users, dueDate, followUpDate, priority, formKey, externalReference };
  }

  private formKey(ut: UserTaskDef, ctx: Context): number {
    const formId = evalString(ut.formId!, ctx);
    const formKey = this.rt.formKeyOf(formId);
    if (formKey === null) {
      throw new IncidentError(
        'FORM_NOT_FOUND',
        `Expected to find a form with id '${formId}', but no form with this id is found.`,
      );
    }
    return formKey;
  }

  createUserTask(tx: Tx, ei: ElementInstanceRow, el: ElementModel, def: Definition, t: UserTaskSpec): number {
    const key = this.rt.key();
    this.rt.state.userTasks.insert({
      key,
      elementInstanceKey: ei.key,
      processInstanceKey: ei.process_instance_key,
      definitionKey: def.key,
      processId: def.processId,
      version: def.version,
      elementId: el.id,
      name: el.name ?? null,
      assignee: t.assignee,
      candidateGroups: JSON.stringify(t.groups),
      candidateUsers: JSON.stringify(t.users),
      dueDate: t.dueDate,
      followUpDate: t.followUpDate,
      formKey: t.formKey,
      externalReference: t.externalReference,
      priority: t.priority,
      customHeaders: JSON.stringify(el.job?.headers ?? {}),
      creationDate: tx.now,
      tenantId: TENANT,
    });
    tx.record('USER_TASK', 'CREATED', key, ei.process_instance_key, el.id, {
      assignee: t.assignee,
      candidateGroups: t.groups,
      candidateUsers: t.users,
      elementInstanceKey: ei.key,
    });
    if (t.assignee)
      tx.record('USER_TASK', 'ASSIGNED', key, ei.process_instance_key, el.id, { assignee: t.assignee });
    return key;
  }

  /** Cancels the open jobs of an element instance (its user task, if any, stays open). */
  cancelJobsOf(tx: Tx, ei: ElementInstanceRow): void {
    const { jobs } = this.rt.state;
    for (const j of jobs.openForElement(ei.key)) {
      jobs.cancel(j.key, tx.now);
      tx.record('JOB', 'CANCELED', j.key, ei.process_instance_key, ei.element_id, null);
    }
  }

  /** Cancels the open jobs and user tasks of an element instance that is terminated. */
  cancelWorkOf(tx: Tx, ei: ElementInstanceRow): void {
    this.cancelJobsOf(tx, ei);
    const { userTasks } = this.rt.state;
    for (const t of userTasks.openForElement(ei.key)) {
      userTasks.cancel(t.key, tx.now);
      tx.record('USER_TASK', 'CANCELED', t.key, ei.process_instance_key, ei.element_id, null);
      this.onTaskCanceled(tx, t.key);
    }
  }
}

function evalAssignee(expression: string, ctx: Context): string | null {
  const v = evalAny(expression, ctx);
  if (v !== null && typeof v !== 'string') {
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Expected result of the expression '${expression.slice(1)}' to be 'STRING', but was '${typeof v}'.`,
    );
  }
  return v === '' ? null : (v as string | null);
}

function evalPriority(expression: string, elementId: string, ctx: Context): number {
  const priority = isExpression(expression) ? evaluateNumber(expression, ctx) : Number(expression);
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Expected priority of user task '${elementId}' to be an integer between 0 and 100, but was '${priority}'`,
    );
  }
  return priority;
}

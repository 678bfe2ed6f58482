// User task listeners, as Zeebe 8.8 runs them (its UserTaskProcessor, JobCompleteProcessor and BpmnJobBehavior
// with JobKind TASK_LISTENER): https://docs.camunda.io/docs/components/concepts/user-task-listeners/
// - a transition of a user task (its creation, an assignment or unassignment, an update, its completion, its
//   cancelation when its element is terminated) waits while the listeners of its event run, one job at a time in
//   model order; the task stays CREATED meanwhile and other commands on it are rejected; a canceling transition
//   holds up the termination of the element (TERMINATING, see canceling() and transitions.resumeTermination);
// - each job sees the element's variables and the task as it will be (the command's changes and the earlier
//   listeners' corrections) in its io.camunda.zeebe:* headers, the REST job's `userTask`;
// - a job completed with corrections changes the task once the transition ends; a job completed as denied
//   (assigning, updating, completing) ends the transition without changing the task: the command that started
//   it is rejected (INVALID_STATE: 409) with Zeebe's "... was denied by Task Listener" message;
// - the transition is kept in the user task element's data (ElementData.tl), so a restart goes on where it
//   stopped; a job that fails with no retries is a TASK_LISTENER_NO_RETRIES incident whose resolution makes that
//   job activatable again; a listener whose type or retries fail to evaluate is an incident on the element, its
//   resolution creates the job again.
import { invalidArgument, invalidState } from '../../errors.ts';
import { evaluateNumber, isExpression } from '../../feel/index.ts';
import type { ListenerDef, TaskListenerEvent } from '../../model/types.ts';
import type { ElementInstanceRow, JobRow, UserTaskRow } from '../../state/rows.ts';
import { parseData, type TaskFields, type TaskTransition } from '../elementData.ts';
import type { Runtime } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';
import { evalString } from './expressions.ts';
import type { IncidentBehavior } from './incidents.ts';
import type { JobBehavior } from './jobs.ts';
import type { StateTransitionBehavior } from './transitions.ts';
import type { VariableBehavior } from './variables.ts';

export const TASK_LISTENER_JOB_KIND = 'TASK_LISTENER';
export const TASK_LISTENER_INCIDENT = 'TASK_LISTENER_NO_RETRIES';

/** What a task listener's job may be completed with (Camunda 8.8's JobResultUserTask). */
export interface TaskListenerResult {
  denied?: boolean;
  deniedReason?: string;
  /** The corrected properties only: an absent one keeps its value, a null assignee or date clears it. */
  corrections?: Partial<TaskFields>;
  /** A result of type adHocSubProcess (Camunda 8.8's JobResultAdHocSubProcess), for an ad-hoc sub-process's job. */
  adHocSubProcess?: AdHocJobResult;
}

export interface AdHocJobResult {
  activateElements: Array<{ elementId: string; variables?: Record<string, unknown> }>;
  isCompletionConditionFulfilled: boolean;
  isCancelRemainingInstances: boolean;
}

/** A transition to run: what the command (or the creation) asks for. */
export type TransitionRequest = Omit<TaskTransition, 'next' | 'job' | 'task'> & {
  /** The value of the USER_TASK record written when the transition ends. */
  record?: Record<string, unknown>;
};

/** The lifecycle state Camunda 8.8 gives a task while the listeners of an event run. */
export const LIFECYCLE: Record<TaskListenerEvent, string> = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
  canceling: 'CANCELING',
};

const DENIAL: Partial<Record<TaskListenerEvent, [intent: string, what: string]>> = {
  assigning: ['ASSIGNMENT_DENIED', 'Assignment'],
  updating: ['UPDATE_DENIED', 'Update'],
  completing: ['COMPLETION_DENIED', 'Completion'],
};

const FINAL_INTENT: Record<TaskListenerEvent, string> = {
  creating: 'CORRECTED',
  assigning: 'ASSIGNED',
  updating: 'UPDATED',
  completing: 'COMPLETED',
  canceling: 'CANCELED',
};

type Settle = (error: Error | null) => void;

export class TaskListenerBehavior {
  /** Requests (REST) waiting for the transition of a task to end, by user task key. */
  private readonly waits = new Map<number, Settle[]>();

  constructor(
    private readonly rt: Runtime,
    private readonly variables: VariableBehavior,
    private readonly jobs: JobBehavior,
    private readonly transitions: StateTransitionBehavior,
    private readonly incidents: IncidentBehavior,
  ) {}

  /** The transition of `task` that its listeners hold up, if any. */
  pending(task: UserTaskRow): TaskTransition | undefined {
    const ei = this.rt.ei(task.element_instance_key);
    const tl = ei ? parseData(ei).tl : undefined;
    return tl?.task === task.key ? tl : undefined;
  }

  /**
   * After the user task was inserted (without its assignee when the element has task listeners): its creating
   * listeners, then the assignment of the model's assignee (through the assigning listeners), as Zeebe does.
   */
  afterCreate(tx: Tx, taskKey: number, assignee: string | null): void {
    const task = this.rt.state.userTasks.get(taskKey)!;
    const fields = fieldsOf(task);
    if (this.begin(tx, task, { event: 'creating', action: '', fields, changed: [], assignAfter: assignee }))
      return;
    if (assignee) this.assignCreated(tx, task, assignee);
  }

  /** Runs a transition: through the element's listeners of its event if it has any, else at once. */
  run(tx: Tx, task: UserTaskRow, t: TransitionRequest): void {
    if (this.begin(tx, task, t)) return;
    const ei = this.rt.ei(task.element_instance_key);
    if (ei) this.finish(tx, ei, task, { ...t, task: task.key, next: 0 });
  }

  /** The task's fields as they are now. */
  fields(task: UserTaskRow): TaskFields {
    return fieldsOf(task);
  }

  private begin(tx: Tx, task: UserTaskRow, t: TransitionRequest): boolean {
    const ei = this.rt.ei(task.element_instance_key);
    if (!ei || this.listenersOf(ei, t.event).length === 0) return false;
    const data = parseData(ei);
    data.tl = { ...t, task: task.key, next: 0 };
    this.transitions.setData(ei, data);
    this.createNext(tx, ei);
    return true;
  }

  private assignCreated(tx: Tx, task: UserTaskRow, assignee: string): void {
    const fields = { ...fieldsOf(task), assignee };
    this.run(tx, task, {
      event: 'assigning',
      action: '',
      fields,
      changed: ['assignee'],
      record: { assignee },
    });
  }

  private listenersOf(ei: ElementInstanceRow, event: TaskListenerEvent): ListenerDef[] {
    return this.rt.element(ei).taskListeners?.[event] ?? [];
  }

  /** The job of the transition's next listener; an evaluation failure is an incident on the element. */
  private createNext(tx: Tx, ei: ElementInstanceRow): void {
    this.incidents.attempt(tx, ei, () => this.createJob(tx, ei));
  }

  private createJob(tx: Tx, ei: ElementInstanceRow): void {
    const data = parseData(ei);
    const tl = data.tl!;
    const l = this.listenersOf(ei, tl.event)[tl.next]!;
    const ctx = this.variables.context(ei.key);
    const type = evalString(l.type, ctx);
    const retries = isExpression(l.retries) ? evaluateNumber(l.retries, ctx) : Number(l.retries);
    if (!Number.isFinite(retries)) {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Expected ${tl.event} task listener retries of '${ei.element_id}' to be a number, but was '${l.retries}'`,
      );
    }
    const task = this.rt.state.userTasks.get(tl.task)!;
    tl.job = this.jobs.createJob(tx, ei, this.rt.definition(ei.process_definition_key), {
      type,
      retries,
      headers: JSON.stringify(headersOf(l, task, tl)),
      kind: TASK_LISTENER_JOB_KIND,
      listenerEventType: LIFECYCLE[tl.event],
    });
    this.transitions.setData(ei, data);
  }

  /**
   * Zeebe's UserTaskProcessor.onTerminateInternal: the element of a Camunda user task with canceling listeners is
   * terminated (its jobs canceled, its incidents resolved) — the requests waiting for a transition are rejected, the
   * task is CANCELING (as it is, its corrections-to-be dropped) while its canceling listeners run, and the
   * termination waits for them (true). False when the element has none.
   */
  canceling(tx: Tx, ei: ElementInstanceRow): boolean {
    if (ei.element_type !== 'USER_TASK' || this.listenersOf(ei, 'canceling').length === 0) return false;
    const open = this.rt.state.userTasks.openForElement(ei.key)[0];
    const task = open ? this.rt.state.userTasks.get(open.key) : undefined;
    if (!task) return false;
    const data = parseData(ei);
    // the job of a transition under way was canceled with the element's other jobs (transitions.terminate)
    if (data.tl) this.settle(tx, task.key, invalidState('user task was canceled during ongoing transition'));
    const fields = fieldsOf(task);
    tx.record('USER_TASK', 'CANCELING', task.key, task.process_instance_key, task.element_id, { ...fields });
    data.tl = { event: 'canceling', task: task.key, next: 0, action: '', fields, changed: [] };
    this.transitions.setData(ei, data);
    this.createNext(tx, ei);
    return true;
  }

  /** After an incident on the element was resolved: the listener job that could not be created is created now. */
  retry(tx: Tx, ei: ElementInstanceRow): boolean {
    const tl = parseData(ei).tl;
    const live = tl?.event === 'canceling' ? 'TERMINATING' : 'ACTIVATED';
    if (!tl || tl.job !== undefined || ei.state !== live) return false;
    this.createNext(tx, ei);
    return true;
  }

  /** Zeebe's JobCompleteProcessor checks of a task listener job's completion (INVALID_ARGUMENT rejections). */
  checkCompletion(
    job: JobRow,
    variables: Record<string, unknown>,
    result: TaskListenerResult | undefined,
  ): void {
    const ids = `(job key '${job.key}', type '${job.type}', processInstanceKey '${job.process_instance_key}')`;
    if (Object.keys(variables).length > 0) {
      throw invalidArgument(
        `Task Listener job completion with variables payload provided is not yet supported ${ids}. Support will be enabled with the resolution of issue #23702.`,
      );
    }
    const corrected = Object.keys(result?.corrections ?? {});
    if (result?.denied && !['ASSIGNING', 'UPDATING', 'COMPLETING'].includes(job.listener_event_type)) {
      throw invalidArgument(
        `Denying result is not supported for '${job.listener_event_type}' task listener jobs ${ids}. Only the following listener event types support denying: [ASSIGNING, COMPLETING, UPDATING].`,
      );
    }
    if (result?.denied && corrected.length > 0) {
      throw invalidArgument(
        `Expected to complete task listener job with corrections, but the job result is denied ${ids}. The corrections would be reverted by the denial. Either complete the job with corrections without setting denied, or complete the job with a denied result but no corrections.`,
      );
    }
    const ei = this.rt.ei(job.element_instance_key);
    const tl = ei ? parseData(ei).tl : undefined;
    if (job.listener_event_type === 'CREATING' && corrected.includes('assignee') && tl?.assignAfter) {
      throw invalidArgument(
        `Expected to complete task listener job, but correcting the assignee on 'CREATING' event is not supported when the user task has an assignee defined in the model ${ids}. Use the 'CREATING' event to set an assignee only if it was not defined. Use the 'ASSIGNING' event to correct an assignee that is already defined.`,
      );
    }
  }

  /** A listener's job was completed: the transition is denied, or goes on with the next listener, or ends. */
  jobCompleted(tx: Tx, job: JobRow, result: TaskListenerResult | undefined): void {
    const ei = this.rt.ei(job.element_instance_key);
    const data = ei ? parseData(ei) : undefined;
    const tl = data?.tl;
    if (!ei || !data || !tl || tl.job !== job.key) return;
    const task = this.rt.state.userTasks.get(tl.task);
    if (task?.state !== 'CREATED') return;
    delete data.tl;
    if (result?.denied) {
      this.transitions.setData(ei, data);
      this.deny(tx, task, tl, result.deniedReason ?? '');
      return;
    }
    if (result?.corrections) this.correct(tx, task, tl, result.corrections);
    tl.next += 1;
    delete tl.job;
    if (tl.next < this.listenersOf(ei, tl.event).length) {
      data.tl = tl;
      this.transitions.setData(ei, data);
      this.createNext(tx, ei);
      return;
    }
    this.transitions.setData(ei, data);
    this.finish(tx, ei, task, tl);
  }

  private correct(tx: Tx, task: UserTaskRow, tl: TaskTransition, corrections: Partial<TaskFields>): void {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(corrections) as Array<[keyof TaskFields, unknown]>) {
      if (value === undefined) continue;
      if (JSON.stringify(tl.fields[name]) === JSON.stringify(value)) continue;
      (tl.fields as unknown as Record<string, unknown>)[name] = value;
      changed.push(name);
    }
    if (changed.length === 0) return;
    tx.record('USER_TASK', 'CORRECTED', task.key, task.process_instance_key, task.element_id, {
      correctedAttributes: changed,
      ...tl.fields,
    });
  }

  private deny(tx: Tx, task: UserTaskRow, tl: TaskTransition, reason: string): void {
    const [intent, what] = DENIAL[tl.event]!;
    tx.record('USER_TASK', intent, task.key, task.process_instance_key, task.element_id, {
      deniedReason: reason,
      action: tl.action,
    });
    this.settle(
      tx,
      task.key,
      invalidState(
        `${what} of the User Task with key '${task.key}' was denied by Task Listener. Reason to deny: '${reason}'`,
      ),
    );
  }

  /** The transition ends: the task takes its new fields and the event's record is written. */
  private finish(
    tx: Tx,
    ei: ElementInstanceRow,
    task: UserTaskRow,
    tl: TaskTransition & TransitionRequest,
  ): void {
    const fields = tl.event === 'creating' ? { ...tl.fields, assignee: task.assignee } : tl.fields;
    this.write(task, fields);
    if (tl.event === 'canceling') {
      // the task is canceled (USER_TASK CANCELED) as the element's termination goes on
      this.transitions.resumeTermination(tx, ei);
      return;
    }
    const record = tl.record ?? { action: tl.action };
    if (tl.event === 'completing') {
      this.rt.state.userTasks.complete(task.key, tx.now);
      tx.record('USER_TASK', 'COMPLETED', task.key, task.process_instance_key, task.element_id, record);
      if (ei.state === 'ACTIVATED') {
        this.variables.applyCompletionVariables(tx, ei, tl.variables ?? {});
        tx.follow('COMPLETE', ei.key);
      }
    } else if (tl.event !== 'creating') {
      tx.record(
        'USER_TASK',
        FINAL_INTENT[tl.event],
        task.key,
        task.process_instance_key,
        task.element_id,
        record,
      );
    }
    this.settle(tx, task.key, null);
    if (tl.event !== 'creating') return;
    // the model's assignee, or one a creating listener set, is assigned through the assigning listeners
    const assignee = tl.assignAfter ?? tl.fields.assignee;
    const fresh = this.rt.state.userTasks.get(task.key)!;
    if (assignee) this.assignCreated(tx, fresh, assignee);
  }

  /** Writes the fields that differ from the task's. */
  private write(task: UserTaskRow, fields: TaskFields): void {
    const now = fieldsOf(task);
    const columns: string[] = [];
    const values: unknown[] = [];
    const set = (name: keyof TaskFields, column: string, value: unknown) => {
      if (JSON.stringify(now[name]) === JSON.stringify(fields[name])) return;
      columns.push(column);
      values.push(value);
    };
    set('assignee', 'assignee', fields.assignee);
    set('candidateGroups', 'candidate_groups', JSON.stringify(fields.candidateGroups));
    set('candidateUsers', 'candidate_users', JSON.stringify(fields.candidateUsers));
    set('dueDate', 'due_date', fields.dueDate === null ? null : Date.parse(fields.dueDate));
    set(
      'followUpDate',
      'follow_up_date',
      fields.followUpDate === null ? null : Date.parse(fields.followUpDate),
    );
    set('priority', 'priority', fields.priority);
    if (columns.length > 0) this.rt.state.userTasks.update(task.key, columns, values);
  }

  /** A task that is canceled (its element terminated) ends the requests waiting for its transition. */
  canceled(tx: Tx, taskKey: number): void {
    if (!this.waits.has(taskKey)) return;
    this.settle(tx, taskKey, invalidState(`User task with key '${taskKey}' was canceled`));
  }

  private settle(tx: Tx, taskKey: number, error: Error | null): void {
    tx.afterCommit.push(() => {
      const waiting = this.waits.get(taskKey);
      this.waits.delete(taskKey);
      for (const w of waiting ?? []) w(error);
    });
  }

  /**
   * Resolves once no transition of the task is held up by its listeners (at once if none is): how a REST command
   * on a task answers only when its listeners are done, rejects when one of them denied it. An aborted wait resolves.
   */
  wait(taskKey: number, signal?: AbortSignal): Promise<void> {
    const task = this.rt.state.userTasks.get(taskKey);
    if (!task || !this.pending(task)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle: Settle = (error) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => {
        const left = (this.waits.get(taskKey) ?? []).filter((w) => w !== settle);
        if (left.length) this.waits.set(taskKey, left);
        else this.waits.delete(taskKey);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waits.set(taskKey, [...(this.waits.get(taskKey) ?? []), settle]);
    });
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function fieldsOf(task: UserTaskRow): TaskFields {
  return {
    assignee: task.assignee,
    candidateGroups: JSON.parse(task.candidate_groups) as string[],
    candidateUsers: JSON.parse(task.candidate_users) as string[],
    dueDate: iso(task.due_date),
    followUpDate: iso(task.follow_up_date),
    priority: task.priority,
  };
}

/** Zeebe's changedAttributes: what the command changed and what differs from the task by the corrections. */
function changedAttributes(task: UserTaskRow, tl: TaskTransition): string[] {
  const now = fieldsOf(task);
  const changed = new Set(tl.changed);
  for (const name of Object.keys(now) as Array<keyof TaskFields>)
    if (JSON.stringify(now[name]) !== JSON.stringify(tl.fields[name])) changed.add(name);
  return [...changed].sort();
}

/** Zeebe's task listener job headers (BpmnJobBehavior.extractUserTaskHeaders and encodeHeaders). */
function headersOf(l: ListenerDef, task: UserTaskRow, tl: TaskTransition): Record<string, string> {
  const headers: Record<string, string> = { ...l.headers };
  const f = tl.fields;
  const set = (name: string, value: string | null) => {
    if (value !== null && value !== '') headers[`io.camunda.zeebe:${name}`] = value;
  };
  const list = (values: string[]) => (values.length ? JSON.stringify(values) : null);
  const changed = changedAttributes(task, tl);
  set('action', tl.action);
  set('assignee', f.assignee);
  set('candidateGroups', list(f.candidateGroups));
  set('candidateUsers', list(f.candidateUsers));
  set('changedAttributes', list(changed));
  set('dueDate', f.dueDate);
  set('followUpDate', f.followUpDate);
  set('formKey', task.form_key === null ? null : String(task.form_key));
  set('priority', f.priority > 0 ? String(f.priority) : null);
  set('userTaskKey', String(task.key));
  return headers;
}

/** Camunda 8.8's UserTaskProperties of an activated task listener job, read from its headers. */
export function userTaskProperties(headers: Record<string, string>): Record<string, unknown> {
  const h = (name: string): string | undefined => headers[`io.camunda.zeebe:${name}`];
  const list = (name: string): string[] => {
    const v = h(name);
    return v ? (JSON.parse(v) as string[]) : [];
  };
  const priority = h('priority');
  const formKey = h('formKey');
  return {
    action: h('action') ?? '',
    assignee: h('assignee') ?? null,
    candidateGroups: list('candidateGroups'),
    candidateUsers: list('candidateUsers'),
    changedAttributes: list('changedAttributes'),
    dueDate: h('dueDate') ?? null,
    followUpDate: h('followUpDate') ?? null,
    ...(formKey ? { formKey } : {}),
    priority: priority === undefined ? 0 : Number(priority),
    userTaskKey: h('userTaskKey') ?? null,
  };
}

// What an element instance remembers between its steps (the `data` column, JSON).
import type { ElementInstanceRow } from '../state/rows.ts';

export interface Trigger {
  variables: Record<string, unknown> | null;
}

export interface MultiInstanceData {
  n: number;
  next: number;
  completed: number;
  terminated: number;
  items?: unknown[];
}

export interface ElementData {
  trigger?: Trigger;
  /** Tokens waiting at joining gateways of this scope: gateway id → flow id → count. */
  joins?: Record<string, Record<string, number>>;
  /** Multi-instance body. */
  mi?: MultiInstanceData;
  /** Event-based gateway: the flow of the event that won, and its trigger. */
  flow?: string;
  flowTrigger?: Trigger;
  /** Process: the start event to begin at. */
  start?: string;
  /** Scope interrupted by an interrupting event sub-process. */
  interrupted?: boolean;
  /**
   * Execution listeners under way: the phase (start: input mappings applied; end: output mappings applied), the
   * index of the listener whose job is open (or next to create once `job` is done), and that job's key.
   */
  lsn?: ListenerProgress;
  /** A user task's lifecycle transition held up by its task listeners (runtime/behavior/task-listeners.ts). */
  tl?: TaskTransition;
  /** TERMINATING, ended by an interrupting boundary event: the event, activated once the termination is done. */
  after?: PendingEvent;
  /** Interrupted by an event sub-process whose start waits for the scope's children to end their termination. */
  esp?: PendingEvent;
  /**
   * Ad-hoc sub-process: its completion condition was met (it completes once no inner flow is active). Its inner
   * instance: the element it activates, and whether the completion condition held when it completed.
   */
  adHoc?: { fulfilled?: boolean; cancel?: boolean; elementId?: string; conditionMet?: boolean };
}

/** An event activated once the terminations it waits for are done. */
export interface PendingEvent {
  elementId: string;
  trigger: Trigger;
}

/** The correctable properties of a user task (Zeebe's UserTaskRecord CORRECTABLE_PROPERTIES), dates as ISO text. */
export interface TaskFields {
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  priority: number;
}

/**
 * Zeebe's intermediate user task state: the event whose listeners run, the user task, the listener whose job is
 * open (or next), the task as it will be once the transition ends (the command's changes and the listeners'
 * corrections), the attributes the command changed, and what the command carries besides.
 */
export interface TaskTransition {
  event: 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling';
  task: number;
  next: number;
  job?: number;
  action: string;
  fields: TaskFields;
  changed: string[];
  /** completing: the variables the task is completed with. */
  variables?: Record<string, unknown>;
  /** creating: the model's assignee, assigned once the creating listeners are done. */
  assignAfter?: string | null;
}

export interface ListenerProgress {
  phase: 'start' | 'end';
  next: number;
  job?: number;
}

export function parseData(ei: ElementInstanceRow): ElementData {
  return ei.data ? (JSON.parse(ei.data) as ElementData) : {};
}

export function serializeData(data: ElementData | null): string | null {
  return data && Object.keys(data).length ? JSON.stringify(data) : null;
}

// The executable model: a compact, JSON-serialisable form of one BPMN process, produced at deploy
// time and stored with the process definition so that start-up never has to re-parse XML.

export type ElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
  | 'EVENT_SUB_PROCESS'
  | 'START_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'MULTI_INSTANCE_BODY'
  | 'CALL_ACTIVITY'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'SEND_TASK';

export interface Mapping {
  /** FEEL expression (with leading '=') or a static value. */
  source: string;
  target: string;
}

export type TimerKind = 'duration' | 'date' | 'cycle';

export interface TimerDef {
  kind: TimerKind;
  /** ISO 8601 / cron text, or a FEEL expression starting with '='. */
  value: string;
}

export interface EventDef {
  kind:
    | 'none'
    | 'timer'
    | 'message'
    | 'error'
    | 'terminate'
    | 'link'
    | 'signal'
    | 'escalation'
    | 'compensation';
  timer?: TimerDef;
  messageName?: string;
  correlationKey?: string;
  /** For error events: the error code; null on a catch event means "catch all". */
  errorCode?: string | null;
  errorCodeVariable?: string;
  errorMessageVariable?: string;
  /** Link events: the link name; on a throw event, the id of the catch event it leads to. */
  linkName?: string;
  linkTarget?: string;
  /** Signal events: the signal name (static or a FEEL expression). */
  signalName?: string;
  /** Escalation events: the code (an expression on throw events); null on a catch event catches all. */
  escalationCode?: string | null;
  /** Compensation throw and end events: the one activity to compensate (activityRef), absent for all of the scope. */
  activityRef?: string;
  /** Compensation boundary events: the compensation handler (the activity their association leads to). */
  compensationHandler?: string;
}

export interface JobDef {
  type: string;
  retries: string;
  headers: Record<string, string>;
}

/** A zeebe:executionListener: a job of kind EXECUTION_LISTENER created when the element starts or ends. */
export interface ListenerDef {
  /** The job type, static or a FEEL expression. */
  type: string;
  /** The job's retries, static or a FEEL expression (default 3). */
  retries: string;
  headers: Record<string, string>;
}

/** An element's (or process's) execution listeners, in model order for each event type. */
export interface ListenersDef {
  start?: ListenerDef[];
  end?: ListenerDef[];
}

/** The user task events whose listeners this engine runs (Zeebe 8.8's ZeebeTaskListenerEventType but canceling). */
export type TaskListenerEvent = 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling';

/** A user task's zeebe:taskListeners, in model order for each event type (jobs of kind TASK_LISTENER). */
export type TaskListenersDef = Partial<Record<TaskListenerEvent, ListenerDef[]>>;

export interface UserTaskDef {
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  dueDate?: string;
  followUpDate?: string;
  formId?: string;
  /** zeebe:formDefinition bindingType of a linked form (absent: latest). */
  formBinding?: Binding;
  formKey?: string;
  externalReference?: string;
  priority?: string;
  /** No zeebe:userTask: Zeebe's job-worker user task, a job of type io.camunda.zeebe:userTask. */
  jobWorker?: boolean;
}

/**
 * Which version a call activity or business rule task resolves (zeebe bindingType): the one deployed together with
 * the calling process, or the latest with a version tag. https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/
 */
export type Binding = { type: 'deployment' } | { type: 'versionTag'; versionTag: string };

export interface LoopDef {
  sequential: boolean;
  inputCollection?: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}

/**
 * An ad-hoc sub-process (bpmn:adHocSubProcess with zeebe:adHoc), as Camunda 8.8 runs it:
 * https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
 */
export interface AdHocDef {
  /** FEEL: the ids of the inner elements activated on entry. */
  activeElementsCollection?: string;
  /** FEEL boolean, evaluated each time an inner flow completes. */
  completionCondition?: string;
  /** Terminate the inner flows still active once the completion condition is met (default true). */
  cancelRemainingInstances: boolean;
  outputCollection?: string;
  outputElement?: string;
  /** The inner elements that can be activated: those without incoming sequence flows. */
  activatable: string[];
  /** The job worker implementation (zeebe:taskDefinition, the element's `job`): a worker decides what to activate. */
  jobWorker?: boolean;
}

/** Zeebe's id of an ad-hoc sub-process's inner instance (ZeebeConstants.AD_HOC_SUB_PROCESS_INNER_INSTANCE_ID_POSTFIX). */
export const INNER_INSTANCE_POSTFIX = '#innerInstance';

export interface ElementModel {
  id: string;
  name?: string;
  type: ElementType;
  /** Id of the flow scope element (process, sub-process or event sub-process). */
  scope: string | null;
  incoming: string[];
  outgoing: string[];
  event?: EventDef;
  /** Boundary event (cancelActivity) or event sub-process start (isInterrupting). */
  interrupting?: boolean;
  attachedTo?: string;
  boundaries?: string[];
  /** Scopes: the none start event (process / sub-process) or the start event (event sub-process). */
  startEvent?: string;
  eventSubProcesses?: string[];
  inputs?: Mapping[];
  outputs?: Mapping[];
  job?: JobDef;
  userTask?: UserTaskDef;
  script?: { expression: string; resultVariable: string };
  decision?: { decisionId: string; resultVariable: string; binding?: Binding };
  callActivity?: {
    processId: string;
    /** zeebe:calledElement bindingType (absent: latest). */
    binding?: Binding;
    propagateAllChildVariables: boolean;
    propagateAllParentVariables: boolean;
  };
  loop?: LoopDef;
  /** A start event's linked form (zeebe:formDefinition formId). */
  form?: { formId: string; binding?: Binding };
  defaultFlow?: string;
  properties?: Record<string, string>;
  /** zeebe:executionListeners (absent when none). */
  listeners?: ListenersDef;
  /** A compensation handler (isForCompensation): started only by compensation, never along a sequence flow. */
  forCompensation?: boolean;
  /** The handler a compensation boundary event's association leads to (with or without isForCompensation). */
  handlesCompensation?: boolean;
  /** zeebe:taskListeners of a Camunda user task (absent when none). */
  taskListeners?: TaskListenersDef;
  /** An ad-hoc sub-process's zeebe:adHoc and completion settings. */
  adHoc?: AdHocDef;
}

export interface FlowModel {
  id: string;
  source: string;
  target: string;
  condition?: string;
}

export interface ProcessModel {
  id: string;
  name?: string;
  versionTag?: string;
  elements: Record<string, ElementModel>;
  flows: Record<string, FlowModel>;
  timerStartEvents: string[];
  messageStartEvents: string[];
  /** Signal start events of the process (absent in models stored before signals were supported). */
  signalStartEvents?: string[];
  /** The none start event's form: Camunda's start form (hasStartForm, GET /process-definitions/{key}/form). */
  startForm?: { formId: string; binding?: Binding };
}

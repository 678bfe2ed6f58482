// What the business commands and queries need from the process engine, and nothing more: one interface, implemented
// by CamundaProcessGateway with the official @camunda8/sdk orchestration-cluster client (CAMUNDA_REST_ADDRESS: the
// embedded engine's /v2 or a real Camunda 8). Shapes follow the Camunda 8 REST API (v2) so the implementation is a
// thin mapping. The engine-backed routes are registered only when an implementation is given to the API plugin.

import type { ProcessChanges } from './camunda-changes.ts';

/** Process variables: JSON values, names from docs/process-contract.md. */
export type Variables = Record<string, unknown>;

export interface StartedProcess {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  version: number;
}

export interface UserTaskFilter {
  /** Any of these candidate groups (the signed-in user's roles and `unit-<unitId>`). */
  candidateGroups?: string[];
  /** None of these candidate groups (tasks assigned to someone outside their groups). */
  candidateGroupsNotIn?: string[];
  assignee?: string;
  /** false: only tasks nobody claimed (`assignee: { $exists: false }`). */
  assigned?: boolean;
  processInstanceKey?: string;
  processDefinitionId?: string;
  /** The task's BPMN element (its step), e.g. `Task_InitialReview`. */
  elementId?: string;
  /** The business key: tasks of one project. */
  projectId?: string;
  /** Tasks of any of these projects (a search by project name or number). */
  projectIds?: string[];
  /** The Unit of the task's project (the `unitId` process variable). */
  unitId?: string;
  /** Due date range, ISO date-times: from (inclusive) and before (exclusive). */
  dueDate?: { from?: string; before?: string };
  /** true: only tasks that have a due date (`dueDate: { $exists: true }`). */
  hasDueDate?: boolean;
  /** Completion date range, ISO date-times: from (inclusive) and before (exclusive). */
  completionDate?: { from?: string; before?: string };
  state?: 'CREATED' | 'COMPLETED' | 'CANCELED';
  tenantId?: string;
  page?: { from: number; limit: number };
  /** Camunda's user task sort keys; default creation date ascending. */
  sort?: Array<{
    field: 'creationDate' | 'dueDate' | 'priority' | 'followUpDate' | 'completionDate';
    order: 'ASC' | 'DESC';
  }>;
}

export interface UserTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  processDefinitionId: string;
  processInstanceKey: string;
  candidateGroups: string[];
  assignee: string | null;
  state: string;
  creationDate: string;
  completionDate: string | null;
  dueDate: string | null;
  followUpDate: string | null;
  /** 0–100, Camunda's default 50. */
  priority: number;
  formKey: string | null;
  tenantId: string;
  variables?: Variables;
}

export interface ProcessEvent {
  /** ISO date-time. */
  at: string;
  kind: 'element-activated' | 'element-completed' | 'incident' | 'message-correlated' | 'timer-fired';
  elementId: string;
  elementName: string | null;
  processInstanceKey: string;
  /** The process the element belongs to, its BPMN type, an incident's message. */
  processDefinitionId?: string;
  elementType?: string;
  detail?: string;
}

// Each operation maps onto one Camunda 8.8 REST call (or two, for a retry), so that the same commands run on the
// embedded engine and on real Camunda 8.

/** A Camunda Form linked to a user task (`GET /v2/user-tasks/{key}/form`): the pages render `schema` with form-js. */
export interface TaskForm {
  formId: string;
  formKey: string;
  version: number;
  schema: Record<string, unknown>;
}

export interface ProcessInstanceFilter {
  processDefinitionId?: string;
  state?: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident?: boolean;
  parentProcessInstanceKey?: string;
  processDefinitionVersion?: number;
  /** Instances with an active element instance of this element id (Operate's "flow node" filter). */
  activeElementId?: string;
  /** ISO date-time bounds, inclusive from / exclusive to (Camunda's `$gte` / `$lt`). */
  startDate?: { from?: string; to?: string };
  endDate?: { from?: string; to?: string };
  /** Process variables that must equal these values (e.g. `{ projectId: 'YF-2026-0007' }`). */
  variables?: Variables;
  page?: { from: number; limit: number };
}

export interface ProcessInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionName: string | null;
  processDefinitionVersion: number;
  state: string;
  startDate: string;
  endDate: string | null;
  hasIncident: boolean;
  parentProcessInstanceKey: string | null;
}

export interface ElementInstance {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementId: string;
  elementName: string | null;
  type: string;
  state: string;
  startDate: string;
  endDate: string | null;
  hasIncident: boolean;
}

export interface Incident {
  incidentKey: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  elementInstanceKey: string;
  errorType: string;
  errorMessage: string;
  state: string;
  creationTime: string;
  jobKey: string | null;
}

export interface IncidentFilter {
  processInstanceKey?: string;
  state?: 'ACTIVE' | 'RESOLVED' | 'PENDING' | 'MIGRATED';
  page?: { from: number; limit: number };
}

/** The engine refused a command or could not be reached: `status` is Camunda's HTTP status (0 when unreachable). */
export class ProcessEngineError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${title}: ${detail}`);
    this.name = 'ProcessEngineError';
  }
}

/**
 * The engine as the business API uses it. Beyond starting, publishing and the task inbox:
 * - claim/unclaim: Tasklist's claim is an assignment (`POST /v2/user-tasks/{key}/assignment`, `DELETE …/assignee`);
 * - the task's form schema and the variables it shows: the task page renders the same `.form` Modeler edits;
 * - correlate (not only publish): a change/delay/termination filing must be refused when no implementation waits
 *   for it, and only correlation says so (Camunda answers 404 when no subscription matches);
 * - instances, element instances, incidents, definition XML, cancel and retry: the operations view (Operate's
 *   equivalent) — a retry raises the job's retries first, then resolves the incident, as Operate does.
 */
export interface ProcessGateway {
  /** Starts `processId` (e.g. `professional-project-initiation`) with the project id as business key. */
  startProcess(
    processId: string,
    businessKey: string,
    variables: Variables,
    tenantId: string,
  ): Promise<StartedProcess>;
  /** Publishes a message (e.g. `project-change-filed`) correlated by key; resolves when the engine accepted it. */
  publishMessage(name: string, correlationKey: string, variables: Variables, tenantId: string): Promise<void>;
  searchUserTasks(filter: UserTaskFilter): Promise<{ items: UserTask[]; total: number }>;
  getUserTask(userTaskKey: string): Promise<UserTask | null>;
  /** Completes a task with the decision variables of its form; `action` as Camunda records it. */
  completeUserTask(userTaskKey: string, variables: Variables, action?: string): Promise<void>;
  /** The history of a process instance (and its called instances), for a project's timeline. */
  processHistory(processInstanceKey: string): Promise<ProcessEvent[]>;
  /** Whether the engine answers (for `/ready`). */
  ping(): Promise<void>;
  /** Operate's statistics and instance changes: modification and migration (camunda-changes.ts). */
  changes(): ProcessChanges;

  /** Assigns the task; `override` replaces a current assignee (assigning to a colleague), `action` as recorded. */
  assignUserTask(
    userTaskKey: string,
    assignee: string,
    options?: { override?: boolean; action?: string },
  ): Promise<void>;
  /** `PATCH /v2/user-tasks/{key}`: follow-up date and priority (Camunda's changeset). */
  updateUserTask(userTaskKey: string, changeset: { followUpDate?: string; priority?: number }): Promise<void>;
  unassignUserTask(userTaskKey: string): Promise<void>;
  getUserTaskForm(userTaskKey: string): Promise<TaskForm | null>;
  /** The variables a task sees (its scope and every enclosing one), values parsed from Camunda's JSON text. */
  userTaskVariables(userTaskKey: string): Promise<Variables>;
  /** Variables of the root scope of each instance, restricted to `names`: one search for many instances. */
  instanceVariables(processInstanceKeys: string[], names: string[]): Promise<Map<string, Variables>>;
  /** Correlates a message to a waiting subscription; resolves with the instance it reached, or null when none waits. */
  correlateMessage(
    name: string,
    correlationKey: string,
    variables: Variables,
    tenantId: string,
  ): Promise<{ processInstanceKey: string } | null>;
  searchProcessInstances(filter: ProcessInstanceFilter): Promise<{ items: ProcessInstance[]; total: number }>;
  getProcessInstance(processInstanceKey: string): Promise<ProcessInstance | null>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  elementInstances(processInstanceKey: string): Promise<ElementInstance[]>;
  searchIncidents(filter: IncidentFilter): Promise<{ items: Incident[]; total: number }>;
  getIncident(incidentKey: string): Promise<Incident | null>;
  /** Raises the failed job's retries (when the incident has a job), then resolves the incident. */
  retryIncident(incidentKey: string, retries?: number): Promise<void>;
  /**
   * Sets variables of an instance's scope (Operate's "edit variable"), to fix the data an incident stopped on;
   * `local`: in that very scope, not propagated to the enclosing one that has the variable.
   */
  setVariables(elementInstanceKey: string, variables: Variables, local?: boolean): Promise<void>;
  processDefinitionXml(processDefinitionKey: string): Promise<string>;
}

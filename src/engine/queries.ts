// Read side: rows rendered in the shapes of Camunda's /v2 search API (camelCase, keys as strings,
// dates as ISO 8601), with Camunda's filter operators, sorts and from/limit paging all in SQL (search-sql.ts).

import { LIFECYCLE } from './runtime/behavior/task-listeners.ts';
import type { Interpreter } from './runtime/interpreter.ts';
import { TENANT } from './runtime/interpreter.ts';
import {
  type Column,
  type CustomFilter,
  runSearch,
  type SearchRequest,
  type SearchResult,
  scalarSql,
  selectivityOf,
  variablesSql,
} from './search-sql.ts';
import type {
  ElementInstanceRow,
  IncidentRow,
  JobRow,
  ProcessInstanceRow,
  UserTaskRow,
  VariableRow,
} from './state/rows.ts';
import { pendingEvents, userTaskStateSql } from './user-task-state.ts';
import { countedUserTaskTotal } from './user-task-totals.ts';

export type { SearchRequest, SearchResult };

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
const str = (key: number | null | undefined): string | null =>
  key === null || key === undefined ? null : String(key);

// --- process definitions -----------------------------------------------------------------------

export interface ProcessDefinitionItem {
  name: string | null;
  resourceName: string;
  version: number;
  versionTag: string | null;
  processDefinitionId: string;
  tenantId: string;
  processDefinitionKey: string;
  hasStartForm: boolean;
}

export function searchProcessDefinitions(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<ProcessDefinitionItem> {
  return runSearch(
    it,
    'process_definitions',
    {
      processDefinitionKey: { column: 'key', kind: 'key' },
      processDefinitionId: { column: 'process_id' },
      name: { column: 'name' },
      version: { column: 'version' },
      versionTag: { column: 'version_tag' },
      resourceName: { column: 'resource_name' },
      tenantId: { column: 'tenant_id' },
    },
    req,
    (r: {
      key: number;
      name: string | null;
      resource_name: string;
      version: number;
      version_tag: string | null;
      process_id: string;
      tenant_id: string;
    }) => ({
      name: r.name,
      resourceName: r.resource_name,
      version: r.version,
      versionTag: r.version_tag,
      processDefinitionId: r.process_id,
      tenantId: r.tenant_id,
      processDefinitionKey: String(r.key),
      hasStartForm: (r as { model?: string }).model?.includes('"startForm"') === true,
    }),
  );
}

export function processDefinitionXml(it: Interpreter, key: number): string | null {
  const row = it.db
    .q(
      'SELECT r.content FROM process_definitions d JOIN resources r ON r.key = d.resource_key WHERE d.key = ?',
    )
    .get(key) as { content: string } | undefined;
  return row?.content ?? null;
}

// --- process instances -------------------------------------------------------------------------

export interface ProcessInstanceItem {
  processDefinitionId: string;
  processDefinitionName: string | null;
  processDefinitionVersion: number;
  processDefinitionVersionTag: string | null;
  startDate: string;
  endDate: string | null;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident: boolean;
  tenantId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  parentProcessInstanceKey: string | null;
  parentElementInstanceKey: string | null;
  tags: string[];
}
export function processInstanceItem(it: Interpreter, r: ProcessInstanceRow): ProcessInstanceItem {
  const def = it.definition(r.process_definition_key);
  return {
    processDefinitionId: r.process_id,
    processDefinitionName: def.name,
    processDefinitionVersion: r.version,
    processDefinitionVersionTag: def.model.versionTag ?? null,
    startDate: iso(r.start_date)!,
    endDate: iso(r.end_date),
    state: r.state,
    hasIncident: r.incident_count > 0,
    tenantId: r.tenant_id,
    processInstanceKey: String(r.key),
    processDefinitionKey: String(r.process_definition_key),
    parentProcessInstanceKey: str(r.parent_process_instance_key),
    parentElementInstanceKey: str(r.parent_element_instance_key),
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
  };
}
const DEFINITION = (field: string) =>
  `(SELECT d.${field} FROM process_definitions d WHERE d.key = process_instances.process_definition_key)`;

// Camunda's element instance state: ACTIVE covers our transient ACTIVATING / COMPLETING states
const ELEMENT_STATE = "(CASE WHEN e.state IN ('COMPLETED', 'TERMINATED') THEN e.state ELSE 'ACTIVE' END)";
const elementOf = (cond: string) =>
  `EXISTS (SELECT 1 FROM element_instances e WHERE e.process_instance_key = process_instances.key AND ${cond})`;

export const PROCESS_INSTANCE_COLUMNS: Record<string, Column> = {
  processInstanceKey: { column: 'key', kind: 'key' },
  processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
  processDefinitionId: { column: 'process_id' },
  processDefinitionName: { column: DEFINITION('name'), nullable: true },
  processDefinitionVersion: { column: 'version', kind: 'number' },
  processDefinitionVersionTag: { column: DEFINITION('version_tag'), nullable: true },
  state: { column: 'state' },
  parentProcessInstanceKey: { column: 'parent_process_instance_key', kind: 'key', nullable: true },
  parentElementInstanceKey: { column: 'parent_element_instance_key', kind: 'key', nullable: true },
  hasIncident: { column: 'incident_count', kind: 'bool' },
  tenantId: { column: 'tenant_id' },
  startDate: { column: 'start_date', kind: 'date' },
  endDate: { column: 'end_date', kind: 'date', nullable: true },
};

const processInstanceFilters = (it: Interpreter): Record<string, CustomFilter> => ({
  variables: (value, params) => variablesSql('process_instances.key', value, params, selectivityOf(it.db)),
  elementId: (value, params) => elementOf(scalarSql('e.element_id', undefined, value, params)),
  elementInstanceState: (value, params) => elementOf(scalarSql(ELEMENT_STATE, undefined, value, params)),
  hasElementInstanceIncident: (value) =>
    `${elementOf('e.incident_key IS NOT NULL')} = ${value === true || value === 'true' ? 1 : 0}`,
});

export function searchProcessInstances(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<ProcessInstanceItem> {
  return runSearch(
    it,
    'process_instances',
    PROCESS_INSTANCE_COLUMNS,
    req,
    (r: ProcessInstanceRow) => processInstanceItem(it, r),
    processInstanceFilters(it),
  );
}

// --- element instances -------------------------------------------------------------------------

export interface ElementInstanceItem {
  processDefinitionId: string;
  startDate: string;
  endDate: string | null;
  elementId: string;
  elementName: string | null;
  type: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident: boolean;
  tenantId: string;
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  incidentKey: string | null;
  flowScopeKey: string | null;
}

export function elementInstanceItem(it: Interpreter, r: ElementInstanceRow): ElementInstanceItem {
  const def = it.definition(r.process_definition_key);
  const state = r.state === 'COMPLETED' ? 'COMPLETED' : r.state === 'TERMINATED' ? 'TERMINATED' : 'ACTIVE';
  return {
    processDefinitionId: def.processId,
    startDate: iso(r.start_date)!,
    endDate: iso(r.end_date),
    elementId: r.element_id,
    elementName: def.model.elements[r.element_id]?.name ?? null,
    type: r.element_type,
    state,
    hasIncident: r.incident_key !== null,
    tenantId: TENANT,
    elementInstanceKey: String(r.key),
    processInstanceKey: String(r.process_instance_key),
    processDefinitionKey: String(r.process_definition_key),
    incidentKey: str(r.incident_key),
    flowScopeKey: str(r.flow_scope_key),
  };
}

export function searchElementInstances(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<ElementInstanceItem> {
  const filter = { ...(req?.filter ?? {}) };
  const extra: string[] = [];
  // Camunda's element instance state ACTIVE covers our transient ACTIVATING / COMPLETING / TERMINATING states
  if (filter.state === 'ACTIVE') {
    delete filter.state;
    extra.push("state IN ('ACTIVATING','ACTIVATED','COMPLETING','TERMINATING')");
  }
  return runSearch(
    it,
    'element_instances',
    {
      elementInstanceKey: { column: 'key', kind: 'key' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
      elementId: { column: 'element_id' },
      type: { column: 'element_type' },
      state: { column: 'state' },
      flowScopeKey: { column: 'flow_scope_key', kind: 'key' },
      incidentKey: { column: 'incident_key', kind: 'key' },
      hasIncident: { column: 'incident_key IS NOT NULL AND 1', kind: 'bool' },
      startDate: { column: 'start_date', kind: 'date' },
    },
    { ...req, filter },
    (r: ElementInstanceRow) => elementInstanceItem(it, r),
    {},
    extra,
  );
}

// --- variables ---------------------------------------------------------------------------------

export interface VariableItem {
  name: string;
  value: string;
  tenantId: string;
  isTruncated: boolean;
  variableKey: string;
  scopeKey: string;
  processInstanceKey: string;
}

export function searchVariables(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<VariableItem> {
  return runSearch(
    it,
    'variables',
    {
      variableKey: { column: 'key', kind: 'key' },
      scopeKey: { column: 'scope_key', kind: 'key' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      name: { column: 'name' },
      value: { column: 'value' },
      tenantId: { column: 'tenant_id' },
    },
    req,
    (r: VariableRow) => ({
      name: r.name,
      value: r.value,
      tenantId: r.tenant_id,
      isTruncated: false,
      variableKey: String(r.key),
      scopeKey: String(r.scope_key),
      processInstanceKey: String(r.process_instance_key),
    }),
  );
}

// --- jobs --------------------------------------------------------------------------------------

export interface JobItem {
  customHeaders: Record<string, string>;
  elementInstanceKey: string;
  elementId: string;
  errorCode: string | null;
  errorMessage: string | null;
  hasFailedWithRetriesLeft: boolean;
  deadline: string | null;
  endTime: string | null;
  processDefinitionId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  retries: number;
  state: string;
  tenantId: string;
  type: string;
  worker: string | null;
  kind: string;
  listenerEventType: string;
  jobKey: string;
}

export function searchJobs(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<JobItem> {
  return runSearch(
    it,
    'jobs',
    {
      jobKey: { column: 'key', kind: 'key' },
      type: { column: 'type' },
      state: { column: 'state' },
      worker: { column: 'worker' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
      processDefinitionId: { column: 'process_id' },
      elementInstanceKey: { column: 'element_instance_key', kind: 'key' },
      elementId: { column: 'element_id' },
      retries: { column: 'retries' },
      kind: { column: 'kind' },
      listenerEventType: { column: 'listener_event_type' },
    },
    req,
    (r: JobRow) => ({
      customHeaders: JSON.parse(r.custom_headers) as Record<string, string>,
      elementInstanceKey: String(r.element_instance_key),
      elementId: r.element_id,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      hasFailedWithRetriesLeft: r.state === 'FAILED' && r.retries > 0,
      deadline: iso(r.deadline),
      endTime: iso(r.ended),
      processDefinitionId: r.process_id,
      processDefinitionKey: String(r.process_definition_key),
      processInstanceKey: String(r.process_instance_key),
      retries: r.retries,
      state: r.state,
      tenantId: r.tenant_id,
      type: r.type,
      worker: r.worker,
      kind: r.kind,
      listenerEventType: r.listener_event_type,
      jobKey: String(r.key),
    }),
  );
}

// --- user tasks --------------------------------------------------------------------------------

export interface UserTaskItem {
  name: string | null;
  state: string;
  assignee: string | null;
  elementId: string;
  candidateGroups: string[];
  candidateUsers: string[];
  processDefinitionId: string;
  creationDate: string;
  completionDate: string | null;
  followUpDate: string | null;
  dueDate: string | null;
  tenantId: string;
  externalFormReference: string | null;
  processDefinitionVersion: number;
  customHeaders: Record<string, string>;
  priority: number;
  userTaskKey: string;
  elementInstanceKey: string;
  processName: string | null;
  processDefinitionKey: string;
  processInstanceKey: string;
  formKey: string | null;
}

/** `pendingEvent`: the event of the transition under way on the task if the caller read it already (a search page). */
export function userTaskItem(it: Interpreter, r: UserTaskRow, pendingEvent?: string | null): UserTaskItem {
  const def = it.definition(r.process_definition_key);
  // while task listeners run, Camunda 8.8 reports the lifecycle state of their event (CREATING, COMPLETING, ...)
  const event =
    r.state !== 'CREATED'
      ? null
      : pendingEvent !== undefined
        ? pendingEvent
        : it.taskListeners.pending(r)?.event;
  return {
    name: r.name,
    state: event ? LIFECYCLE[event as keyof typeof LIFECYCLE] : r.state,
    assignee: r.assignee,
    elementId: r.element_id,
    candidateGroups: JSON.parse(r.candidate_groups) as string[],
    candidateUsers: JSON.parse(r.candidate_users) as string[],
    processDefinitionId: r.process_id,
    creationDate: iso(r.creation_date)!,
    completionDate: iso(r.completion_date),
    followUpDate: iso(r.follow_up_date),
    dueDate: iso(r.due_date),
    tenantId: r.tenant_id,
    externalFormReference: r.external_form_reference,
    processDefinitionVersion: r.version,
    customHeaders: JSON.parse(r.custom_headers) as Record<string, string>,
    priority: r.priority,
    userTaskKey: String(r.key),
    elementInstanceKey: String(r.element_instance_key),
    processName: def.name,
    processDefinitionKey: String(r.process_definition_key),
    processInstanceKey: String(r.process_instance_key),
    formKey: str(r.form_key),
  };
}

export const USER_TASK_COLUMNS: Record<string, Column> = {
  userTaskKey: { column: 'key', kind: 'key' },
  state: { column: 'state' },
  assignee: { column: 'assignee', nullable: true },
  elementId: { column: 'element_id' },
  name: { column: 'name', nullable: true },
  candidateGroup: { column: 'candidate_groups', kind: 'list' },
  candidateUser: { column: 'candidate_users', kind: 'list' },
  processDefinitionId: { column: 'process_id' },
  processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
  processInstanceKey: { column: 'process_instance_key', kind: 'key' },
  elementInstanceKey: { column: 'element_instance_key', kind: 'key' },
  priority: { column: 'priority', kind: 'number' },
  tenantId: { column: 'tenant_id' },
  creationDate: { column: 'creation_date', kind: 'date' },
  completionDate: { column: 'completion_date', kind: 'date', nullable: true },
  followUpDate: { column: 'follow_up_date', kind: 'date', nullable: true },
  dueDate: { column: 'due_date', kind: 'date', nullable: true },
};

const userTaskFilters = (it: Interpreter): Record<string, CustomFilter> => ({
  state: userTaskStateSql,
  processInstanceVariables: (value, params) =>
    variablesSql('user_tasks.process_instance_key', value, params, selectivityOf(it.db)),
  localVariables: (value, params) =>
    variablesSql('user_tasks.element_instance_key', value, params, selectivityOf(it.db)),
});

/**
 * One person's tasks are few: a search for an assignee reads them through the assignee index. Without the hint
 * SQLite walks every open task in the sort's order (user_tasks_state_due) to find them (issue 17, measured).
 */
function userTaskTable(filter: Record<string, unknown> | undefined): string {
  const a = filter?.assignee as { $eq?: unknown } | string | null | undefined;
  const equal = typeof a === 'string' || (typeof a === 'object' && a !== null && typeof a.$eq === 'string');
  return equal ? 'user_tasks INDEXED BY user_tasks_assignee' : 'user_tasks';
}

export function searchUserTasks(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<UserTaskItem> {
  const found = runSearch(
    it,
    userTaskTable(req?.filter),
    USER_TASK_COLUMNS,
    req,
    (r: UserTaskRow) => r,
    userTaskFilters(it),
    [],
    [],
    countedUserTaskTotal(it.state, req?.filter),
  );
  // the transitions under way on the page's tasks in one query, not one element instance read per task (issue 17)
  const events = pendingEvents(it.db, found.items);
  return { ...found, items: found.items.map((r) => userTaskItem(it, r, events.get(r.key) ?? null)) };
}

// --- incidents ---------------------------------------------------------------------------------

export interface IncidentItem {
  processDefinitionId: string;
  errorType: string;
  errorMessage: string;
  elementId: string;
  creationTime: string;
  state: string;
  tenantId: string;
  incidentKey: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  jobKey: string | null;
}

export function incidentItem(r: IncidentRow): IncidentItem {
  return {
    processDefinitionId: r.process_id,
    errorType: r.error_type,
    errorMessage: r.error_message,
    elementId: r.element_id,
    creationTime: iso(r.created)!,
    state: r.state,
    tenantId: r.tenant_id,
    incidentKey: String(r.key),
    processDefinitionKey: String(r.process_definition_key),
    processInstanceKey: String(r.process_instance_key),
    elementInstanceKey: String(r.element_instance_key),
    jobKey: str(r.job_key),
  };
}

export function searchIncidents(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<IncidentItem> {
  return runSearch(
    it,
    'incidents',
    {
      incidentKey: { column: 'key', kind: 'key' },
      processInstanceKey: { column: 'process_instance_key', kind: 'key' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key' },
      processDefinitionId: { column: 'process_id' },
      elementId: { column: 'element_id' },
      elementInstanceKey: { column: 'element_instance_key', kind: 'key' },
      jobKey: { column: 'job_key', kind: 'key' },
      errorType: { column: 'error_type' },
      state: { column: 'state' },
      tenantId: { column: 'tenant_id' },
    },
    req,
    incidentItem,
  );
}

// --- forms and decisions -----------------------------------------------------------------------

export interface FormItem {
  formKey: string;
  formId: string;
  version: number;
  schema: string;
  tenantId: string;
}

export function formByKey(it: Interpreter, key: number): FormItem | null {
  const r = it.db.q('SELECT * FROM forms WHERE key = ?').get(key) as
    | { key: number; form_id: string; version: number; content: string; tenant_id: string }
    | undefined;
  return r
    ? {
        formKey: String(r.key),
        formId: r.form_id,
        version: r.version,
        schema: r.content,
        tenantId: r.tenant_id,
      }
    : null;
}

export function searchDecisionDefinitions(it: Interpreter, req?: SearchRequest<Record<string, unknown>>) {
  return runSearch(
    it,
    'decision_definitions',
    {
      decisionDefinitionKey: { column: 'key', kind: 'key' },
      decisionDefinitionId: { column: 'decision_id' },
      version: { column: 'version' },
      name: { column: 'name' },
      decisionRequirementsId: { column: 'drg_id' },
      decisionRequirementsKey: { column: 'drg_key', kind: 'key' },
    },
    req,
    (r: {
      key: number;
      decision_id: string;
      version: number;
      name: string | null;
      drg_id: string;
      drg_key: number;
      tenant_id: string;
    }) => ({
      decisionDefinitionId: r.decision_id,
      name: r.name,
      version: r.version,
      decisionRequirementsId: r.drg_id,
      tenantId: r.tenant_id,
      decisionDefinitionKey: String(r.key),
      decisionRequirementsKey: String(r.drg_key),
    }),
  );
}

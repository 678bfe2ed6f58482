// Row shapes of the state tables as SQLite returns them.

export interface ProcessDefinitionRow {
  key: number;
  process_id: string;
  version: number;
  name: string | null;
  version_tag: string | null;
  resource_name: string;
  deployment_key: number;
  checksum: string;
  tenant_id: string;
}

export interface ProcessInstanceRow {
  key: number;
  process_definition_key: number;
  process_id: string;
  version: number;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  start_date: number;
  end_date: number | null;
  parent_process_instance_key: number | null;
  parent_element_instance_key: number | null;
  incident_count: number;
  tenant_id: string;
  /** Camunda 8.8 tags: a JSON array of strings, or null. */
  tags: string | null;
}

export type ElementState =
  | 'ACTIVATING'
  | 'ACTIVATED'
  | 'COMPLETING'
  | 'TERMINATING'
  | 'COMPLETED'
  | 'TERMINATED';

export interface ElementInstanceRow {
  key: number;
  process_instance_key: number;
  process_definition_key: number;
  element_id: string;
  element_type: string;
  flow_scope_key: number | null;
  state: ElementState;
  start_date: number;
  end_date: number | null;
  incident_key: number | null;
  data: string | null;
}

export interface VariableRow {
  key: number;
  scope_key: number;
  name: string;
  value: string;
  process_instance_key: number;
  tenant_id: string;
}

export type JobState =
  | 'CREATED'
  | 'ACTIVATED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'RETRIES_UPDATED'
  | 'COMPLETED'
  | 'CANCELED'
  | 'ERROR_THROWN';

export interface JobRow {
  key: number;
  type: string;
  state: JobState;
  retries: number;
  worker: string | null;
  deadline: number | null;
  activatable_at: number | null;
  error_message: string | null;
  error_code: string | null;
  custom_headers: string;
  process_instance_key: number;
  element_instance_key: number;
  element_id: string;
  process_definition_key: number;
  process_id: string;
  version: number;
  kind: string;
  created: number;
  ended: number | null;
  tenant_id: string;
  /** START or END for an execution listener's job, UNSPECIFIED otherwise. */
  listener_event_type: string;
}

export interface UserTaskRow {
  key: number;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  element_instance_key: number;
  process_instance_key: number;
  process_definition_key: number;
  process_id: string;
  version: number;
  element_id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string;
  candidate_users: string;
  due_date: number | null;
  follow_up_date: number | null;
  form_key: number | null;
  external_form_reference: string | null;
  priority: number;
  custom_headers: string;
  creation_date: number;
  completion_date: number | null;
  tenant_id: string;
  /** The instance's `tenantId` variable while the task is open (schema version 4; state/userTaskCounts.ts). */
  partition_value: string | null;
}

export interface TimerRow {
  key: number;
  element_instance_key: number | null;
  process_instance_key: number | null;
  process_definition_key: number;
  element_id: string;
  due_date: number;
  repetitions: number;
  kind: 'date' | 'duration' | 'cycle';
  value: string;
  interrupting: number;
}

export interface MessageSubscriptionRow {
  key: number;
  element_instance_key: number;
  process_instance_key: number;
  process_definition_key: number;
  process_id: string;
  element_id: string;
  message_name: string;
  correlation_key: string;
  interrupting: number;
  created: number;
}

export interface MessageRow {
  key: number;
  name: string;
  correlation_key: string;
  message_id: string | null;
  variables: string;
  published: number;
  deadline: number;
  tenant_id: string;
}

export interface IncidentRow {
  key: number;
  process_instance_key: number;
  process_definition_key: number;
  process_id: string;
  element_id: string;
  element_instance_key: number;
  job_key: number | null;
  error_type: string;
  error_message: string;
  state: 'ACTIVE' | 'RESOLVED';
  created: number;
  resolved: number | null;
  tenant_id: string;
}

export interface RecordRow {
  position: number;
  key: number;
  timestamp: number;
  value_type: string;
  intent: string;
  process_instance_key: number | null;
  element_id: string | null;
  value: string | null;
}

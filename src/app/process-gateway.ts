// What the business API needs from the process engine, and nothing more. A later step implements it with the
// official @camunda8/sdk orchestration-cluster client (CAMUNDA_REST_ADDRESS: the embedded engine's /v2 or a real
// Camunda 8). The routes that need it — submitting a project, the task inbox and completion, change/delay/
// termination filings, the timeline merged with process history — are registered only when an implementation is
// given to the API plugin. Shapes follow the Camunda 8 REST API (v2) so the implementation is a thin mapping.

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
  assignee?: string;
  processInstanceKey?: string;
  /** The business key: tasks of one project. */
  projectId?: string;
  state?: 'CREATED' | 'COMPLETED' | 'CANCELED';
  tenantId?: string;
  page?: { from: number; limit: number };
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
  dueDate: string | null;
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
}

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
}

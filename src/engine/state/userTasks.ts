// User tasks: Camunda user tasks waiting in the task list.
import type { Db } from './db.ts';
import type { UserTaskRow } from './rows.ts';

export interface NewUserTask {
  key: number;
  elementInstanceKey: number;
  processInstanceKey: number;
  definitionKey: number;
  processId: string;
  version: number;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string;
  candidateUsers: string;
  dueDate: number | null;
  followUpDate: number | null;
  formKey: number | null;
  externalReference: string | null;
  priority: number;
  customHeaders: string;
  creationDate: number;
  tenantId: string;
}

export class UserTaskState {
  constructor(private readonly db: Db) {}

  get(key: number): UserTaskRow | undefined {
    return this.db.q('SELECT * FROM user_tasks WHERE key = ?').get(key) as UserTaskRow | undefined;
  }

  insert(t: NewUserTask): void {
    this.db
      .q(
        `INSERT INTO user_tasks (key, state, element_instance_key, process_instance_key, process_definition_key,
          process_id, version, element_id, name, assignee, candidate_groups, candidate_users, due_date, follow_up_date,
          form_key, external_form_reference, priority, custom_headers, creation_date, tenant_id)
         VALUES (?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        t.key,
        t.elementInstanceKey,
        t.processInstanceKey,
        t.definitionKey,
        t.processId,
        t.version,
        t.elementId,
        t.name,
        t.assignee,
        t.candidateGroups,
        t.candidateUsers,
        t.dueDate,
        t.followUpDate,
        t.formKey,
        t.externalReference,
        t.priority,
        t.customHeaders,
        t.creationDate,
        t.tenantId,
      );
  }

  openForElement(elementInstanceKey: number): Array<{ key: number }> {
    return this.db
      .q("SELECT key FROM user_tasks WHERE element_instance_key = ? AND state = 'CREATED'")
      .all(elementInstanceKey) as Array<{ key: number }>;
  }

  cancel(key: number, at: number): void {
    this.db.q("UPDATE user_tasks SET state = 'CANCELED', completion_date = ? WHERE key = ?").run(at, key);
  }

  complete(key: number, at: number): void {
    this.db.q("UPDATE user_tasks SET state = 'COMPLETED', completion_date = ? WHERE key = ?").run(at, key);
  }

  setAssignee(key: number, assignee: string | null): void {
    if (assignee === null) this.db.q('UPDATE user_tasks SET assignee = NULL WHERE key = ?').run(key);
    else this.db.q('UPDATE user_tasks SET assignee = ? WHERE key = ?').run(assignee, key);
  }

  /** Sets the given columns (names from the caller's fixed list, never from input). */
  update(key: number, columns: string[], values: unknown[]): void {
    this.db
      .q(`UPDATE user_tasks SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE key = ?`)
      .run(...values, key);
  }
}

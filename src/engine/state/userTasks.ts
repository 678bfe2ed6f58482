// User tasks: Camunda user tasks waiting in the task list.
import type { Db } from './db.ts';
import type { UserTaskRow } from './rows.ts';
import type { UserTaskCounts } from './userTaskCounts.ts';

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
  constructor(
    private readonly db: Db,
    private readonly counts: UserTaskCounts,
  ) {}

  get(key: number): UserTaskRow | undefined {
    return this.db.q('SELECT * FROM user_tasks WHERE key = ?').get(key) as UserTaskRow | undefined;
  }

  insert(t: NewUserTask): void {
    const partition = this.counts.partitionOf(t.processInstanceKey);
    this.db
      .q(
        `INSERT INTO user_tasks (key, state, element_instance_key, process_instance_key, process_definition_key,
          process_id, version, element_id, name, assignee, candidate_groups, candidate_users, due_date, follow_up_date,
          form_key, external_form_reference, priority, custom_headers, creation_date, tenant_id, partition_value)
         VALUES (?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        partition,
      );
    this.counts.bump(t.candidateGroups, partition, 1);
  }

  openForElement(elementInstanceKey: number): Array<{ key: number }> {
    return this.db
      .q("SELECT key FROM user_tasks WHERE element_instance_key = ? AND state = 'CREATED'")
      .all(elementInstanceKey) as Array<{ key: number }>;
  }

  cancel(key: number, at: number): void {
    this.close(key, 'CANCELED', at);
  }

  complete(key: number, at: number): void {
    this.close(key, 'COMPLETED', at);
  }

  /** Ends a task; an open one leaves its counter (and its partition, which only open tasks keep). */
  private close(key: number, state: 'CANCELED' | 'COMPLETED', at: number): void {
    const open = this.db
      .q("SELECT candidate_groups, partition_value FROM user_tasks WHERE key = ? AND state = 'CREATED'")
      .get(key) as { candidate_groups: string; partition_value: string | null } | undefined;
    this.db
      .q('UPDATE user_tasks SET state = ?, completion_date = ?, partition_value = NULL WHERE key = ?')
      .run(state, at, key);
    if (open) this.counts.bump(open.candidate_groups, open.partition_value, -1);
  }

  setAssignee(key: number, assignee: string | null): void {
    if (assignee === null) this.db.q('UPDATE user_tasks SET assignee = NULL WHERE key = ?').run(key);
    else this.db.q('UPDATE user_tasks SET assignee = ? WHERE key = ?').run(assignee, key);
  }

  /** Sets the given columns (names from the caller's fixed list, never from input). */
  update(key: number, columns: string[], values: unknown[]): void {
    const before = this.db
      .q("SELECT candidate_groups, partition_value FROM user_tasks WHERE key = ? AND state = 'CREATED'")
      .get(key) as { candidate_groups: string; partition_value: string | null } | undefined;
    const groups = columns.indexOf('candidate_groups');
    if (before && groups >= 0) {
      this.counts.bump(before.candidate_groups, before.partition_value, -1);
      this.counts.bump(String(values[groups]), before.partition_value, 1);
    }
    this.db
      .q(`UPDATE user_tasks SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE key = ?`)
      .run(...values, key);
  }
}

// Process instances: the root of each instance's element tree, with its parent call activity.
import type { Db } from './db.ts';
import type { ProcessInstanceRow } from './rows.ts';

export interface NewProcessInstance {
  key: number;
  definitionKey: number;
  processId: string;
  version: number;
  startDate: number;
  parentProcessInstanceKey: number | null;
  parentElementInstanceKey: number | null;
  tenantId: string;
  tags?: string[];
}

export class ProcessInstanceState {
  constructor(private readonly db: Db) {}

  get(key: number): ProcessInstanceRow | undefined {
    return this.db.q('SELECT * FROM process_instances WHERE key = ?').get(key) as
      | ProcessInstanceRow
      | undefined;
  }

  insert(p: NewProcessInstance): void {
    this.db
      .q(
        `INSERT INTO process_instances (key, process_definition_key, process_id, version, state, start_date,
          parent_process_instance_key, parent_element_instance_key, tenant_id, tags)
          VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?)`,
      )
      .run(
        p.key,
        p.definitionKey,
        p.processId,
        p.version,
        p.startDate,
        p.parentProcessInstanceKey,
        p.parentElementInstanceKey,
        p.tenantId,
        p.tags?.length ? JSON.stringify(p.tags) : null,
      );
  }

  finish(key: number, state: 'COMPLETED' | 'TERMINATED', endDate: number): void {
    this.db.q('UPDATE process_instances SET state = ?, end_date = ? WHERE key = ?').run(state, endDate, key);
  }

  addIncident(key: number): void {
    this.db.q('UPDATE process_instances SET incident_count = incident_count + 1 WHERE key = ?').run(key);
  }

  removeIncident(key: number): void {
    this.db
      .q('UPDATE process_instances SET incident_count = MAX(incident_count - 1, 0) WHERE key = ?')
      .run(key);
  }

  /** Active instances called by a call activity's element instance. */
  activeCalledBy(elementInstanceKey: number): Array<{ key: number }> {
    return this.db
      .q("SELECT key FROM process_instances WHERE parent_element_instance_key = ? AND state = 'ACTIVE'")
      .all(elementInstanceKey) as Array<{ key: number }>;
  }
}

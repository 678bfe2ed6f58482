// Incidents: an element (or its job) that cannot go on until someone resolves the cause.
import type { Db } from './db.ts';
import type { IncidentRow } from './rows.ts';

export interface NewIncident {
  key: number;
  processInstanceKey: number;
  definitionKey: number;
  processId: string;
  elementId: string;
  elementInstanceKey: number;
  jobKey: number | null;
  errorType: string;
  errorMessage: string;
  created: number;
  tenantId: string;
}

export class IncidentState {
  constructor(private readonly db: Db) {}

  get(key: number): IncidentRow | undefined {
    return this.db.q('SELECT * FROM incidents WHERE key = ?').get(key) as IncidentRow | undefined;
  }

  insert(i: NewIncident): void {
    this.db
      .q(
        `INSERT INTO incidents (key, process_instance_key, process_definition_key, process_id, element_id,
          element_instance_key, job_key, error_type, error_message, state, created, tenant_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
      )
      .run(
        i.key,
        i.processInstanceKey,
        i.definitionKey,
        i.processId,
        i.elementId,
        i.elementInstanceKey,
        i.jobKey,
        i.errorType,
        i.errorMessage,
        i.created,
        i.tenantId,
      );
  }

  resolve(key: number, at: number): void {
    this.db.q("UPDATE incidents SET state = 'RESOLVED', resolved = ? WHERE key = ?").run(at, key);
  }

  activeForElement(elementInstanceKey: number): IncidentRow[] {
    return this.db
      .q("SELECT * FROM incidents WHERE element_instance_key = ? AND state = 'ACTIVE'")
      .all(elementInstanceKey) as IncidentRow[];
  }
}

// Element instances: one row per activated BPMN element (including the process itself and
// multi-instance bodies), with the scope tree through flow_scope_key.
import type { Db } from './db.ts';
import type { ElementInstanceRow } from './rows.ts';

// TERMINATING: a termination that waits (a user task's canceling listeners, or a scope waiting for such a child)
const ACTIVE_STATES = "('ACTIVATING','ACTIVATED','COMPLETING','TERMINATING')";

export interface NewElementInstance {
  key: number;
  processInstanceKey: number;
  definitionKey: number;
  elementId: string;
  type: string;
  flowScopeKey: number | null;
  startDate: number;
  data: string | null;
}

export class ElementInstanceState {
  constructor(private readonly db: Db) {}

  get(key: number): ElementInstanceRow | undefined {
    return this.db.q('SELECT * FROM element_instances WHERE key = ?').get(key) as
      | ElementInstanceRow
      | undefined;
  }

  flowScopeOf(key: number): { flow_scope_key: number | null } | undefined {
    return this.db.q('SELECT flow_scope_key FROM element_instances WHERE key = ?').get(key) as
      | { flow_scope_key: number | null }
      | undefined;
  }

  insert(e: NewElementInstance): void {
    this.db
      .q(
        `INSERT INTO element_instances (key, process_instance_key, process_definition_key, element_id, element_type,
          flow_scope_key, state, start_date, data) VALUES (?, ?, ?, ?, ?, ?, 'ACTIVATING', ?, ?)`,
      )
      .run(
        e.key,
        e.processInstanceKey,
        e.definitionKey,
        e.elementId,
        e.type,
        e.flowScopeKey,
        e.startDate,
        e.data,
      );
  }

  setData(key: number, json: string | null): void {
    this.db.q('UPDATE element_instances SET data = ? WHERE key = ?').run(json, key);
  }

  setState(key: number, state: string, endDate: number | null): void {
    this.db.q('UPDATE element_instances SET state = ?, end_date = ? WHERE key = ?').run(state, endDate, key);
  }

  setCompleting(key: number): void {
    this.db.q("UPDATE element_instances SET state = 'COMPLETING' WHERE key = ?").run(key);
  }

  setIncident(key: number, incidentKey: number): void {
    this.db.q('UPDATE element_instances SET incident_key = ? WHERE key = ?').run(incidentKey, key);
  }

  clearIncident(key: number, incidentKey: number): void {
    this.db
      .q('UPDATE element_instances SET incident_key = NULL WHERE key = ? AND incident_key = ?')
      .run(key, incidentKey);
  }

  activeChildren(scopeKey: number): ElementInstanceRow[] {
    return this.db
      .q(
        `SELECT * FROM element_instances WHERE flow_scope_key = ? AND state IN ${ACTIVE_STATES} ORDER BY key`,
      )
      .all(scopeKey) as ElementInstanceRow[];
  }

  countActiveChildren(scopeKey: number): number {
    return (
      this.db
        .q(
          `SELECT count(*) AS n FROM element_instances WHERE flow_scope_key = ? AND state IN ${ACTIVE_STATES}`,
        )
        .get(scopeKey) as { n: number }
    ).n;
  }
}

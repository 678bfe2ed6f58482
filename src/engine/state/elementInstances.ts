// Element instances: one row per activated BPMN element (including the process itself and
// multi-instance bodies), with the scope tree through flow_scope_key.
//
// Rows read or written by key are cached for the open transaction (issue 17: a timer's path read the same few
// rows about nine times): every write here goes to SQLite first, then to the cached row; a caller gets a copy,
// never the cached row, as each read used to return a row of its own. The cache is dropped on any rollback of a
// savepoint or of the transaction and when the transaction ends (Db.transaction), and whenever another module's
// statement writes element_instances (Db.q): no cached row outlives or contradicts what SQLite holds.
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
  /** Rows of the open transaction by key (never handed out). */
  private readonly rows = new Map<number, ElementInstanceRow>();

  constructor(private readonly db: Db) {
    db.onReset(() => this.rows.clear());
  }

  get(key: number): ElementInstanceRow | undefined {
    const row = this.row(key);
    return row ? { ...row } : undefined;
  }

  flowScopeOf(key: number): { flow_scope_key: number | null } | undefined {
    const row = this.row(key);
    return row ? { flow_scope_key: row.flow_scope_key } : undefined;
  }

  /** The cached row (read on a miss), or a row of its own outside a transaction. */
  private row(key: number): ElementInstanceRow | undefined {
    if (!this.db.caching) {
      if (this.rows.size > 0) this.rows.clear();
      return this.db.own('SELECT * FROM element_instances WHERE key = ?').get(key) as
        | ElementInstanceRow
        | undefined;
    }
    let row = this.rows.get(key);
    if (row) return row;
    row = this.db.own('SELECT * FROM element_instances WHERE key = ?').get(key) as
      | ElementInstanceRow
      | undefined;
    // keyed by the row's own (numeric) key, the one every write-through looks up: a key passed as a string is
    // read, not cached under a second name that no write would update
    if (row) this.rows.set(row.key, row);
    return row;
  }

  /** The cached row of `key`, if any, to write through. */
  private cached(key: number): ElementInstanceRow | undefined {
    return this.rows.size > 0 && this.db.caching ? this.rows.get(key) : undefined;
  }

  insert(e: NewElementInstance): void {
    this.db
      .own(
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
    if (!this.db.caching) return;
    this.rows.set(e.key, {
      key: e.key,
      process_instance_key: e.processInstanceKey,
      process_definition_key: e.definitionKey,
      element_id: e.elementId,
      element_type: e.type,
      flow_scope_key: e.flowScopeKey,
      state: 'ACTIVATING',
      start_date: e.startDate,
      end_date: null,
      incident_key: null,
      data: e.data,
    });
  }

  setData(key: number, json: string | null): void {
    this.db.own('UPDATE element_instances SET data = ? WHERE key = ?').run(json, key);
    const row = this.cached(key);
    if (row) row.data = json;
  }

  setState(key: number, state: ElementInstanceRow['state'], endDate: number | null): void {
    this.db
      .own('UPDATE element_instances SET state = ?, end_date = ? WHERE key = ?')
      .run(state, endDate, key);
    const row = this.cached(key);
    if (row) {
      row.state = state;
      row.end_date = endDate;
    }
  }

  setCompleting(key: number): void {
    this.db.own("UPDATE element_instances SET state = 'COMPLETING' WHERE key = ?").run(key);
    const row = this.cached(key);
    if (row) row.state = 'COMPLETING';
  }

  setIncident(key: number, incidentKey: number): void {
    this.db.own('UPDATE element_instances SET incident_key = ? WHERE key = ?').run(incidentKey, key);
    const row = this.cached(key);
    if (row) row.incident_key = incidentKey;
  }

  clearIncident(key: number, incidentKey: number): void {
    this.db
      .own('UPDATE element_instances SET incident_key = NULL WHERE key = ? AND incident_key = ?')
      .run(key, incidentKey);
    const row = this.cached(key);
    if (row?.incident_key === incidentKey) row.incident_key = null;
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

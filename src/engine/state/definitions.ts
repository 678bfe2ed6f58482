// Deployed process definitions, decisions and forms (read side used while instances run).
import type { Db } from './db.ts';
import type { ProcessDefinitionRow } from './rows.ts';

export interface DecisionRef {
  key: number;
  version: number;
  drgKey: number;
  drgId: string;
  name: string | null;
}

export class DefinitionState {
  constructor(private readonly db: Db) {}

  process(key: number): (ProcessDefinitionRow & { model: string }) | undefined {
    return this.db
      .q('SELECT key, process_id, version, name, tenant_id, model FROM process_definitions WHERE key = ?')
      .get(key) as (ProcessDefinitionRow & { model: string }) | undefined;
  }

  /** A deployed, not deleted, process definition. */
  processExists(key: number): boolean {
    return (
      this.db.q('SELECT key FROM process_definitions WHERE key = ? AND deleted = 0').get(key) !== undefined
    );
  }

  processKeyOf(processId: string, version: number): number | undefined {
    const row = this.db
      .q('SELECT key FROM process_definitions WHERE process_id = ? AND version = ? AND deleted = 0')
      .get(processId, version) as { key: number } | undefined;
    return row?.key;
  }

  latestProcessKey(processId: string): number | undefined {
    const row = this.db
      .q(
        'SELECT key FROM process_definitions WHERE process_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(processId) as { key: number } | undefined;
    return row?.key;
  }

  latestFormKey(formId: string): number | null {
    const row = this.db
      .q('SELECT key FROM forms WHERE form_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1')
      .get(formId) as { key: number } | undefined;
    return row?.key ?? null;
  }

  decisionModel(key: number): string | undefined {
    const row = this.db.q('SELECT model FROM decision_definitions WHERE key = ?').get(key) as
      | { model: string }
      | undefined;
    return row?.model;
  }

  latestDecision(decisionId: string): DecisionRef | undefined {
    return this.db
      .q(
        'SELECT key, version, drg_key AS drgKey, drg_id AS drgId, name FROM decision_definitions WHERE decision_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(decisionId) as DecisionRef | undefined;
  }

  decision(key: number): (DecisionRef & { decisionId: string }) | undefined {
    return this.db
      .q(
        'SELECT key, version, drg_key AS drgKey, drg_id AS drgId, name, decision_id AS decisionId FROM decision_definitions WHERE key = ?',
      )
      .get(key) as (DecisionRef & { decisionId: string }) | undefined;
  }

  /** A deployed decision a request may still name by key (not deleted). */
  liveDecision(key: number): (DecisionRef & { decisionId: string }) | undefined {
    return this.db
      .q(
        'SELECT key, version, drg_key AS drgKey, drg_id AS drgId, name, decision_id AS decisionId FROM decision_definitions WHERE key = ? AND deleted = 0',
      )
      .get(key) as (DecisionRef & { decisionId: string }) | undefined;
  }

  /** What a resource key names among the deployed resources still in the runtime. */
  liveResource(key: number): { kind: 'process' | 'drg' | 'form'; id: string } | undefined {
    const row = this.db
      .q(
        `SELECT 'process' AS kind, process_id AS id FROM process_definitions WHERE key = @key AND deleted = 0
         UNION ALL SELECT 'drg', drg_id FROM decision_requirements WHERE key = @key AND deleted = 0
         UNION ALL SELECT 'form', form_id FROM forms WHERE key = @key AND deleted = 0`,
      )
      .get({ key }) as { kind: 'process' | 'drg' | 'form'; id: string } | undefined;
    return row;
  }

  /** Marks a resource deleted: it leaves the runtime, its rows stay for the history that refers to them. */
  markDeleted(kind: 'process' | 'drg' | 'form', key: number): void {
    if (kind === 'process') this.db.q('UPDATE process_definitions SET deleted = 1 WHERE key = ?').run(key);
    if (kind === 'form') this.db.q('UPDATE forms SET deleted = 1 WHERE key = ?').run(key);
    if (kind === 'drg') {
      this.db.q('UPDATE decision_requirements SET deleted = 1 WHERE key = ?').run(key);
      this.db.q('UPDATE decision_definitions SET deleted = 1 WHERE drg_key = ?').run(key);
    }
  }

  /** Whether an instance of the definition is still running (active, with or without incidents). */
  hasRunningInstances(key: number): boolean {
    return (
      this.db
        .q("SELECT 1 FROM process_instances WHERE process_definition_key = ? AND state = 'ACTIVE' LIMIT 1")
        .get(key) !== undefined
    );
  }
}

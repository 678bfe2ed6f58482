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

  processExists(key: number): boolean {
    return this.db.q('SELECT key FROM process_definitions WHERE key = ?').get(key) !== undefined;
  }

  processKeyOf(processId: string, version: number): number | undefined {
    const row = this.db
      .q('SELECT key FROM process_definitions WHERE process_id = ? AND version = ?')
      .get(processId, version) as { key: number } | undefined;
    return row?.key;
  }

  latestProcessKey(processId: string): number | undefined {
    const row = this.db
      .q('SELECT key FROM process_definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1')
      .get(processId) as { key: number } | undefined;
    return row?.key;
  }

  latestFormKey(formId: string): number | null {
    const row = this.db
      .q('SELECT key FROM forms WHERE form_id = ? ORDER BY version DESC LIMIT 1')
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
        'SELECT key, version, drg_key AS drgKey, drg_id AS drgId, name FROM decision_definitions WHERE decision_id = ? ORDER BY version DESC LIMIT 1',
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
}

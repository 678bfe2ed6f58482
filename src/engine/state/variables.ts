// Variables: JSON values per scope (element instance) and name.
import type { Db } from './db.ts';
import type { UserTaskCounts } from './userTaskCounts.ts';

export class VariableState {
  constructor(
    private readonly db: Db,
    private readonly counts: UserTaskCounts,
  ) {}

  local(scopeKey: number): Array<{ name: string; value: string }> {
    return this.db.q('SELECT name, value FROM variables WHERE scope_key = ?').all(scopeKey) as Array<{
      name: string;
      value: string;
    }>;
  }

  find(scopeKey: number, name: string): { key: number; value: string } | undefined {
    return this.db
      .q('SELECT key, value FROM variables WHERE scope_key = ? AND name = ?')
      .get(scopeKey, name) as { key: number; value: string } | undefined;
  }

  has(scopeKey: number, name: string): boolean {
    return (
      this.db.q('SELECT 1 FROM variables WHERE scope_key = ? AND name = ?').get(scopeKey, name) !== undefined
    );
  }

  update(key: number, json: string): void {
    const v = this.db
      .q('UPDATE variables SET value = ? WHERE key = ? RETURNING scope_key, name, process_instance_key')
      .get(json, key) as { scope_key: number; name: string; process_instance_key: number } | undefined;
    if (v) this.counts.variableSet(v.scope_key, v.name, v.process_instance_key, json);
  }

  insert(
    key: number,
    scopeKey: number,
    name: string,
    json: string,
    processInstanceKey: number,
    tenantId: string,
  ): void {
    this.db
      .q(
        'INSERT INTO variables (key, scope_key, name, value, process_instance_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(key, scopeKey, name, json, processInstanceKey, tenantId);
    this.counts.variableSet(scopeKey, name, processInstanceKey, json);
  }
}

// What bindingType resolves against (Zeebe's getProcessByProcessIdAndDeploymentKey / …AndVersionTag): the
// definitions each deployment contained — unchanged ones included, as Zeebe keeps them — and version tags.
import type { Db } from './db.ts';

export type ContentKind = 'process' | 'decision' | 'form';

const TABLES = {
  process: ['process_definitions', 'process_id'],
  decision: ['decision_definitions', 'decision_id'],
  form: ['forms', 'form_id'],
} as const;

export class BindingState {
  constructor(private readonly db: Db) {}

  /** Records that a deployment contained a definition (a new version or an unchanged one). */
  contained(deploymentKey: number, kind: ContentKind, resourceId: string, definitionKey: number): void {
    this.db
      .q(
        `INSERT OR REPLACE INTO deployment_contents (deployment_key, kind, resource_id, definition_key)
          VALUES (?, ?, ?, ?)`,
      )
      .run(deploymentKey, kind, resourceId, definitionKey);
  }

  /** The deployment a process definition was deployed with. */
  deploymentOf(processDefinitionKey: number): number | undefined {
    const row = this.db
      .q('SELECT deployment_key AS k FROM process_definitions WHERE key = ?')
      .get(processDefinitionKey) as { k: number } | undefined;
    return row?.k;
  }

  /** The definition of that id the deployment contained (a deployment before this table: the versions it created). */
  inDeployment(deploymentKey: number, kind: ContentKind, resourceId: string): number | undefined {
    const row = this.db
      .q(
        'SELECT definition_key AS k FROM deployment_contents WHERE deployment_key = ? AND kind = ? AND resource_id = ?',
      )
      .get(deploymentKey, kind, resourceId) as { k: number } | undefined;
    const [table, id] = TABLES[kind];
    if (row) {
      // a deleted resource is no longer bound (Zeebe: the call or evaluation finds nothing and raises an incident)
      const live = this.db.q(`SELECT key FROM ${table} WHERE key = ? AND deleted = 0`).get(row.k);
      return live ? row.k : undefined;
    }
    const created = this.db
      .q(`SELECT key AS k FROM ${table} WHERE deployment_key = ? AND ${id} = ? AND deleted = 0`)
      .get(deploymentKey, resourceId) as { k: number } | undefined;
    return created?.k;
  }

  /** The latest version of a form whose JSON carries the version tag (Camunda forms' `versionTag`). */
  formWithVersionTag(formId: string, versionTag: string): number | undefined {
    const rows = this.db
      .q('SELECT key, content FROM forms WHERE form_id = ? AND deleted = 0 ORDER BY version DESC')
      .all(formId) as Array<{ key: number; content: string }>;
    for (const r of rows) {
      try {
        if ((JSON.parse(r.content) as { versionTag?: unknown }).versionTag === versionTag) return r.key;
      } catch {
        // a deployed form is valid JSON; nothing to match otherwise
      }
    }
    return undefined;
  }

  tagDecision(decisionKey: number, decisionId: string, versionTag: string): void {
    this.db
      .q('INSERT INTO decision_version_tags (decision_key, decision_id, version_tag) VALUES (?, ?, ?)')
      .run(decisionKey, decisionId, versionTag);
  }

  /** The latest version of a decision with the version tag. */
  decisionWithVersionTag(decisionId: string, versionTag: string): number | undefined {
    const row = this.db
      .q(
        `SELECT t.decision_key AS k FROM decision_version_tags t JOIN decision_definitions d ON d.key = t.decision_key
          WHERE t.decision_id = ? AND t.version_tag = ? AND d.deleted = 0 ORDER BY d.version DESC LIMIT 1`,
      )
      .get(decisionId, versionTag) as { k: number } | undefined;
    return row?.k;
  }

  /** The latest version of a process with the version tag. */
  processWithVersionTag(processId: string, versionTag: string): number | undefined {
    const row = this.db
      .q(
        'SELECT key AS k FROM process_definitions WHERE process_id = ? AND version_tag = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(processId, versionTag) as { k: number } | undefined;
    return row?.k;
  }
}

// Deployments and what they bring: resources, process definitions (with their start events'
// subscriptions), decision requirements and decisions, forms.
import type { Db } from './db.ts';

export interface Versioned {
  key: number;
  version: number;
  checksum: string;
}

export interface NewProcessDefinition {
  key: number;
  processId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  resourceKey: number;
  resourceName: string;
  deploymentKey: number;
  checksum: string;
  model: string;
  tenantId: string;
}

export interface NewDecision {
  key: number;
  decisionId: string;
  version: number;
  name: string | null;
  drgKey: number;
  drgId: string;
  deploymentKey: number;
  tenantId: string;
  model: string;
}

const VERSIONED = {
  process: ['process_definitions', 'process_id'],
  drg: ['decision_requirements', 'drg_id'],
  form: ['forms', 'form_id'],
} as const;

export class DeploymentState {
  constructor(private readonly db: Db) {}

  insertDeployment(key: number, created: number, tenantId: string): void {
    this.db
      .q('INSERT INTO deployments (key, created, tenant_id) VALUES (?, ?, ?)')
      .run(key, created, tenantId);
  }

  insertResource(
    key: number,
    deploymentKey: number,
    name: string,
    kind: string,
    checksum: string,
    content: string,
  ) {
    this.db
      .q(
        'INSERT INTO resources (key, deployment_key, name, kind, checksum, content) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(key, deploymentKey, name, kind, checksum, content);
  }

  latestProcess(processId: string): Versioned | undefined {
    return this.db
      .q(
        'SELECT key, version, checksum FROM process_definitions WHERE process_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(processId) as Versioned | undefined;
  }

  insertProcess(p: NewProcessDefinition): void {
    this.db
      .q(
        `INSERT INTO process_definitions (key, process_id, version, name, version_tag, resource_key, resource_name,
              deployment_key, checksum, model, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.key,
        p.processId,
        p.version,
        p.name,
        p.versionTag,
        p.resourceKey,
        p.resourceName,
        p.deploymentKey,
        p.checksum,
        p.model,
        p.tenantId,
      );
  }

  /** The previous version's timer start events (not held by any element instance). */
  deleteStartTimers(definitionKey: number): void {
    this.db
      .q('DELETE FROM timers WHERE process_definition_key = ? AND element_instance_key IS NULL')
      .run(definitionKey);
  }

  deleteMessageStartSubscriptions(definitionKey: number): void {
    this.db.q('DELETE FROM message_start_subscriptions WHERE process_definition_key = ?').run(definitionKey);
  }

  insertMessageStartSubscription(
    definitionKey: number,
    processId: string,
    elementId: string,
    name: string,
  ): void {
    this.db
      .q(
        'INSERT INTO message_start_subscriptions (process_definition_key, process_id, element_id, message_name) VALUES (?, ?, ?, ?)',
      )
      .run(definitionKey, processId, elementId, name);
  }

  /**
   * The number a new version of a resource gets: one past every version ever deployed, deleted ones included
   * (Zeebe does not reuse a deleted version's number).
   */
  nextVersion(kind: 'process' | 'drg' | 'form', id: string): number {
    const [table, column] = VERSIONED[kind];
    const row = this.db.q(`SELECT MAX(version) AS v FROM ${table} WHERE ${column} = ?`).get(id) as {
      v: number | null;
    };
    return (row.v ?? 0) + 1;
  }

  latestDecisionRequirements(drgId: string): Versioned | undefined {
    return this.db
      .q(
        'SELECT key, version, checksum FROM decision_requirements WHERE drg_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(drgId) as Versioned | undefined;
  }

  decisionsOf(
    drgKey: number,
  ): Array<{ key: number; decision_id: string; version: number; name: string | null }> {
    return this.db
      .q('SELECT key, decision_id, version, name FROM decision_definitions WHERE drg_key = ?')
      .all(drgKey) as Array<{ key: number; decision_id: string; version: number; name: string | null }>;
  }

  insertDecisionRequirements(
    key: number,
    drgId: string,
    version: number,
    name: string | null,
    resourceKey: number,
    resourceName: string,
    deploymentKey: number,
    checksum: string,
    tenantId: string,
  ): void {
    this.db
      .q(
        `INSERT INTO decision_requirements (key, drg_id, version, name, resource_key, resource_name, deployment_key, checksum, tenant_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key, drgId, version, name, resourceKey, resourceName, deploymentKey, checksum, tenantId);
  }

  latestDecisionVersion(decisionId: string): number | undefined {
    const row = this.db
      .q('SELECT version FROM decision_definitions WHERE decision_id = ? ORDER BY version DESC LIMIT 1')
      .get(decisionId) as { version: number } | undefined;
    return row?.version;
  }

  insertDecision(d: NewDecision): void {
    this.db
      .q(
        `INSERT INTO decision_definitions (key, decision_id, version, name, drg_key, drg_id, deployment_key, tenant_id, model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.key, d.decisionId, d.version, d.name, d.drgKey, d.drgId, d.deploymentKey, d.tenantId, d.model);
  }

  latestForm(formId: string): Versioned | undefined {
    return this.db
      .q(
        'SELECT key, version, checksum FROM forms WHERE form_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1',
      )
      .get(formId) as Versioned | undefined;
  }

  insertForm(
    key: number,
    formId: string,
    version: number,
    resourceName: string,
    deploymentKey: number,
    checksum: string,
    content: string,
    tenantId: string,
  ): void {
    this.db
      .q(
        `INSERT INTO forms (key, form_id, version, resource_name, deployment_key, checksum, content, tenant_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key, formId, version, resourceName, deploymentKey, checksum, content, tenantId);
  }
}

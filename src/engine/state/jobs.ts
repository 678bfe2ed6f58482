// Jobs: work items for job workers, with their lease (deadline), retries and back-off.
import type { Db } from './db.ts';
import type { JobRow } from './rows.ts';

/** Jobs are alive (can be worked on) until completed, cancelled, or their error was thrown. */
const LIVE = "state IN ('CREATED','ACTIVATED','FAILED','TIMED_OUT','RETRIES_UPDATED')";

export interface NewJob {
  key: number;
  type: string;
  retries: number;
  now: number;
  customHeaders: string;
  processInstanceKey: number;
  elementInstanceKey: number;
  elementId: string;
  definitionKey: number;
  processId: string;
  version: number;
  tenantId: string;
  /** BPMN_ELEMENT (default) or EXECUTION_LISTENER. */
  kind?: string;
  /** START or END for a listener's job, UNSPECIFIED otherwise. */
  listenerEventType?: string;
}

type JobRef = Pick<JobRow, 'key' | 'type' | 'process_instance_key' | 'element_id'>;

export class JobState {
  constructor(private readonly db: Db) {}

  get(key: number): JobRow | undefined {
    return this.db.q('SELECT * FROM jobs WHERE key = ?').get(key) as JobRow | undefined;
  }

  insert(j: NewJob): void {
    this.db
      .q(
        `INSERT INTO jobs (key, type, state, retries, activatable_at, custom_headers, process_instance_key,
          element_instance_key, element_id, process_definition_key, process_id, version, kind, created, tenant_id,
          listener_event_type)
         VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        j.key,
        j.type,
        j.retries,
        j.now,
        j.customHeaders,
        j.processInstanceKey,
        j.elementInstanceKey,
        j.elementId,
        j.definitionKey,
        j.processId,
        j.version,
        j.kind ?? 'BPMN_ELEMENT',
        j.now,
        j.tenantId,
        j.listenerEventType ?? 'UNSPECIFIED',
      );
  }

  openForElement(elementInstanceKey: number): Array<{ key: number; type: string }> {
    return this.db
      .q('SELECT key, type FROM jobs WHERE element_instance_key = ? AND ended IS NULL')
      .all(elementInstanceKey) as Array<{ key: number; type: string }>;
  }

  cancel(key: number, at: number): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'CANCELED', activatable_at = NULL, deadline = NULL, ended = ? WHERE key = ?",
      )
      .run(at, key);
  }

  activatable(type: string, now: number, limit: number): JobRow[] {
    return this.db
      .q(
        `SELECT * FROM jobs WHERE type = ? AND activatable_at IS NOT NULL AND activatable_at <= ? AND ${LIVE} ORDER BY key LIMIT ?`,
      )
      .all(type, now, limit) as JobRow[];
  }

  activate(key: number, worker: string, deadline: number): void {
    this.db
      .q("UPDATE jobs SET state = 'ACTIVATED', worker = ?, deadline = ?, activatable_at = NULL WHERE key = ?")
      .run(worker, deadline, key);
  }

  leasesExpired(now: number, type?: string): JobRef[] {
    return (
      type
        ? this.db
            .q(
              "SELECT key, type, process_instance_key, element_id FROM jobs WHERE deadline <= ? AND state = 'ACTIVATED' AND type = ?",
            )
            .all(now, type)
        : this.db
            .q(
              "SELECT key, type, process_instance_key, element_id FROM jobs WHERE deadline <= ? AND state = 'ACTIVATED'",
            )
            .all(now)
    ) as JobRef[];
  }

  timeOut(key: number, now: number): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'TIMED_OUT', deadline = NULL, worker = NULL, activatable_at = ? WHERE key = ?",
      )
      .run(now, key);
  }

  complete(key: number, now: number): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'COMPLETED', activatable_at = NULL, deadline = NULL, ended = ? WHERE key = ?",
      )
      .run(now, key);
  }

  fail(key: number, retries: number, errorMessage: string | null, activatableAt: number | null): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'FAILED', retries = ?, error_message = ?, worker = NULL, deadline = NULL, activatable_at = ? WHERE key = ?",
      )
      .run(retries, errorMessage, activatableAt, key);
  }

  errorThrown(key: number, errorCode: string, errorMessage: string | null, now: number): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'ERROR_THROWN', error_code = ?, error_message = ?, activatable_at = NULL, deadline = NULL, ended = ? WHERE key = ?",
      )
      .run(errorCode, errorMessage, now, key);
  }

  setRetries(key: number, retries: number): void {
    this.db.q('UPDATE jobs SET retries = ? WHERE key = ?').run(retries, key);
  }

  setDeadline(key: number, deadline: number): void {
    this.db.q('UPDATE jobs SET deadline = ? WHERE key = ?').run(deadline, key);
  }

  /** A job whose incident was resolved can be activated again. */
  reopen(key: number, now: number): void {
    this.db
      .q(
        "UPDATE jobs SET state = 'CREATED', ended = NULL, activatable_at = ?, error_code = NULL WHERE key = ?",
      )
      .run(now, key);
  }

  /** Types of jobs whose retry back-off ended in (after, upTo]. */
  typesActivatableBetween(after: number, upTo: number): string[] {
    const rows = this.db
      .q(
        'SELECT DISTINCT type FROM jobs WHERE activatable_at IS NOT NULL AND activatable_at > ? AND activatable_at <= ?',
      )
      .all(after, upTo) as Array<{ type: string }>;
    return rows.map((r) => r.type);
  }

  earliestDeadline(): number | null {
    return (
      this.db.q('SELECT min(deadline) AS t FROM jobs WHERE deadline IS NOT NULL').get() as {
        t: number | null;
      }
    ).t;
  }

  earliestActivatableAfter(now: number): number | null {
    return (
      this.db.q('SELECT min(activatable_at) AS t FROM jobs WHERE activatable_at > ?').get(now) as {
        t: number | null;
      }
    ).t;
  }
}

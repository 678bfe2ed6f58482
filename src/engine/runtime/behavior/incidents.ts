// Zeebe's BpmnIncidentBehavior: a step that cannot go on is rolled back and raises an incident.
import { FeelError } from '../../feel/index.ts';
import type { ElementInstanceRow, IncidentRow } from '../../state/rows.ts';
import { type Runtime, TENANT } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';

function isIncidentCause(e: unknown): boolean {
  return e instanceof IncidentError || e instanceof FeelError || (e as Error)?.name === 'TimerError';
}

export class IncidentBehavior {
  private readonly savepoint: (fn: () => void) => void;

  constructor(private readonly rt: Runtime) {
    this.savepoint = rt.db.transaction();
  }

  /** Runs one step of an element; a failure rolls the step back and raises an incident instead. */
  attempt(tx: Tx, ei: ElementInstanceRow, step: () => void, jobKey: number | null = null): boolean {
    const queued = tx.queue.length;
    const records = tx.records.length;
    const after = tx.afterCommit.length;
    try {
      this.savepoint(step);
      return true;
    } catch (e) {
      if (!isIncidentCause(e)) throw e;
      tx.queue.length = queued;
      tx.records.length = records;
      tx.afterCommit.length = after;
      const errorType = e instanceof IncidentError ? e.errorType : 'EXTRACT_VALUE_ERROR';
      if (e instanceof IncidentError) e.afterRollback?.(tx);
      this.createIncident(tx, ei, errorType, (e as Error).message, jobKey);
      return false;
    }
  }

  createIncident(
    tx: Tx,
    ei: ElementInstanceRow,
    errorType: string,
    message: string,
    jobKey: number | null,
  ): number {
    const key = this.rt.key();
    const def = this.rt.definition(ei.process_definition_key);
    this.rt.state.incidents.insert({
      key,
      processInstanceKey: ei.process_instance_key,
      definitionKey: ei.process_definition_key,
      processId: def.processId,
      elementId: ei.element_id,
      elementInstanceKey: ei.key,
      jobKey,
      errorType,
      errorMessage: message,
      created: tx.now,
      tenantId: TENANT,
    });
    this.rt.state.elementInstances.setIncident(ei.key, key);
    this.rt.state.processInstances.addIncident(ei.process_instance_key);
    tx.record('INCIDENT', 'CREATED', key, ei.process_instance_key, ei.element_id, {
      errorType,
      errorMessage: message,
      elementInstanceKey: ei.key,
      jobKey,
    });
    this.rt.log.warn(
      { processInstanceKey: ei.process_instance_key, elementId: ei.element_id, errorType, incidentKey: key },
      `incident: ${message}`,
    );
    return key;
  }

  markIncidentResolved(tx: Tx, incident: IncidentRow): void {
    this.rt.state.incidents.resolve(incident.key, tx.now);
    this.rt.state.elementInstances.clearIncident(incident.element_instance_key, incident.key);
    this.rt.state.processInstances.removeIncident(incident.process_instance_key);
    tx.record('INCIDENT', 'RESOLVED', incident.key, incident.process_instance_key, incident.element_id, {
      errorType: incident.error_type,
    });
  }

  /** Resolves the incidents of an element instance that is going away. */
  resolveAllOf(tx: Tx, elementInstanceKey: number): void {
    for (const inc of this.rt.state.incidents.activeForElement(elementInstanceKey))
      this.markIncidentResolved(tx, inc);
  }
}

// Resolving an incident retries the step where the element stopped: a job with retries becomes
// activatable again; an element stuck while activating or completing runs that step again.
import { invalidState, notFound } from '../errors.ts';
import { LISTENER_INCIDENT } from '../runtime/behavior/listeners.ts';
import { TASK_LISTENER_INCIDENT } from '../runtime/behavior/task-listeners.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';

export function resolveIncident(tx: Tx, it: Interpreter, key: number): void {
  const incident = it.state.incidents.get(key);
  if (incident?.state !== 'ACTIVE') {
    throw notFound(`Expected to resolve incident with key '${key}', but no such incident was found`);
  }
  if (incident.job_key !== null) {
    const job = it.job(incident.job_key);
    const noRetries = [
      'JOB_NO_RETRIES',
      'AD_HOC_SUB_PROCESS_NO_RETRIES',
      LISTENER_INCIDENT,
      TASK_LISTENER_INCIDENT,
    ].includes(incident.error_type);
    if (job && noRetries && job.retries <= 0) {
      throw invalidState(
        `Expected to resolve incident with key '${key}', but job with key '${job.key}' has no retries left; update the job's retries first`,
      );
    }
    it.markIncidentResolved(tx, incident);
    if (job && (job.ended === null || job.state === 'ERROR_THROWN')) {
      // a job with retries (or whose thrown error was not caught) can be activated again
      it.state.jobs.reopen(job.key, tx.now);
      tx.jobTypes.add(job.type);
    }
    return;
  }
  it.markIncidentResolved(tx, incident);
  const ei = it.ei(incident.element_instance_key);
  if (ei) it.retryElement(tx, ei);
}

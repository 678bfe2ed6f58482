// Job commands: activate (with a lease), complete, fail (retries, back-off, incident at zero),
// throw a BPMN error, update retries / timeout; and lease expiry driven by the scheduler.
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import { LISTENER_INCIDENT, LISTENER_JOB_KIND } from '../runtime/behavior/listeners.ts';
import {
  TASK_LISTENER_INCIDENT,
  TASK_LISTENER_JOB_KIND,
  type TaskListenerResult,
  userTaskProperties,
} from '../runtime/behavior/task-listeners.ts';
import { AD_HOC_JOB_KIND } from '../runtime/bpmn/container/adHocSubProcess.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { JobRow } from '../state/rows.ts';
import { adHocJobCompleted, checkAdHocJobResult } from './adhoc.ts';

export type { TaskListenerResult };

export interface ActivateJobsRequest {
  type: string;
  worker?: string;
  maxJobsToActivate: number;
  /** Lease in milliseconds. */
  timeout: number;
  fetchVariable?: string[];
}

export interface ActivatedJob {
  type: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  elementId: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  deadline: number;
  variables: Record<string, unknown>;
  tenantId: string;
  jobKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementInstanceKey: string;
  kind: string;
  listenerEventType: string;
  /** A task listener's job: the user task as its listeners see it (Camunda 8.8's UserTaskProperties). */
  userTask?: Record<string, unknown>;
}

function liveJob(it: Interpreter, key: number, action: string): JobRow {
  const job = it.job(key);
  if (!job || job.ended !== null) {
    throw notFound(`Expected to ${action} job with key '${key}', but no such job was found`);
  }
  return job;
}

export function activateJobs(tx: Tx, it: Interpreter, req: ActivateJobsRequest): ActivatedJob[] {
  if (!req.type) throw invalidArgument('Expected a job type, but it was empty');
  if (!(req.maxJobsToActivate > 0)) throw invalidArgument('Expected maxJobsToActivate to be greater than 0');
  if (!(req.timeout > 0)) throw invalidArgument('Expected timeout to be greater than 0');
  expireLeases(tx, it, req.type);
  const rows = it.state.jobs.activatable(req.type, tx.now, req.maxJobsToActivate);
  const worker = req.worker ?? '';
  const deadline = tx.now + req.timeout;
  const jobs: ActivatedJob[] = [];
  for (const job of rows) {
    it.state.jobs.activate(job.key, worker, deadline);
    tx.record('JOB', 'ACTIVATED', job.key, job.process_instance_key, job.element_id, { worker, deadline });
    let variables = it.context(job.element_instance_key);
    if (req.fetchVariable && req.fetchVariable.length > 0) {
      const picked: Record<string, unknown> = {};
      for (const name of req.fetchVariable) if (name in variables) picked[name] = variables[name];
      variables = picked;
    }
    const customHeaders = JSON.parse(job.custom_headers) as Record<string, string>;
    jobs.push({
      type: job.type,
      processDefinitionId: job.process_id,
      processDefinitionVersion: job.version,
      elementId: job.element_id,
      customHeaders,
      worker,
      retries: job.retries,
      deadline,
      variables,
      tenantId: TENANT,
      jobKey: String(job.key),
      processInstanceKey: String(job.process_instance_key),
      processDefinitionKey: String(job.process_definition_key),
      elementInstanceKey: String(job.element_instance_key),
      kind: job.kind,
      listenerEventType: job.listener_event_type,
      ...(job.kind === TASK_LISTENER_JOB_KIND ? { userTask: userTaskProperties(customHeaders) } : {}),
    });
  }
  if (rows.length > 0) tx.wakeAt(deadline);
  return jobs;
}

/** Leases that ran out make their jobs activatable again. Returns the job types concerned. */
export function expireLeases(tx: Tx, it: Interpreter, type?: string): void {
  for (const job of it.state.jobs.leasesExpired(tx.now, type)) {
    it.state.jobs.timeOut(job.key, tx.now);
    tx.record('JOB', 'TIMED_OUT', job.key, job.process_instance_key, job.element_id, null);
    tx.jobTypes.add(job.type);
  }
}

export function completeJob(
  tx: Tx,
  it: Interpreter,
  key: number,
  variables: Record<string, unknown> = {},
  result?: TaskListenerResult,
): void {
  const job = liveJob(it, key, 'complete');
  if (job.state === 'FAILED' && job.retries <= 0) {
    throw invalidState(
      `Expected to complete job with key '${key}', but it has failed with no retries left (incident)`,
    );
  }
  if (result?.adHocSubProcess && job.kind !== AD_HOC_JOB_KIND)
    throw invalidArgument(
      `Expected to complete job with key '${key}' with a result of type adHocSubProcess, but it is a job of kind '${job.kind}'`,
    );
  if (job.kind === TASK_LISTENER_JOB_KIND) it.taskListeners.checkCompletion(job, variables ?? {}, result);
  if (job.kind === AD_HOC_JOB_KIND) checkAdHocJobResult(it, job, result?.adHocSubProcess);
  it.state.jobs.complete(key, tx.now);
  tx.record('JOB', 'COMPLETED', key, job.process_instance_key, job.element_id, null);
  if (job.kind === AD_HOC_JOB_KIND) {
    adHocJobCompleted(tx, it, job, variables ?? {}, result?.adHocSubProcess);
    return;
  }
  if (job.kind === TASK_LISTENER_JOB_KIND) {
    it.taskListeners.jobCompleted(tx, job, result);
    return;
  }
  if (job.kind === LISTENER_JOB_KIND) {
    it.listeners.jobCompleted(tx, job, variables ?? {});
    return;
  }
  const ei = it.ei(job.element_instance_key);
  if (ei?.state !== 'ACTIVATED') return;
  it.applyCompletionVariables(tx, ei, variables);
  tx.follow('COMPLETE', ei.key);
}

export interface FailJobRequest {
  retries: number;
  errorMessage?: string;
  /** Milliseconds before the job can be activated again. */
  retryBackOff?: number;
  variables?: Record<string, unknown>;
}

/**
 * Zeebe fails a job that is ACTIVATED or ACTIVATABLE: a timed-out lease, retries updated, or a failure
 * whose back-off has passed; not one in its back-off or failed with no retries left (an incident):
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/fail-job/ (409).
 */
function isActivatedOrActivatable(job: JobRow, now: number): boolean {
  if (job.state !== 'FAILED') return true;
  return job.retries > 0 && job.activatable_at !== null && job.activatable_at <= now;
}

export function failJob(tx: Tx, it: Interpreter, key: number, req: FailJobRequest): void {
  const job = liveJob(it, key, 'fail');
  if (!isActivatedOrActivatable(job, tx.now)) {
    throw invalidState(
      `Expected to fail job with key '${key}', but it is in state '${job.state}' (not activated or activatable)`,
    );
  }
  const retries = Math.max(0, Math.trunc(req.retries ?? 0));
  const backoff = Math.max(0, req.retryBackOff ?? 0);
  const activatableAt = retries > 0 ? tx.now + backoff : null;
  it.state.jobs.fail(key, retries, req.errorMessage ?? null, activatableAt);
  tx.record('JOB', 'FAILED', key, job.process_instance_key, job.element_id, {
    retries,
    errorMessage: req.errorMessage ?? null,
    retryBackOff: backoff,
  });
  const ei = it.ei(job.element_instance_key);
  if (ei && req.variables && Object.keys(req.variables).length > 0) {
    for (const [name, value] of Object.entries(req.variables))
      it.setLocal(tx, ei.key, ei.process_instance_key, name, value);
  }
  if (retries > 0) {
    if (backoff > 0) tx.wakeAt(activatableAt!);
    else tx.jobTypes.add(job.type);
    return;
  }
  // https://docs.camunda.io/docs/components/concepts/execution-listeners/#job-execution-failure
  // https://docs.camunda.io/docs/components/concepts/user-task-listeners/ (a failed task listener job)
  const errorType =
    job.kind === LISTENER_JOB_KIND
      ? LISTENER_INCIDENT
      : job.kind === TASK_LISTENER_JOB_KIND
        ? TASK_LISTENER_INCIDENT
        : job.kind === AD_HOC_JOB_KIND
          ? 'AD_HOC_SUB_PROCESS_NO_RETRIES'
          : 'JOB_NO_RETRIES';
  if (ei) it.createIncident(tx, ei, errorType, req.errorMessage || 'No more retries left.', key);
}

export interface ThrowErrorRequest {
  errorCode: string;
  errorMessage?: string;
  variables?: Record<string, unknown>;
}

export function throwJobError(tx: Tx, it: Interpreter, key: number, req: ThrowErrorRequest): void {
  if (!req.errorCode) throw invalidArgument('Expected an error code, but it was empty');
  const job = liveJob(it, key, 'throw an error for');
  // https://docs.camunda.io/docs/components/concepts/execution-listeners/#limitations (Zeebe's JobThrowErrorProcessor);
  // task listener jobs too since camunda/camunda#36051 (8.8: only jobs of kind BPMN_ELEMENT may throw)
  if (job.kind === LISTENER_JOB_KIND || job.kind === TASK_LISTENER_JOB_KIND) {
    throw invalidState(
      `Cannot throw BPMN error from ${job.kind} job with key '${key}', type '${job.type}' and processInstanceKey '${job.process_instance_key}'`,
    );
  }
  it.state.jobs.errorThrown(key, req.errorCode, req.errorMessage ?? null, tx.now);
  tx.record('JOB', 'ERROR_THROWN', key, job.process_instance_key, job.element_id, {
    errorCode: req.errorCode,
    errorMessage: req.errorMessage ?? null,
  });
  const ei = it.ei(job.element_instance_key);
  if (ei?.state !== 'ACTIVATED') return;
  it.attempt(
    tx,
    ei,
    () => it.throwError(tx, ei, req.errorCode, req.errorMessage ?? '', req.variables ?? null),
    key,
  );
}

export interface UpdateJobRequest {
  retries?: number;
  /** New lease in milliseconds from now. */
  timeout?: number;
}

export function updateJob(tx: Tx, it: Interpreter, key: number, req: UpdateJobRequest): void {
  const job = it.job(key);
  if (!job || (job.ended !== null && job.state !== 'ERROR_THROWN')) {
    throw notFound(`Expected to update job with key '${key}', but no such job was found`);
  }
  if (req.retries !== undefined) {
    if (!(req.retries >= 1))
      throw invalidArgument(`Expected retries to be at least 1, but was ${req.retries}`);
    it.state.jobs.setRetries(key, Math.trunc(req.retries));
    tx.record('JOB', 'RETRIES_UPDATED', key, job.process_instance_key, job.element_id, {
      retries: req.retries,
    });
  }
  if (req.timeout !== undefined) {
    if (job.state !== 'ACTIVATED')
      throw invalidState(`Expected to update the timeout of job '${key}', but it is not activated`);
    it.state.jobs.setDeadline(key, tx.now + req.timeout);
    tx.record('JOB', 'TIMEOUT_UPDATED', key, job.process_instance_key, job.element_id, {
      timeout: req.timeout,
    });
    tx.wakeAt(tx.now + req.timeout);
  }
}

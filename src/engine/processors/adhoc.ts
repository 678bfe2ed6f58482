// POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation (Camunda 8.8's
// activateAdHocSubProcessActivities), with the refusals of Zeebe's AdHocSubProcessInstructionActivateProcessor
// worded as it words them: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-ad-hoc-sub-process-activities/
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import type { AdHocJobResult } from '../runtime/behavior/task-listeners.ts';
import {
  activateAdHocElement,
  completionConditionFulfilled,
} from '../runtime/bpmn/container/adHocSubProcess.ts';
import type { Interpreter, Logger } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { ElementInstanceRow, JobRow } from '../state/rows.ts';

export interface AdHocActivationRequest {
  elements: Array<{ elementId: string; variables?: Record<string, unknown> }>;
  /** Accepted as 8.8's body has it; Zeebe's activate processor does not read it (the sub-process's own setting applies). */
  cancelRemainingInstances?: boolean;
}

export function activateAdHocActivities(
  tx: Tx,
  it: Interpreter,
  key: number,
  req: AdHocActivationRequest,
): void {
  const ei = it.ei(key);
  if (ei?.element_type !== 'AD_HOC_SUB_PROCESS' || ei.state === 'COMPLETED' || ei.state === 'TERMINATED')
    throw notFound(
      `Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process instance found with key '${key}'.`,
    );
  if (ei.state !== 'ACTIVATED')
    throw invalidState(
      `Expected to activate activities for ad-hoc sub-process with key '${key}', but it is not active.`,
    );
  const ids = req.elements.map((e) => e.elementId);
  if (new Set(ids).size !== ids.length)
    throw invalidArgument(
      `Expected to activate activities for ad-hoc sub-process with key '${key}', but duplicate activities were given.`,
    );
  checkActivatable(it, ei, ids);
  for (const e of req.elements) activateAdHocElement(it, tx, ei, e.elementId, e.variables ?? null);
  tx.record('AD_HOC_SUB_PROCESS_INSTRUCTION', 'ACTIVATED', key, ei.process_instance_key, ei.element_id, {
    elements: ids,
  });
}

/** The engine's face for the activation (as BatchOperations, it runs each command in a transaction of its own). */
export class AdHocActivities {
  constructor(private readonly deps: { it: Interpreter; log: Logger; run: <T>(fn: (tx: Tx) => T) => T }) {}

  activate(key: number, req: AdHocActivationRequest): void {
    this.deps.run((tx) => activateAdHocActivities(tx, this.deps.it, key, req));
  }
}

function checkActivatable(it: Interpreter, ei: ElementInstanceRow, ids: string[]): void {
  const activatable = it.element(ei).adHoc!.activatable;
  const missing = ids.filter((id) => !activatable.includes(id));
  if (missing.length > 0)
    throw notFound(
      `Expected to activate activities for ad-hoc sub-process with key '${ei.key}', but the given elements [${missing.join(', ')}] do not exist.`,
    );
}

/**
 * Before the job of an ad-hoc sub-process's job worker implementation completes: its result may activate inner
 * elements or fulfil the completion condition, not both ("It cannot fulfill both the completion condition and
 * activate new elements at the same time", https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/).
 */
export function checkAdHocJobResult(it: Interpreter, job: JobRow, r: AdHocJobResult | undefined): void {
  const ei = it.ei(job.element_instance_key);
  if (!r || !ei) return;
  if (r.isCompletionConditionFulfilled && r.activateElements.length > 0)
    throw invalidArgument(
      `Expected to complete job with key '${job.key}', but the job result both activates elements and fulfills the completion condition of the ad-hoc sub-process.`,
    );
  const ids = r.activateElements.map((e) => e.elementId);
  if (new Set(ids).size !== ids.length)
    throw invalidArgument(
      `Expected to activate activities for ad-hoc sub-process with key '${ei.key}', but duplicate activities were given.`,
    );
  checkActivatable(it, ei, ids);
}

/**
 * The job completed: its variables are set on the sub-process (local), the elements it names are activated, and a
 * fulfilled completion condition completes the sub-process — at once, terminating the inner flows, with
 * isCancelRemainingInstances, otherwise once they are done.
 */
export function adHocJobCompleted(
  tx: Tx,
  it: Interpreter,
  job: JobRow,
  variables: Record<string, unknown>,
  r: AdHocJobResult | undefined,
): void {
  const ei = it.ei(job.element_instance_key);
  if (ei?.state !== 'ACTIVATED') return;
  for (const [name, value] of Object.entries(variables))
    it.setLocal(tx, ei.key, ei.process_instance_key, name, value);
  for (const e of r?.activateElements ?? [])
    activateAdHocElement(it, tx, ei, e.elementId, e.variables ?? null);
  if (r?.isCompletionConditionFulfilled)
    completionConditionFulfilled(it, tx, it.ei(ei.key)!, r.isCancelRemainingInstances);
}

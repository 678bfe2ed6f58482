// POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation (Camunda 8.8's
// activateAdHocSubProcessActivities), with the refusals of Zeebe's AdHocSubProcessInstructionActivateProcessor
// worded as it words them: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-ad-hoc-sub-process-activities/
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import { activateAdHocElement } from '../runtime/bpmn/container/adHocSubProcess.ts';
import type { Interpreter, Logger } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';

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
  const activatable = it.element(ei).adHoc!.activatable;
  const missing = ids.filter((id) => !activatable.includes(id));
  if (missing.length > 0)
    throw notFound(
      `Expected to activate activities for ad-hoc sub-process with key '${key}', but the given elements [${missing.join(', ')}] do not exist.`,
    );
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

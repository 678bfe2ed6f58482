// Ad-hoc sub-processes as Camunda 8.8 runs them (Zeebe's AdHocSubProcessProcessor, its BPMN implementation, and
// AdHocSubProcessInnerInstanceProcessor): https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
// Each activated element runs in an inner instance of its own (type AD_HOC_SUB_PROCESS_INNER_INSTANCE, id
// `<sub-process>#innerInstance`) that holds the activation's variables and the flow that follows the element.
import { evaluate, evaluateBoolean, FeelError } from '../../../feel/index.ts';
import { type AdHocDef, INNER_INSTANCE_POSTFIX } from '../../../model/types.ts';
import type { ElementInstanceRow } from '../../../state/rows.ts';
import { evalAny } from '../../behavior/expressions.ts';
import { parseData } from '../../elementData.ts';
import { IncidentError, type Tx } from '../../tx.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const adHocSubProcess = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const adHoc = el.adHoc!;
    const pik = ei.process_instance_key;
    b.variables.setLocal(tx, ei.key, pik, 'adHocSubProcessElements', elementsMetadata(b, ei, adHoc));
    if (adHoc.outputCollection) b.variables.setLocal(tx, ei.key, pik, adHoc.outputCollection, []);
    const ctx = b.variables.context(ei.key);
    const ids = activeElements(adHoc, ctx);
    // the job worker implementation: a job for the worker that decides what to activate (Zeebe's JobWorkerBehavior)
    const job = adHoc.jobWorker ? { ...b.jobs.evaluateJob(el, ctx), kind: AD_HOC_JOB_KIND } : undefined;
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    b.subscriptions.openEventSubProcessSubscriptions(tx, ei, el, ctx);
    if (job) b.jobs.createJob(tx, ei, b.rt.definition(ei.process_definition_key), job);
    b.transitions.activated(tx, ei);
    for (const id of ids) activateAdHocElement(b, tx, ei, id, null);
  },
  onCompleting(tx, ei, el) {
    // the output collection propagates to the parent scope (Zeebe's propagateVariable), then the output mappings
    const out = el.adHoc!.outputCollection;
    if (out) {
      const value = b.variables.localVariables(ei.key)[out] ?? [];
      b.variables.mergeDocument(tx, ei.flow_scope_key!, ei.process_instance_key, { [out]: value });
    }
    b.variables.applyOutputMappings(tx, ei, el);
  },
});

/** The inner instance: activated with its element, completed when its flow is done, then the sub-process decides. */
export const adHocInnerInstance = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei) {
    b.transitions.activated(tx, ei);
    b.transitions.createElement(tx, ei, parseData(ei).adHoc!.elementId!);
  },
  onCompleting(tx, ei) {
    // Zeebe's beforeExecutionPathCompleted: the output element into the collection, then the completion condition
    const adHocEi = b.rt.ei(ei.flow_scope_key!)!;
    const adHoc = b.rt.element(adHocEi).adHoc!;
    if (adHoc.outputCollection && adHoc.outputElement) {
      const value = evalAny(adHoc.outputElement, b.variables.context(ei.key));
      const collection = b.variables.localVariables(adHocEi.key)[adHoc.outputCollection];
      if (!Array.isArray(collection))
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `The output collection has the wrong type. Expected ARRAY but was ${typeName(collection)}.`,
        );
      const pik = ei.process_instance_key;
      b.variables.setLocal(tx, adHocEi.key, pik, adHoc.outputCollection, [...collection, value]);
    }
    if (adHoc.completionCondition === undefined) return;
    const data = parseData(ei);
    data.adHoc = { ...data.adHoc, conditionMet: completionCondition(adHoc.completionCondition, b, adHocEi) };
    b.transitions.setData(ei, data);
  },
  outgoingFlows: () => [],
  onCompleted(tx, ei) {
    const adHocEi = b.rt.ei(ei.flow_scope_key!);
    if (adHocEi?.state !== 'ACTIVATED') return;
    const adHoc = b.rt.element(adHocEi).adHoc!;
    if (adHoc.jobWorker) {
      innerFlowDoneForWorker(b, tx, adHocEi);
    } else if (adHoc.completionCondition === undefined) {
      // no condition: the sub-process completes once no inner flow is active
      if (b.transitions.activeChildren(adHocEi.key).length === 0) tx.follow('COMPLETE', adHocEi.key);
    } else if (parseData(ei).adHoc?.conditionMet || parseData(adHocEi).adHoc?.fulfilled) {
      // met now, or met before while the sub-process waits for its inner flows (cancelRemainingInstances="false")
      completionConditionFulfilled(b, tx, adHocEi, adHoc.cancelRemainingInstances);
    }
  },
});

/** Activates one inner element in an inner instance of its own; `variables` are set on that inner instance. */
export function activateAdHocElement(
  b: Behaviors,
  tx: Tx,
  adHocEi: ElementInstanceRow,
  elementId: string,
  variables: Record<string, unknown> | null,
): void {
  const innerId = `${adHocEi.element_id}${INNER_INSTANCE_POSTFIX}`;
  const key = b.transitions.createElement(tx, adHocEi, innerId, { adHoc: { elementId } });
  for (const [name, value] of Object.entries(variables ?? {}))
    b.variables.setLocal(tx, key, adHocEi.process_instance_key, name, value);
}

/**
 * Job worker implementation, an inner flow completed: the open job is canceled; a fulfilled completion condition
 * completes the sub-process (once no flow is active), otherwise a new job asks the worker what next (Zeebe's
 * AdHocSubProcessProcessor.JobWorkerBehavior.afterExecutionPathCompleted).
 */
function innerFlowDoneForWorker(b: Behaviors, tx: Tx, adHocEi: ElementInstanceRow): void {
  b.jobs.cancelJobsOf(tx, adHocEi);
  const data = parseData(adHocEi);
  if (data.adHoc?.fulfilled) {
    completionConditionFulfilled(b, tx, adHocEi, data.adHoc.cancel !== false);
    return;
  }
  createWorkerJob(b, tx, adHocEi);
}

/** A new job for the worker; its type or retries failing to evaluate is an incident on the sub-process. */
function createWorkerJob(b: Behaviors, tx: Tx, adHocEi: ElementInstanceRow): void {
  const el = b.rt.element(adHocEi);
  b.incidents.attempt(tx, adHocEi, () => {
    const job = { ...b.jobs.evaluateJob(el, b.variables.context(adHocEi.key)), kind: AD_HOC_JOB_KIND };
    b.jobs.createJob(tx, adHocEi, b.rt.definition(adHocEi.process_definition_key), job);
  });
}

/**
 * An incident on an active ad-hoc sub-process of the job worker implementation was resolved: the job that failed to
 * be created is created now (true), rather than the sub-process completing.
 */
export function retryWorkerJob(b: Behaviors, tx: Tx, ei: ElementInstanceRow): boolean {
  if (ei.element_type !== 'AD_HOC_SUB_PROCESS' || ei.state !== 'ACTIVATED') return false;
  if (!b.rt.element(ei).adHoc?.jobWorker || parseData(ei).adHoc?.fulfilled) return false;
  if (b.rt.state.jobs.openForElement(ei.key).length === 0) createWorkerJob(b, tx, ei);
  return true;
}

/** The kind of the job of an ad-hoc sub-process's job worker implementation (Camunda 8.8's JobKindEnum). */
export const AD_HOC_JOB_KIND = 'AD_HOC_SUB_PROCESS';

/** With cancelRemainingInstances the inner flows still active end now; the sub-process completes once none is. */
export function completionConditionFulfilled(
  b: Behaviors,
  tx: Tx,
  adHocEi: ElementInstanceRow,
  cancel: boolean,
): void {
  const data = parseData(adHocEi);
  data.adHoc = { fulfilled: true, cancel };
  b.transitions.setData(adHocEi, data);
  let waits = false;
  if (cancel)
    for (const c of b.transitions.activeChildren(adHocEi.key))
      if (!b.transitions.terminate(tx, c)) waits = true;
  if (!waits && b.transitions.activeChildren(adHocEi.key).length === 0) tx.follow('COMPLETE', adHocEi.key);
}

function completionCondition(expression: string, b: Behaviors, adHocEi: ElementInstanceRow): boolean {
  try {
    return evaluateBoolean(expression, b.variables.context(adHocEi.key));
  } catch (e) {
    if (e instanceof FeelError)
      throw new IncidentError('EXTRACT_VALUE_ERROR', `Failed to evaluate completion condition. ${e.message}`);
    throw e;
  }
}

/** The ids activeElementsCollection names (Zeebe's messages when it is no list of strings or names unknown ids). */
function activeElements(adHoc: AdHocDef, ctx: Record<string, unknown>): string[] {
  if (adHoc.activeElementsCollection === undefined) return [];
  let value: unknown;
  try {
    value = evaluate(adHoc.activeElementsCollection, ctx);
  } catch (e) {
    if (e instanceof FeelError)
      throw new IncidentError('EXTRACT_VALUE_ERROR', `Failed to activate ad-hoc elements. ${e.message}`);
    throw e;
  }
  const source = adHoc.activeElementsCollection.trimStart().slice(1);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Failed to activate ad-hoc elements. Expected result of the expression '${source}' to be 'ARRAY' containing 'STRING' items, but was '${typeName(value)}'.`,
    );
  const unknown = value.filter((id) => !adHoc.activatable.includes(id));
  if (unknown.length > 0)
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Failed to activate ad-hoc elements. No BPMN elements found with ids: ${unknown.map((id) => `'${id}'`).join(', ')}.`,
    );
  return value;
}

/** The adHocSubProcessElements variable: the activatable elements' id, name, documentation, properties, parameters. */
function elementsMetadata(b: Behaviors, ei: ElementInstanceRow, adHoc: AdHocDef): unknown[] {
  const model = b.rt.model(ei);
  return adHoc.activatable.map((id) => {
    const el = model.elements[id]!;
    return {
      elementId: id,
      elementName: el.name ?? null,
      documentation: null,
      properties: el.properties ?? {},
      parameters: [],
    };
  });
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  return 'OBJECT';
}

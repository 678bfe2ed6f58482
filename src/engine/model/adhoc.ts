// The ad-hoc sub-process (bpmn:adHocSubProcess with zeebe:adHoc) as Camunda 8.8 defines it:
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/ — its attributes, and the deploy-time
// refusals of Zeebe's AdHocSubProcessValidator (worded as it words them).
import type { ModdleElement } from '../../modeling/moddle.ts';
import { ext, ModelError } from './common.ts';
import type { ElementSite } from './elements.ts';
import type { ElementModel, ProcessModel } from './types.ts';

export function adHocAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const where = site.where(fe);
  const adHoc = ext(fe, 'zeebe:AdHoc');
  el.adHoc = { cancelRemainingInstances: fe.cancelRemainingInstances !== false, activatable: [] };
  if (ext(fe, 'zeebe:TaskDefinition')) {
    // the job worker implementation; Zeebe's AdHocSubProcessValidator.validateTaskDefinition refusals
    el.adHoc.jobWorker = true;
    if (!el.adHoc.cancelRemainingInstances)
      throw new ModelError(
        `${where}: Must not set cancelRemainingInstances to false in combination with zeebe:taskDefinition`,
      );
    if (nonEmpty(fe.completionCondition?.body))
      throw new ModelError(
        `${where}: Must not set completionCondition in combination with zeebe:taskDefinition`,
      );
    if (nonEmpty(adHoc?.activeElementsCollection))
      throw new ModelError(
        `${where}: Must not set activeElementsCollection in combination with zeebe:taskDefinition`,
      );
  }
  const collection = nonEmpty(adHoc?.activeElementsCollection);
  if (collection) {
    el.adHoc.activeElementsCollection = collection;
    site.expr(fe, 'activeElementsCollection', collection);
  }
  const condition = nonEmpty(fe.completionCondition?.body);
  if (condition) {
    el.adHoc.completionCondition = condition;
    site.expr(fe, 'completionCondition', condition);
  }
  const outputCollection = nonEmpty(adHoc?.outputCollection);
  const outputElement = nonEmpty(adHoc?.outputElement);
  if (outputCollection) el.adHoc.outputCollection = outputCollection;
  if (outputElement) {
    el.adHoc.outputElement = outputElement;
    site.expr(fe, 'outputElement', outputElement);
  }
  if (outputCollection && !outputElement)
    throw new ModelError(`${where}: outputCollection is set, so outputElement must be set too`);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * After the ad-hoc sub-process's flows are known: Zeebe's refusals ("Must have at least one activity.", "Must not
 * contain a start event.", "Must not contain an end event.") and the activatable elements — its flow nodes without
 * incoming sequence flows (Zeebe's AdHocSubProcessTransformer; boundary events and event sub-processes are started
 * by their events, not activated).
 */
export function checkAdHocScope(where: string, scope: ElementModel, model: ProcessModel): string[] {
  const children = Object.values(model.elements).filter((e) => e.scope === scope.id);
  const errors: string[] = [];
  if (children.length === 0) errors.push(`${where}: Must have at least one activity.`);
  if (children.some((c) => c.type === 'START_EVENT'))
    errors.push(`${where}: Must not contain a start event.`);
  if (children.some((c) => c.type === 'END_EVENT')) errors.push(`${where}: Must not contain an end event.`);
  scope.adHoc!.activatable = children
    .filter((c) => c.incoming.length === 0 && c.type !== 'BOUNDARY_EVENT' && c.type !== 'EVENT_SUB_PROCESS')
    .map((c) => c.id);
  return errors;
}

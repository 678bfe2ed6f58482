// The compensation specs' models (issue #14 §2), written as Camunda Modeler 8.8 draws them: an activity with a
// compensation boundary event whose association leads to its handler, an activity marked isForCompensation.
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/,
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/

/** A service task of a job type (extension XML inside its extensionElements, attributes on the element). */
export const svc = (id: string, type: string, inner = '', attrs = '') =>
  `<bpmn:serviceTask id="${id}"${attrs}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${inner}</bpmn:extensionElements></bpmn:serviceTask>`;

/** The compensation boundary event of `id`, its handler `undo_<id>` (a service task) and the association between. */
export const compensation = (id: string, handlerType: string, handlerInner = '', handlerAttrs = '') =>
  [
    `<bpmn:boundaryEvent id="${id}_comp" attachedToRef="${id}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>`,
    svc(`undo_${id}`, handlerType, handlerInner, ` isForCompensation="true"${handlerAttrs}`),
    `<bpmn:association id="${id}_assoc" associationDirection="One" sourceRef="${id}_comp" targetRef="undo_${id}" />`,
  ].join('\n');

/** A service task with its compensation (the handler's job type is `<type>-undo`). */
export const compensable = (id: string, type: string, handlerInner = '') =>
  `${svc(id, type)}\n${compensation(id, `${type}-undo`, handlerInner)}`;

/** A compensation intermediate throw event (all of its scope, or only `activityRef`). */
export const compensationThrow = (id: string, activityRef?: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''} /></bpmn:intermediateThrowEvent>`;

/** A compensation end event. */
export const compensationEnd = (id: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:compensateEventDefinition /></bpmn:endEvent>`;

/** Sequence flows through the ids in order, numbered from `prefix`. */
export const chain = (prefix: string, ids: string[]) =>
  ids
    .slice(1)
    .map(
      (target, i) => `<bpmn:sequenceFlow id="${prefix}${i}" sourceRef="${ids[i]}" targetRef="${target}" />`,
    )
    .join('\n');

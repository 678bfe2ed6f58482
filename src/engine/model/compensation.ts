// Compensation in the model (https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/ and
// .../compensation-handler/): the compensate event definition of boundary, intermediate throw and end events, the
// handler (isForCompensation) a compensation boundary event's association leads to, and Zeebe 8.8's deploy-time
// refusals in the words of its validators (BoundaryEventValidator, CompensationTaskValidator,
// CompensationEventDefinitionValidator, IntermediateThrowEventValidator, EndEventValidator, SubProcessValidator).
import type { ModdleElement } from '../../modeling/moddle.ts';
import { isActivity, ModelError } from './common.ts';
import type { ElementModel, ElementType, EventDef } from './types.ts';

/** A bpmn:association of the process or of one of its sub-processes (source → target ids). */
export interface Association {
  source: string;
  target: string;
}

/** The associations a process or sub-process element holds among its artifacts. */
export function associationsOf(container: ModdleElement): Association[] {
  const found: Association[] = [];
  for (const a of (container.artifacts ?? []) as ModdleElement[]) {
    if (a.$type === 'bpmn:Association' && a.sourceRef?.id && a.targetRef?.id)
      found.push({ source: String(a.sourceRef.id), target: String(a.targetRef.id) });
  }
  return found;
}

/** A compensate event definition: its activityRef; Zeebe refuses waitForCompletion="false". */
export function compensateEventDef(where: string, fe: ModdleElement, d: ModdleElement): EventDef {
  const result: EventDef = { kind: 'compensation' };
  const ref = d.activityRef?.id;
  if (ref) result.activityRef = String(ref);
  if (d.waitForCompletion === false) {
    if (fe.$type === 'bpmn:IntermediateThrowEvent')
      throw new ModelError(
        `${where}: A compensation intermediate throwing event waitForCompletion attribute must be true or not present`,
      );
    if (fe.$type === 'bpmn:EndEvent')
      throw new ModelError(
        `${where}: A compensation end event waitForCompletion attribute must be true or not present`,
      );
  }
  return result;
}

/** Zeebe 8.8 runs no compensation event sub-process: its start event is refused as Zeebe's SubProcessValidator does. */
export function compensationStartRefusal(fe: ModdleElement): string {
  const esp = fe.$parent;
  if (esp?.$type !== 'bpmn:SubProcess' || !esp.triggeredByEvent)
    return 'a compensation start event is not supported';
  const errors = [
    'Start events in event subprocesses must be one of: message, timer, error, signal or escalation',
  ];
  if (esp.$parent?.$type !== 'bpmn:SubProcess')
    errors.push('A compensation event subprocess is not allowed on the process level');
  return errors.join('; ');
}

/** The task types CompensationTaskValidator accepts as compensation handlers (sub-processes and call activities pass). */
const HANDLER_TASKS = new Set<ElementType>([
  'SERVICE_TASK',
  'USER_TASK',
  'SEND_TASK',
  'SCRIPT_TASK',
  'MANUAL_TASK',
  'TASK',
]);
const TASKS = new Set<ElementType>([...HANDLER_TASKS, 'RECEIVE_TASK', 'BUSINESS_RULE_TASK']);

/**
 * Second pass over a process: each compensation boundary event learns its handler from its association; handlers
 * and throw events' activityRef are checked as Zeebe checks them. Returns the errors, each after `where(id)`.
 */
export function linkCompensation(
  elements: Record<string, ElementModel>,
  associations: Association[],
  where: (id: string) => string,
): string[] {
  const errors: string[] = [];
  for (const el of Object.values(elements)) {
    if (el.type === 'BOUNDARY_EVENT' && el.event?.kind === 'compensation') {
      const association = associations.find((a) => a.source === el.id);
      const handler = association ? elements[association.target] : undefined;
      if (el.outgoing.length > 0 || !handler || !isActivity(handler.type)) {
        errors.push(
          `${where(el.id)}: Compensation boundary events must have a compensation association and no outgoing sequence flows`,
        );
      } else {
        el.event.compensationHandler = handler.id;
        handler.handlesCompensation = true;
      }
    }
    if (el.forCompensation && TASKS.has(el.type))
      errors.push(...handlerErrors(el).map((e) => `${where(el.id)}: ${e}`));
    const ref = el.event?.kind === 'compensation' ? el.event.activityRef : undefined;
    if (ref !== undefined)
      errors.push(...activityRefErrors(el, ref, elements).map((e) => `${where(el.id)}: ${e}`));
  }
  return errors;
}

function handlerErrors(el: ElementModel): string[] {
  const errors: string[] = [];
  if (!HANDLER_TASKS.has(el.type))
    errors.push(
      'Compensation task must be one of: service task, user task, send task, script task, manual task, or undefined task.',
    );
  if (el.incoming.length > 0) errors.push('A compensation handler should have no incoming sequence flows');
  if (el.outgoing.length > 0) errors.push('A compensation handler should have no outgoing sequence flows');
  if (el.boundaries?.length) errors.push('A compensation handler should have no boundary events');
  return errors;
}

function activityRefErrors(
  thrower: ElementModel,
  ref: string,
  elements: Record<string, ElementModel>,
): string[] {
  const activity = elements[ref];
  if (!activity || !isActivity(activity.type))
    return [`The referenced compensation activity '${ref}' doesn't exist`];
  const errors: string[] = [];
  const hasBoundary = (activity.boundaries ?? []).some((b) => elements[b]?.event?.kind === 'compensation');
  if (!hasBoundary && activity.type !== 'SUB_PROCESS')
    errors.push(
      `The referenced compensation activity '${ref}' must have either a compensation boundary event or be a subprocess`,
    );
  const scope = thrower.scope ? elements[thrower.scope] : undefined;
  const sameScope =
    activity.scope === thrower.scope ||
    (scope?.type === 'EVENT_SUB_PROCESS' && activity.scope === scope.scope);
  if (!sameScope)
    errors.push(
      `The referenced compensation activity '${ref}' must be in the same scope as the compensation throw event`,
    );
  return errors;
}

/** The compensation boundary event of an activity (on a multi-instance activity, its body holds it). */
export function compensationBoundary(
  el: ElementModel,
  elements: Record<string, ElementModel>,
): ElementModel | undefined {
  for (const id of el.boundaries ?? []) {
    const b = elements[id];
    if (b?.event?.kind === 'compensation') return b;
  }
  return undefined;
}

// Execution listeners (zeebe:executionListeners) of a process or flow element, refused where Zeebe 8.8 refuses
// them at deploy (its ExecutionListenersValidator and the event and gateway validators, with their messages):
// https://docs.camunda.io/docs/components/concepts/execution-listeners/#limitations
// Task listeners (zeebe:taskListeners) are read by task-listeners.ts.
import type { ModdleElement } from '../../modeling/moddle.ts';
import { ext, ModelError } from './common.ts';
import type { ElementModel, ListenerDef, ListenersDef } from './types.ts';

/** Where the listeners are (for messages) and how their expressions are collected for checking. */
export interface ListenerSite {
  where: string;
  expr(what: string, value: string | undefined): void;
}

const GATEWAYS = new Set([
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
]);

/** The listeners of `fe` (a process or a flow element already transformed into `el`), or undefined. */
export function listenersOf(
  site: ListenerSite,
  fe: ModdleElement,
  el: ElementModel,
): ListenersDef | undefined {
  const declared: ModdleElement[] = ext(fe, 'zeebe:ExecutionListeners')?.listeners ?? [];
  if (declared.length === 0) return undefined;
  const errors: string[] = [];
  const result: ListenersDef = {};
  const elementHeaders = headersOf(fe);
  const seen = new Map<string, number>();
  for (const l of declared) {
    const eventType: string = typeof l.eventType === 'string' ? l.eventType.trim() : '';
    const type: string = typeof l.type === 'string' ? l.type.trim() : '';
    if (eventType !== 'start' && eventType !== 'end') {
      errors.push(
        `Attribute 'eventType' of an execution listener must be 'start' or 'end', but was '${eventType}'`,
      );
      continue;
    }
    if (!type) {
      errors.push("Attribute 'type' of an execution listener must be present and not empty");
      continue;
    }
    const key = `${eventType}|${type}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const retries = typeof l.retries === 'string' && l.retries.trim() !== '' ? l.retries.trim() : '3';
    site.expr(`${eventType} execution listener type`, type);
    site.expr(`${eventType} execution listener retries`, retries);
    const def: ListenerDef = { type, retries, headers: { ...elementHeaders, ...headersOf(l) } };
    result[eventType] ??= [];
    result[eventType].push(def);
  }
  for (const [key, n] of seen) {
    if (n < 2) continue;
    const [eventType, type] = key.split('|');
    errors.push(
      `Found '${n}' duplicates based on eventType[${eventType}] and type[${type}], these combinations should be unique.`,
    );
  }
  errors.push(...unsupported(el, result));
  if (errors.length > 0) throw new ModelError(errors.map((e) => `${site.where}: ${e}`).join('\n'));
  return result;
}

/** Zeebe's refusals of start or end listeners on particular elements. */
function unsupported(el: ElementModel, l: ListenersDef): string[] {
  const errors: string[] = [];
  const kind = el.event?.kind;
  if (l.start && el.type === 'START_EVENT')
    errors.push("Execution listeners of type 'start' are not supported by start events");
  if ((l.start || l.end) && el.type === 'BOUNDARY_EVENT' && kind === 'compensation')
    errors.push(
      "Execution listeners of type 'start' and 'end' are not supported by [compensation] boundary events",
    );
  else if (l.start && el.type === 'BOUNDARY_EVENT')
    errors.push("Execution listeners of type 'start' are not supported by boundary events");
  if (l.end && GATEWAYS.has(el.type))
    errors.push("Execution listeners of type 'end' are not supported by gateway element");
  if (l.end && el.type === 'END_EVENT' && kind === 'error')
    errors.push("Execution listeners of type 'end' are not supported by [error] end events");
  if (l.end && el.type === 'INTERMEDIATE_THROW_EVENT' && kind === 'escalation')
    errors.push(
      "Execution listeners of type 'end' are not supported by [escalation] intermediate throw events",
    );
  return errors;
}

/** zeebe:taskHeaders of an element or of one listener. */
function headersOf(el: ModdleElement): Record<string, string> {
  const headers: Record<string, string> = {};
  const values: ModdleElement[] = (
    el.$type === 'zeebe:ExecutionListener' ? el.headers : ext(el, 'zeebe:TaskHeaders')
  )?.values;
  for (const h of values ?? []) headers[h.key] = h.value ?? '';
  return headers;
}

// Link events (https://docs.camunda.io/docs/components/modeler/bpmn/link-events/): a link throw event
// continues at the link catch event of the same name in its own scope. Refused as Zeebe's
// ZeebeLinkEventValidator refuses them: throw and catch must pair up, one catch event per name.
import type { ElementModel } from './types.ts';

/** Sets each link throw event's target; returns the errors of the process (none when all pair up). */
export function pairLinks(processId: string, elements: ElementModel[]): string[] {
  const links = elements.filter((e) => e.event?.kind === 'link');
  if (links.length === 0) return [];
  const errors: string[] = [];
  const catches = new Map<string, ElementModel>();
  for (const c of links.filter((e) => e.type === 'INTERMEDIATE_CATCH_EVENT')) {
    const id = `${c.scope}\u0000${c.event!.linkName}`;
    if (catches.has(id)) {
      errors.push(
        `Process '${processId}': Multiple intermediate catch link event definitions with the same name '${c.event!.linkName}' are not allowed.`,
      );
    }
    catches.set(id, c);
  }
  let paired = true;
  for (const t of links.filter((e) => e.type === 'INTERMEDIATE_THROW_EVENT')) {
    const target = catches.get(`${t.scope}\u0000${t.event!.linkName}`);
    if (target) t.event!.linkTarget = target.id;
    else paired = false;
  }
  if (!paired) {
    errors.push(
      `Process '${processId}': Intermediate throw and catch link event definitions must appear in pairs.`,
    );
  }
  return errors;
}

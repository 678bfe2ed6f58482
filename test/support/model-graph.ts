// Reads one process of processes/ as a graph, for tests that prove a clause by the shape of the model:
// which elements exist, what follows what, which conditions guard which flows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';
import { type ModdleElement, parseBpmn } from '../../src/modeling/moddle.ts';

export interface ModelGraph {
  process: ModdleElement;
  element(id: string): ModdleElement;
  elements(type?: string): ModdleElement[];
  /** Elements reached from `id` along sequence flows (and from an activity to its boundary events). */
  successors(id: string): ModdleElement[];
  /** Outgoing flows with their FEEL condition (undefined for unconditional and default flows). */
  outgoing(
    id: string,
  ): Array<{ id: string; target: ModdleElement; condition: string | undefined; isDefault: boolean }>;
  /** Every element reachable from `from` without passing through an element for which `stop` holds. */
  reachable(from: string, stop?: (el: ModdleElement) => boolean): ModdleElement[];
  extension(id: string, type: string): ModdleElement | undefined;
  jobType(id: string): string | undefined;
  header(id: string, key: string): string | undefined;
}

export async function loadProcess(processId: string): Promise<ModelGraph> {
  const xml = readFileSync(join(PROCESSES_DIR, `${processId}.bpmn`), 'utf8');
  const { rootElement } = await parseBpmn(xml);
  const process = rootElement.rootElements.find(
    (r: ModdleElement) => r.$type === 'bpmn:Process' && r.id === processId,
  );
  if (!process) throw new Error(`no process ${processId}`);
  const all: ModdleElement[] = [];
  const walk = (c: ModdleElement) => {
    for (const el of c.flowElements ?? []) {
      all.push(el);
      walk(el);
    }
  };
  walk(process);
  const byId = new Map(all.map((e) => [e.id, e]));
  const element = (id: string) => {
    const el = byId.get(id);
    if (!el) throw new Error(`${processId} has no element ${id}`);
    return el;
  };
  const boundaries = (id: string) =>
    all.filter((e) => e.$type === 'bpmn:BoundaryEvent' && e.attachedToRef?.id === id);
  const outgoing = (id: string) => {
    const el = element(id);
    return (el.outgoing ?? []).map((f: ModdleElement) => ({
      id: f.id,
      target: f.targetRef,
      condition: f.conditionExpression?.body,
      isDefault: el.default?.id === f.id,
    }));
  };
  const successors = (id: string) => [
    ...outgoing(id).map((o: { target: ModdleElement }) => o.target),
    ...boundaries(id),
    // an embedded sub-process continues into its start events
    ...(element(id).flowElements ?? []).filter(
      (e: ModdleElement) => e.$type === 'bpmn:StartEvent' && !e.eventDefinitions?.length,
    ),
  ];
  const ext = (id: string, type: string) =>
    (element(id).extensionElements?.values ?? []).find((v: ModdleElement) => v.$type === type);
  return {
    process,
    element,
    elements: (type) => (type ? all.filter((e) => e.$type === type) : all),
    successors,
    outgoing,
    reachable(from, stop = () => false) {
      const seen = new Map<string, ModdleElement>();
      const queue = successors(from);
      while (queue.length > 0) {
        const el = queue.shift()!;
        if (seen.has(el.id)) continue;
        seen.set(el.id, el);
        if (stop(el)) continue;
        queue.push(...successors(el.id));
        // leaving an embedded sub-process through its end events continues after the sub-process
        if (el.$type === 'bpmn:EndEvent' && el.$parent?.$type === 'bpmn:SubProcess')
          queue.push(...successors(el.$parent.id));
      }
      return [...seen.values()];
    },
    extension: ext,
    jobType: (id) => ext(id, 'zeebe:TaskDefinition')?.type,
    header: (id, key) =>
      (ext(id, 'zeebe:TaskHeaders')?.values ?? []).find((h: ModdleElement) => h.key === key)?.value,
  };
}

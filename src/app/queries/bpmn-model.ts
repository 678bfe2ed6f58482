// A deployed process's flow graph as the operations view reasons about it: each flow node with its BPMN type, name
// and flow scope, and where its sequence flows (and boundary events) lead. Read from the definition's XML with the
// same moddle Modeler uses, so the view sees exactly what the process owner drew.
import { type ModdleElement, parseBpmn } from '../../modeling/moddle.ts';

export interface ModelNode {
  id: string;
  /** The BPMN type without prefix, e.g. `userTask`, `boundaryEvent`. */
  type: string;
  name: string | null;
  /** The id of the process or sub-process the node sits in. */
  scopeId: string;
}

export interface ProcessModel {
  processId: string;
  nodes: Map<string, ModelNode>;
  /** Node id → the node ids its sequence flows and attached boundary events lead to. */
  next: Map<string, string[]>;
}

/** Steps where a person, a decision table or another process decides: moving past one would skip a decision. */
export const DECIDING_TYPES = new Set(['userTask', 'businessRuleTask', 'callActivity', 'subProcess']);

/** The element instance type Camunda reports for a BPMN type (`userTask` → `USER_TASK`). */
export const instanceTypeOf = (bpmnType: string): string => bpmnType.replace(/([A-Z])/g, '_$1').toUpperCase();

const typeOf = (e: ModdleElement): string => {
  const t = String(e.$type).replace(/^bpmn:/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
};

function walk(container: ModdleElement, scopeId: string, model: ProcessModel): void {
  const add = (from: string, to: string) => model.next.set(from, [...(model.next.get(from) ?? []), to]);
  for (const e of container.flowElements ?? []) {
    const type = typeOf(e);
    if (type === 'sequenceFlow') {
      if (e.sourceRef?.id && e.targetRef?.id) add(e.sourceRef.id, e.targetRef.id);
      continue;
    }
    model.nodes.set(e.id, { id: e.id, type, name: e.name ?? null, scopeId });
    if (type === 'boundaryEvent' && e.attachedToRef?.id) add(e.attachedToRef.id, e.id);
    if (type === 'subProcess' || type === 'adHocSubProcess') walk(e, e.id, model);
  }
}

export async function readProcessModel(xml: string, processId: string): Promise<ProcessModel> {
  const { rootElement } = await parseBpmn(xml);
  const process = (rootElement.rootElements ?? []).find(
    (r: ModdleElement) => r.$type === 'bpmn:Process' && r.id === processId,
  );
  const model: ProcessModel = { processId, nodes: new Map(), next: new Map() };
  if (process) walk(process, processId, model);
  return model;
}

function reachable(start: string, edges: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [...(edges.get(start) ?? [])];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(edges.get(id) ?? []));
  }
  return seen;
}

/** The nodes on some path from `from` to `to` (both excluded); null when `to` cannot be reached from `from`. */
export function nodesBetween(model: ProcessModel, from: string, to: string): ModelNode[] | null {
  const ahead = reachable(from, model.next);
  if (!ahead.has(to)) return null;
  const back = new Map<string, string[]>();
  for (const [source, targets] of model.next) {
    for (const t of targets) back.set(t, [...(back.get(t) ?? []), source]);
  }
  const behind = reachable(to, back);
  return [...ahead]
    .filter((id) => id !== from && id !== to && behind.has(id))
    .map((id) => model.nodes.get(id))
    .filter((n): n is ModelNode => n !== undefined);
}

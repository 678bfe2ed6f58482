// Shared by the Zeebe-fidelity specs (issue #14): models written inline as a process owner draws them in
// Modeler, deployed through the official client, and the eventual-consistency options that make a search
// wait on Camunda (exported to Elasticsearch) and answer at once on the embedded engine.

/** A BPMN file for the client's createDeployment, from its XML. */
export const bpmnFile = (name: string, xml: string) =>
  new File([xml], name, { type: 'application/xml' }) as never;

/** A JSON or DMN resource for createDeployment. */
export const resourceFile = (name: string, text: string, type: string) =>
  new File([text], name, { type }) as never;

/** Branded-key cast: the client's key types are stricter than plain strings. */
export const k = (value: string | number) => String(value) as never;

/** Eventual consistency: immediate on the embedded engine, polled on Camunda. */
// biome-ignore lint/suspicious/noExplicitAny: the predicate receives each endpoint's own result type
export const consistent = (predicate?: (r: any) => boolean) => ({
  consistency: {
    waitUpToMs: process.env.CONFORMANCE_TARGET === 'camunda' ? 30_000 : 0,
    pollIntervalMs: 200,
    ...(predicate ? { predicate } : {}),
  },
});

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" targetNamespace="http://bpmn.io/schema/bpmn"';

/** A definitions document around `body` (processes, messages, diagrams). */
export function definitions(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="${id}">\n${body}\n</bpmn:definitions>`;
}

/** A process start → the given elements in sequence → end (elements given as [id, xml] pairs). */
export function sequenceProcess(processId: string, elements: Array<[string, string]>, extra = ''): string {
  const ids = ['start', ...elements.map(([id]) => id), 'end'];
  const flows = ids
    .slice(1)
    .map((target, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${target}" />`)
    .join('\n');
  return `<bpmn:process id="${processId}" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${elements.map(([, xml]) => xml).join('\n  ')}
  <bpmn:endEvent id="end" />
  ${flows}
  ${extra}
</bpmn:process>`;
}

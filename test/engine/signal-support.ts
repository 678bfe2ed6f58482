// Shared by the link, signal, escalation and bindingType specs (issue #14 §2, §1.3): the embedded engine over real
// HTTP, driven by the official client at strict validation (test/conformance/target.ts), and what they read back.
import { bpmnFile, consistent, k } from '../conformance/fidelity.ts';
import type { Target } from '../conformance/target.ts';

export { definitions } from '../conformance/fidelity.ts';
export { startTarget, type Target } from '../conformance/target.ts';
export { k };

export async function deployXml(t: Target, name: string, xml: string) {
  return t.client.createDeployment({ resources: [bpmnFile(name, xml)] });
}

/** A refused deployment's status and problem detail (raw multipart: the client hides the detail). */
export async function refusal(
  t: Target,
  name: string,
  xml: string,
): Promise<{ status: number; detail: string }> {
  const form = new FormData();
  form.append('resources', new Blob([xml], { type: 'application/xml' }), name);
  const res = await t.raw('/deployments', { method: 'POST', body: form });
  const body = (await res.json()) as { detail?: string };
  return { status: res.status, detail: body.detail ?? '' };
}

export async function start(t: Target, processId: string, variables: Record<string, unknown> = {}) {
  const r = await t.client.createProcessInstance({ processDefinitionId: processId, variables });
  return String(r.processInstanceKey);
}

/** The element ids of an instance's element instances in a state, in the order they were created. */
export async function elementIds(t: Target, pi: string, state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED') {
  const r = await t.client.searchElementInstances(
    { filter: { processInstanceKey: k(pi), state }, page: { limit: 100 } },
    consistent(),
  );
  return (r.items ?? [])
    .slice()
    .sort((a: { elementInstanceKey: string }, b: { elementInstanceKey: string }) =>
      BigInt(a.elementInstanceKey) < BigInt(b.elementInstanceKey) ? -1 : 1,
    )
    .map((i: { elementId: string }) => String(i.elementId));
}

export async function instanceState(t: Target, pi: string): Promise<string> {
  const r = await t.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent());
  return String(r.state);
}

export async function variables(t: Target, pi: string): Promise<Record<string, unknown>> {
  const r = await t.client.searchVariables(
    { filter: { processInstanceKey: k(pi) }, page: { limit: 100 } },
    consistent(),
  );
  const out: Record<string, unknown> = {};
  for (const v of r.items as Array<{ name: string; value: string; scopeKey: string }>)
    if (String(v.scopeKey) === pi) out[v.name] = JSON.parse(v.value);
  return out;
}

/** Instances of a process, by state. */
export async function instancesOf(t: Target, processId: string): Promise<string[]> {
  const r = await t.client.searchProcessInstances(
    { filter: { processDefinitionId: processId }, page: { limit: 100 } },
    consistent(),
  );
  return r.items.map((i: { processInstanceKey: string }) => String(i.processInstanceKey));
}

/** Activates and completes the one job of a type (a worker's step). */
export async function completeJob(t: Target, type: string, vars: Record<string, unknown> = {}) {
  const r = await t.client.activateJobs({ type, maxJobsToActivate: 1, timeout: 60_000, worker: 'spec' });
  const job = r.jobs[0];
  if (!job) throw new Error(`no job of type ${type}`);
  await t.client.completeJob({ jobKey: job.jobKey, variables: vars });
}

export const serviceTask = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;

export const flow = (id: string, from: string, to: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** Flows along a chain of element ids (f-<from>-<to>). */
export const chain = (...ids: string[]) =>
  ids
    .slice(1)
    .map((to, i) => flow(`f-${ids[i]}-${to}`, ids[i]!, to))
    .join('\n');

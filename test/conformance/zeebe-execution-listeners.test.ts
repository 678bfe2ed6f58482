// Zeebe fidelity (issue #14 §1.4): execution listeners, driven over /v2 with the official client at strict validation.
// https://docs.camunda.io/docs/components/concepts/execution-listeners/ — start listeners after the input mappings
// and before the element's behaviour, end listeners after the output mappings, one job at a time in model order,
// jobs of kind EXECUTION_LISTENER with listenerEventType START / END; a start listener's variables are local to the
// element, an end listener's propagate like output mappings; a failed listener job with no retries is an
// EXECUTION_LISTENER_NO_RETRIES incident; throwing a BPMN error from a listener job is not supported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const P = 'fid-el';

const listeners = (...ls: Array<[string, string]>) =>
  `<zeebe:executionListeners>${ls.map(([e, type]) => `<zeebe:executionListener eventType="${e}" type="${type}" />`).join('')}</zeebe:executionListeners>`;

beforeAll(async () => {
  t = await startTarget();
  const task = `<bpmn:serviceTask id="task"><bpmn:extensionElements>
    <zeebe:taskDefinition type="${P}-work" />
    <zeebe:ioMapping><zeebe:input source="=input * 2" target="local" /><zeebe:output source="=taskOut" target="result" /></zeebe:ioMapping>
    ${listeners(['start', `${P}-start`], ['end', `${P}-end`])}
  </bpmn:extensionElements></bpmn:serviceTask>`;
  const process = sequenceProcess(P, [['task', task]]).replace(
    `<bpmn:process id="${P}" isExecutable="true">`,
    `<bpmn:process id="${P}" isExecutable="true"><bpmn:extensionElements>${listeners(['end', `${P}-proc-end`])}</bpmn:extensionElements>`,
  );
  await t.client.createDeployment({
    resources: [bpmnFile(`${P}.bpmn`, definitions('defs-fid-el', process))],
  });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Activates the job of `type` of instance `pik` (others of that type are handed back). */
async function take(type: string, pik: string) {
  for (let round = 0; round < 50; round++) {
    const { jobs } = await t.client.activateJobs({
      type,
      timeout: 60_000,
      maxJobsToActivate: 10,
      requestTimeout: 2_000,
    });
    const mine = jobs.find((j) => String(j.processInstanceKey) === pik);
    for (const other of jobs.filter((j) => j !== mine))
      await t.client.failJob({ jobKey: other.jobKey, retries: other.retries });
    if (mine) return mine;
  }
  throw new Error(`no ${type} job for ${pik}`);
}

async function newInstance(): Promise<string> {
  const created = await t.client.createProcessInstance({ processDefinitionId: P, variables: { input: 21 } });
  return String(created.processInstanceKey);
}

describe('execution listeners over /v2', () => {
  it('run in order as EXECUTION_LISTENER jobs with START / END, with the variables the docs describe', async () => {
    const pik = await newInstance();
    const start = await take(`${P}-start`, pik);
    expect(start).toMatchObject({
      kind: 'EXECUTION_LISTENER',
      listenerEventType: 'START',
      elementId: 'task',
    });
    expect(start.variables).toMatchObject({ input: 21, local: 42 });
    await t.client.completeJob({ jobKey: start.jobKey, variables: { fromStart: 'x' } });
    const work = await take(`${P}-work`, pik);
    expect(work).toMatchObject({ kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED' });
    expect(work.variables).toMatchObject({ fromStart: 'x' });
    await t.client.completeJob({ jobKey: work.jobKey, variables: { taskOut: 5 } });
    const end = await take(`${P}-end`, pik);
    expect(end).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'END' });
    expect(end.variables).toMatchObject({ result: 5 });
    await t.client.completeJob({ jobKey: end.jobKey, variables: { fromEnd: true } });
    const procEnd = await take(`${P}-proc-end`, pik);
    expect(procEnd).toMatchObject({ listenerEventType: 'END', elementId: P });
    await t.client.completeJob({ jobKey: procEnd.jobKey });
    const done = await t.client.getProcessInstance(
      { processInstanceKey: k(pik) },
      consistent((x) => x.state === 'COMPLETED'),
    );
    expect(done.state).toBe('COMPLETED');
    const vars = await t.client.searchVariables(
      { filter: { processInstanceKey: k(pik), scopeKey: k(pik) } },
      consistent((x) => x.items.some((v: { name: string }) => v.name === 'fromEnd')),
    );
    const names = vars.items.map((v) => v.name).sort();
    expect(names).toEqual(['fromEnd', 'input', 'result']);
    const searched = await t.client.searchJobs(
      { filter: { processInstanceKey: k(pik), kind: 'EXECUTION_LISTENER', listenerEventType: 'END' } },
      consistent((x) => x.items.length === 2),
    );
    expect(searched.items.map((j) => j.type).sort()).toEqual([`${P}-end`, `${P}-proc-end`]);
  });

  it('a failed listener job with no retries is an EXECUTION_LISTENER_NO_RETRIES incident; resolving it retries that job', async () => {
    const pik = await newInstance();
    const job = await take(`${P}-start`, pik);
    expect(await statusOf(t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'E' }))).toBe(409);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'listener down' });
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
      consistent((x) => (x.items?.length ?? 0) === 1),
    );
    const incident = incidents.items?.[0];
    expect(incident).toMatchObject({
      errorType: 'EXECUTION_LISTENER_NO_RETRIES',
      errorMessage: 'listener down',
    });
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: String(incident?.incidentKey) });
    const again = await take(`${P}-start`, pik);
    expect(String(again.jobKey)).toBe(String(job.jobKey));
    await t.client.completeJob({ jobKey: again.jobKey });
    expect((await take(`${P}-work`, pik)).elementId).toBe('task');
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });

  it('a start listener on a start event is refused at deploy (400)', async () => {
    const bad = sequenceProcess('fid-el-bad', []).replace(
      '<bpmn:startEvent id="start" />',
      `<bpmn:startEvent id="start"><bpmn:extensionElements>${listeners(['start', 'x'])}</bpmn:extensionElements></bpmn:startEvent>`,
    );
    const status = await statusOf(
      t.client.createDeployment({
        resources: [bpmnFile('fid-el-bad.bpmn', definitions('defs-fid-el-bad', bad))],
      }),
    );
    expect(status).toBe(400);
  });
});

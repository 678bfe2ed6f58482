// Process statistics over /v2 with the official client at strict validation (issue 15 §1):
// - element-instance counts per element of a definition and of one instance (active, canceled, incidents,
//   completed): https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition-statistics/
//   and …/specifications/get-process-instance-statistics/
// - the sequence flows an instance took: …/specifications/get-process-instance-sequence-flows/
// - the call hierarchy ("its ancestry up to the root instance"): …/specifications/get-process-instance-call-hierarchy/
// - "incidents caused by the process instance or any of its called process or decision instances":
//   …/specifications/search-process-instance-incidents/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k } from '../conformance/fidelity.ts';
import { startTarget, statusOf, type Target } from '../conformance/target.ts';

let t: Target;
let definitionKey: string;
const keys: Record<'done' | 'called' | 'canceled' | 'waiting', string> = {
  done: '',
  called: '',
  canceled: '',
  waiting: '',
};
let childKey: string;

const MAIN = definitions(
  'stats-main-defs',
  `<bpmn:process id="stats-main" name="Statistics main" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="stats-work" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:exclusiveGateway id="gw" default="fNo" />
  <bpmn:endEvent id="endOk" />
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="stats-child" propagateAllChildVariables="false" /></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:endEvent id="endCalled" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
  <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="gw" />
  <bpmn:sequenceFlow id="fYes" sourceRef="gw" targetRef="endOk"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="call" />
  <bpmn:sequenceFlow id="f4" sourceRef="call" targetRef="endCalled" />
</bpmn:process>`,
);

const CHILD = definitions(
  'stats-child-defs',
  `<bpmn:process id="stats-child" isExecutable="true">
  <bpmn:startEvent id="childStart" />
  <bpmn:serviceTask id="childWork"><bpmn:extensionElements><zeebe:taskDefinition type="stats-child-work" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="childEnd" />
  <bpmn:sequenceFlow id="c1" sourceRef="childStart" targetRef="childWork" />
  <bpmn:sequenceFlow id="c2" sourceRef="childWork" targetRef="childEnd" />
</bpmn:process>`,
);

async function activate(type: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    timeout: 60_000,
    maxJobsToActivate: 10,
    requestTimeout: 1,
  });
  return jobs;
}

beforeAll(async () => {
  t = await startTarget();
  const deployment = await t.client.createDeployment({
    resources: [bpmnFile('stats-main.bpmn', MAIN), bpmnFile('stats-child.bpmn', CHILD)],
  });
  definitionKey = String(
    deployment.processes.find((p) => p.processDefinitionId === 'stats-main')!.processDefinitionKey,
  );
  for (const [name, ok] of [
    ['done', true],
    ['called', false],
    ['canceled', true],
    ['waiting', true],
  ] as const) {
    const created = await t.client.createProcessInstance({
      processDefinitionId: 'stats-main',
      variables: { ok },
    });
    keys[name] = String(created.processInstanceKey);
  }
  await t.client.cancelProcessInstance({ processInstanceKey: k(keys.canceled) });
  for (const job of await activate('stats-work')) {
    if (String(job.processInstanceKey) === keys.waiting) continue;
    await t.client.completeJob({ jobKey: job.jobKey });
  }
  const [childJob] = await activate('stats-child-work');
  childKey = String(childJob!.processInstanceKey);
  await t.client.failJob({ jobKey: childJob!.jobKey, retries: 0, errorMessage: 'ledger offline' });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

// The client reads these int64 counts as BigInt; compared here as numbers.
type Counts = {
  elementId?: unknown;
  active?: unknown;
  canceled?: unknown;
  incidents?: unknown;
  completed?: unknown;
};
const byElement = (items: Counts[] | undefined) =>
  Object.fromEntries(
    (items ?? []).map((c) => [
      String(c.elementId),
      {
        active: Number(c.active),
        canceled: Number(c.canceled),
        incidents: Number(c.incidents),
        completed: Number(c.completed),
      },
    ]),
  );

describe('GET /process-instances/{key}/statistics/element-instances', () => {
  it('counts each element of one instance', async () => {
    const done = await t.client.getProcessInstanceStatistics(
      { processInstanceKey: k(keys.done) },
      consistent(),
    );
    expect(byElement(done.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      work: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      gw: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      endOk: { active: 0, canceled: 0, incidents: 0, completed: 1 },
    });
    const canceled = await t.client.getProcessInstanceStatistics(
      { processInstanceKey: k(keys.canceled) },
      consistent(),
    );
    expect(byElement(canceled.items).work).toEqual({ active: 0, canceled: 1, incidents: 0, completed: 0 });
  });

  it('counts an element instance with an open incident under incidents, not active', async () => {
    const child = await t.client.getProcessInstanceStatistics(
      { processInstanceKey: k(childKey) },
      consistent(),
    );
    expect(byElement(child.items).childWork).toEqual({ active: 0, canceled: 0, incidents: 1, completed: 0 });
    const called = await t.client.getProcessInstanceStatistics(
      { processInstanceKey: k(keys.called) },
      consistent(),
    );
    expect(byElement(called.items).call).toEqual({ active: 1, canceled: 0, incidents: 0, completed: 0 });
  });

  it('answers 404 for an unknown instance', async () => {
    expect(
      await statusOf(
        t.client.getProcessInstanceStatistics({ processInstanceKey: k('2251799813999999') }, consistent()),
      ),
    ).toBe(404);
  });
});

describe('POST /process-definitions/{key}/statistics/element-instances', () => {
  it('adds up every instance of the definition, or those the filter selects', async () => {
    const all = await t.client.getProcessDefinitionStatistics(
      { processDefinitionKey: k(definitionKey) },
      consistent(),
    );
    expect(byElement(all.items)).toMatchObject({
      work: { active: 1, canceled: 1, incidents: 0, completed: 2 },
      call: { active: 1, canceled: 0, incidents: 0, completed: 0 },
      endOk: { active: 0, canceled: 0, incidents: 0, completed: 1 },
    });
    expect(byElement(all.items).childWork).toBeUndefined();
    const active = await t.client.getProcessDefinitionStatistics(
      { processDefinitionKey: k(definitionKey), filter: { state: 'ACTIVE' } },
      consistent(),
    );
    expect(byElement(active.items).work).toEqual({ active: 1, canceled: 0, incidents: 0, completed: 1 });
    const one = await t.client.getProcessDefinitionStatistics(
      { processDefinitionKey: k(definitionKey), filter: { processInstanceKey: k(keys.done) } },
      consistent(),
    );
    expect(Object.keys(byElement(one.items)).sort()).toEqual(['endOk', 'gw', 'start', 'work']);
  });

  it('refuses a filter field the engine does not evaluate, naming it (400), and an unknown definition (404)', async () => {
    const r = await t.raw(`/process-definitions/${definitionKey}/statistics/element-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { errorMessage: 'x' } }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { detail: string }).detail).toContain('errorMessage');
    expect(
      await statusOf(
        t.client.getProcessDefinitionStatistics(
          { processDefinitionKey: k('2251799813999999') },
          consistent(),
        ),
      ),
    ).toBe(404);
  });
});

describe('GET /process-instances/{key}/sequence-flows', () => {
  it('lists each flow the instance took once, and not the flows it did not take', async () => {
    const done = await t.client.getProcessInstanceSequenceFlows(
      { processInstanceKey: k(keys.done) },
      consistent(),
    );
    expect((done.items ?? []).map((f) => f.elementId).sort()).toEqual(['f1', 'f2', 'fYes']);
    expect(done.items?.[0]).toMatchObject({
      processInstanceKey: keys.done,
      processDefinitionKey: definitionKey,
      processDefinitionId: 'stats-main',
    });
    const called = await t.client.getProcessInstanceSequenceFlows(
      { processInstanceKey: k(keys.called) },
      consistent(),
    );
    expect((called.items ?? []).map((f) => f.elementId).sort()).toEqual(['f1', 'f2', 'fNo']);
    const waiting = await t.client.getProcessInstanceSequenceFlows(
      { processInstanceKey: k(keys.waiting) },
      consistent(),
    );
    expect((waiting.items ?? []).map((f) => f.elementId)).toEqual(['f1']);
  });
});

describe('GET /process-instances/{key}/call-hierarchy', () => {
  it('gives the ancestry from the root instance to the instance', async () => {
    const chain = await t.client.getProcessInstanceCallHierarchy(
      { processInstanceKey: k(childKey) },
      consistent(),
    );
    expect(chain.map((e) => String(e.processInstanceKey))).toEqual([keys.called, childKey]);
    expect(chain[0]).toMatchObject({
      processDefinitionKey: definitionKey,
      processDefinitionName: 'Statistics main',
    });
    // a process without a name is named by its id
    expect(chain[1]!.processDefinitionName).toBe('stats-child');
    const root = await t.client.getProcessInstanceCallHierarchy(
      { processInstanceKey: k(keys.done) },
      consistent(),
    );
    expect(root.map((e) => String(e.processInstanceKey))).toEqual([keys.done]);
  });
});

describe('POST /process-instances/{key}/incidents/search', () => {
  it("finds the incidents of the instance and of the instances it called, and no other instance's", async () => {
    const called = await t.client.searchProcessInstanceIncidents(
      { processInstanceKey: k(keys.called) },
      consistent(),
    );
    expect((called.items ?? []).map((i) => [String(i.processInstanceKey), i.elementId, i.errorType])).toEqual(
      [[childKey, 'childWork', 'JOB_NO_RETRIES']],
    );
    expect(Number(called.page.totalItems)).toBe(1);
    const done = await t.client.searchProcessInstanceIncidents(
      { processInstanceKey: k(keys.done) },
      consistent(),
    );
    expect(done.items).toEqual([]);
    expect(
      await statusOf(
        t.client.searchProcessInstanceIncidents({ processInstanceKey: k('2251799813999999') }, consistent()),
      ),
    ).toBe(404);
  });
});

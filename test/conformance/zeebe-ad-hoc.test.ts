// Zeebe fidelity (issue #14): the ad-hoc sub-process, driven over /v2 with the official client at strict validation.
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/ (8.8) — on entry the elements whose ids
// activeElementsCollection lists are activated (none: the sub-process stays active); an id that is no inner element
// is an incident; the completionCondition is evaluated each time an inner flow completes — true completes the
// sub-process, terminating the flows still active unless cancelRemainingInstances is false, in which case it waits for
// them; without a condition it completes once no activated element is active; outputCollection / outputElement
// collect each inner flow's output into a variable propagated to the parent scope; the adHocSubProcessElements
// variable lists the activatable elements. Zeebe runs each activated element in an inner instance of its own
// (AD_HOC_SUB_PROCESS_INNER_INSTANCE). The activation API:
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-ad-hoc-sub-process-activities/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, svc } from './compensation-models.ts';
import { bpmnFile, consistent, definitions, k } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;

interface AdHocOptions {
  collection?: string;
  condition?: string;
  cancel?: boolean;
  output?: [string, string];
  attrs?: string;
}

/** An ad-hoc sub-process around `inner`, as Modeler 8.8 writes it. */
const adHoc = (id: string, inner: string, o: AdHocOptions = {}) => {
  const attrs = [
    o.collection ? ` activeElementsCollection="${o.collection}"` : '',
    o.output ? ` outputCollection="${o.output[0]}" outputElement="${o.output[1]}"` : '',
  ].join('');
  const condition = o.condition
    ? `<bpmn:completionCondition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression">${o.condition}</bpmn:completionCondition>`
    : '';
  const cancel = o.cancel === false ? ' cancelRemainingInstances="false"' : '';
  return `<bpmn:adHocSubProcess id="${id}"${cancel}${o.attrs ?? ''}><bpmn:extensionElements><zeebe:adHoc${attrs} /></bpmn:extensionElements>${inner}${condition}</bpmn:adHocSubProcess>`;
};

/** start → the ad-hoc sub-process `AH` → end, plus what `extra` adds (boundary events). */
const around = (id: string, ah: string, extra = '') =>
  `<bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="start" />${ah}<bpmn:endEvent id="end" />${chain('f', ['start', 'AH', 'end'])}${extra}</bpmn:process>`;

const MODELS = [
  around(
    'fid-ah-collection',
    adHoc('AH', svc('A', 'fah-a') + svc('B', 'fah-b') + svc('C', 'fah-c'), { collection: '=toDo' }),
  ),
  // X leads on to Y inside the sub-process: X is activatable, Y is not
  around(
    'fid-ah-api',
    adHoc('AH', `${svc('X', 'fapi-x')}${svc('Y', 'fapi-y')}${svc('Z', 'fapi-z')}${chain('xy', ['X', 'Y'])}`),
  ),
  around(
    'fid-ah-cancel',
    adHoc('AH', svc('A', 'fcan-a') + svc('B', 'fcan-b'), { collection: '=toDo', condition: '=done = true' }),
  ),
  around(
    'fid-ah-wait',
    adHoc('AH', svc('A', 'fwait-a') + svc('B', 'fwait-b'), {
      collection: '=toDo',
      condition: '=done = true',
      cancel: false,
    }),
  ),
  around(
    'fid-ah-output',
    adHoc('AH', svc('A', 'fout-a') + svc('B', 'fout-b'), {
      collection: '=toDo',
      output: ['results', '=result'],
    }),
  ),
  around(
    'fid-ah-boundary',
    adHoc('AH', svc('A', 'fbnd-a') + svc('B', 'fbnd-b'), { collection: '=toDo' }),
    `<bpmn:boundaryEvent id="failed" attachedToRef="AH"><bpmn:errorEventDefinition errorRef="fail" /></bpmn:boundaryEvent><bpmn:endEvent id="failedEnd" /><bpmn:sequenceFlow id="b0" sourceRef="failed" targetRef="failedEnd" />`,
  ),
  around('fid-ah-condfail', adHoc('AH', svc('A', 'fcf-a'), { collection: '=toDo', condition: '=ready' })),
  // the job worker implementation: a job for the worker (the AI agent's) that decides what to activate
  around(
    'fid-ah-worker',
    adHoc('AH', svc('A', 'fjw-a') + svc('B', 'fjw-b')).replace(
      '<zeebe:adHoc',
      '<zeebe:taskDefinition type="fjw-agent" retries="1" /><zeebe:adHoc',
    ),
  ),
];

beforeAll(async () => {
  t = await startTarget();
  const error = '<bpmn:error id="fail" name="fail" errorCode="FAIL" />';
  const resources = MODELS.map((model, i) =>
    bpmnFile(`fid-ah-${i}.bpmn`, definitions(`defs-fid-ah-${i}`, `${error}\n${model}`)),
  );
  await t.client.createDeployment({ resources });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

type Job = { jobKey: string; elementId: string; variables: Record<string, unknown> };

async function take(type: string, count = 1): Promise<Job[]> {
  const got: Job[] = [];
  for (let round = 0; got.length < count && round < 50; round++) {
    const { jobs } = await t.client.activateJobs({
      type,
      timeout: 60_000,
      maxJobsToActivate: count - got.length,
      requestTimeout: 1_000,
    });
    got.push(...(jobs as unknown as Job[]));
  }
  expect(got).toHaveLength(count);
  return got;
}

async function none(type: string): Promise<void> {
  const { jobs } = await t.client.activateJobs({
    type,
    timeout: 60_000,
    maxJobsToActivate: 10,
    requestTimeout: 300,
  });
  expect(jobs).toHaveLength(0);
}

async function complete(type: string, variables: Record<string, unknown> = {}) {
  const [job] = await take(type);
  await t.client.completeJob({ jobKey: job!.jobKey, variables });
}

async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const created = await t.client.createProcessInstance({ processDefinitionId: processId, variables });
  return String(created.processInstanceKey);
}

type Instance = { elementInstanceKey: string; state: string; type: string; elementId: string };

async function instances(pik: string, elementId: string): Promise<Instance[]> {
  const found = await t.client.searchElementInstances(
    { filter: { processInstanceKey: k(pik), elementId: k(elementId) } },
    consistent((x) => (x.items?.length ?? 0) > 0),
  );
  return (found.items ?? []) as unknown as Instance[];
}

async function stateOf(pik: string, elementId: string): Promise<string[]> {
  return (await instances(pik, elementId)).map((e) => e.state);
}

async function adHocKey(pik: string): Promise<string> {
  return (await instances(pik, 'AH'))[0]!.elementInstanceKey;
}

async function stateOfInstance(pik: string): Promise<string> {
  return String((await t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistent())).state);
}

const activate = (key: string, elements: Array<{ elementId: string; variables?: Record<string, unknown> }>) =>
  t.client.activateAdHocSubProcessActivities({
    adHocSubProcessInstanceKey: k(key),
    elements: elements as never,
  });

describe('the ad-hoc sub-process over /v2', () => {
  it('activates on entry the elements activeElementsCollection names, each in an inner instance; with no completion condition it completes once none is active', async () => {
    const pik = await start('fid-ah-collection', { toDo: ['A', 'B'] });
    const [a] = await take('fah-a');
    const [b] = await take('fah-b');
    await none('fah-c');
    const inner = await instances(pik, 'AH#innerInstance');
    expect(inner.map((i) => [i.type, i.state])).toEqual([
      ['AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'ACTIVE'],
      ['AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'ACTIVE'],
    ]);
    expect((await instances(pik, 'AH'))[0]!.type).toBe('AD_HOC_SUB_PROCESS');
    await t.client.completeJob({ jobKey: a!.jobKey });
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: b!.jobKey });
    expect(await stateOf(pik, 'AH')).toEqual(['COMPLETED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('sets adHocSubProcessElements on the sub-process: the elements without incoming flows', async () => {
    const pik = await start('fid-ah-api');
    const key = await adHocKey(pik);
    const vars = await t.client.searchVariables(
      { filter: { scopeKey: k(key), name: 'adHocSubProcessElements' } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    const value = JSON.parse(String(vars.items[0]!.value)) as Array<{ elementId: string }>;
    expect(value.map((e) => e.elementId)).toEqual(['X', 'Z']);
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });

  it('with nothing to activate it stays active; the activation API activates elements with their variables on the inner instance', async () => {
    const pik = await start('fid-ah-api');
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    await none('fapi-x');
    const key = await adHocKey(pik);
    await activate(key, [{ elementId: 'X', variables: { ticket: 7 } }]);
    const [x] = await take('fapi-x');
    expect(x!.variables).toMatchObject({ ticket: 7 });
    const inner = await instances(pik, 'AH#innerInstance');
    const local = await t.client.searchVariables(
      { filter: { scopeKey: k(inner[0]!.elementInstanceKey) } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    expect(local.items.map((v) => v.name)).toEqual(['ticket']);
    await t.client.completeJob({ jobKey: x!.jobKey });
    // Y follows X in the same inner flow and sees its variables
    const [y] = await take('fapi-y');
    expect(y!.variables).toMatchObject({ ticket: 7 });
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: y!.jobKey });
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
    expect((await instances(pik, 'AH#innerInstance')).map((i) => i.state)).toEqual(['COMPLETED']);
  });

  it('the activation API refuses an unknown key, an instance of another element, an element that cannot be activated and duplicates', async () => {
    const pik = await start('fid-ah-api');
    const key = await adHocKey(pik);
    expect(await statusOf(activate('2251799813999999', [{ elementId: 'X' }]))).toBe(404);
    expect(await statusOf(activate(pik, [{ elementId: 'X' }]))).toBe(404);
    const notActivatable = await t.raw(`/element-instances/ad-hoc-activities/${key}/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ elements: [{ elementId: 'Y' }, { elementId: 'nope' }] }),
    });
    // Zeebe's AdHocSubProcessInstructionActivateProcessor: NOT_FOUND, naming the elements
    expect(notActivatable.status).toBe(404);
    expect(((await notActivatable.json()) as { detail: string }).detail).toContain('[Y, nope] do not exist');
    expect(await statusOf(activate(key, [{ elementId: 'X' }, { elementId: 'X' }]))).toBe(400);
    const noId = await t.raw(`/element-instances/ad-hoc-activities/${key}/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ elements: [{ variables: {} }] }),
    });
    expect(noId.status).toBe(400);
    expect(((await noId.json()) as { detail: string }).detail).toContain('elements[0].elementId');
    await none('fapi-x');
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    expect(await statusOf(activate(key, [{ elementId: 'X' }]))).toBe(404);
  });

  it('a completion condition met terminates the inner flows still active (cancelRemainingInstances by default)', async () => {
    const pik = await start('fid-ah-cancel', { toDo: ['A', 'B'] });
    await take('fcan-b');
    await complete('fcan-a', { done: true });
    expect(await stateOf(pik, 'B')).toEqual(['TERMINATED']);
    expect(await stateOf(pik, 'AH')).toEqual(['COMPLETED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('a completion condition not met leaves the sub-process active, even with no inner flow left', async () => {
    const pik = await start('fid-ah-cancel', { toDo: ['A'] });
    await complete('fcan-a', { done: false });
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    await activate(await adHocKey(pik), [{ elementId: 'B' }]);
    await complete('fcan-b', { done: true });
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('with cancelRemainingInstances="false" a met condition waits for the inner flows still active', async () => {
    const pik = await start('fid-ah-wait', { toDo: ['A', 'B'] });
    const [b] = await take('fwait-b');
    await complete('fwait-a', { done: true });
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    expect(await stateOf(pik, 'B')).toEqual(['ACTIVE']);
    // the condition was met before: the last inner flow completes the sub-process, whatever it sets
    await t.client.completeJob({ jobKey: b!.jobKey, variables: { done: false } });
    expect(await stateOf(pik, 'AH')).toEqual(['COMPLETED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('outputCollection gathers each inner flow’s outputElement and is propagated to the parent scope', async () => {
    const pik = await start('fid-ah-output', { toDo: ['A', 'B'] });
    const [b] = await take('fout-b');
    await complete('fout-a', { result: 'a' });
    await t.client.completeJob({ jobKey: b!.jobKey, variables: { result: 'b' } });
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
    const vars = await t.client.searchVariables(
      { filter: { scopeKey: k(pik), name: 'results' } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    expect(JSON.parse(String(vars.items[0]!.value))).toEqual(['a', 'b']);
  });

  it('an id in activeElementsCollection that is no inner element is an incident; resolved, the elements are activated', async () => {
    const pik = await start('fid-ah-collection', { toDo: ['A', 'nope'] });
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik) } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    const incident = incidents.items![0]!;
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident.errorMessage).toBe(
      "Failed to activate ad-hoc elements. No BPMN elements found with ids: 'nope'.",
    );
    expect(incident.elementId).toBe('AH');
    await none('fah-a');
    await t.client.createElementInstanceVariables({
      elementInstanceKey: k(pik),
      variables: { toDo: ['C'] },
    });
    await t.client.resolveIncident({ incidentKey: k(String(incident.incidentKey)) });
    await complete('fah-c');
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('a completion condition that is no boolean is an incident; resolved after the variable is fixed, it is evaluated again', async () => {
    const pik = await start('fid-ah-condfail', { toDo: ['A'] });
    await complete('fcf-a');
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik) } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    const incident = incidents.items![0]!;
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident.errorMessage).toMatch(/^Failed to evaluate completion condition\. /);
    expect(await stateOf(pik, 'AH')).toEqual(['ACTIVE']);
    await t.client.createElementInstanceVariables({ elementInstanceKey: k(pik), variables: { ready: true } });
    await t.client.resolveIncident({ incidentKey: k(String(incident.incidentKey)) });
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('an interrupting boundary event on the sub-process terminates it with its inner flows', async () => {
    const pik = await start('fid-ah-boundary', { toDo: ['A', 'B'] });
    await take('fbnd-b');
    const [a] = await take('fbnd-a');
    await t.client.throwJobError({ jobKey: a!.jobKey, errorCode: 'FAIL' });
    expect(await stateOf(pik, 'AH')).toEqual(['TERMINATED']);
    expect(await stateOf(pik, 'B')).toEqual(['TERMINATED']);
    expect(await stateOf(pik, 'failedEnd')).toEqual(['COMPLETED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('cancelling the process instance terminates the sub-process, its inner instances and their jobs', async () => {
    const pik = await start('fid-ah-collection', { toDo: ['A'] });
    await take('fah-a');
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    expect(await stateOf(pik, 'AH')).toEqual(['TERMINATED']);
    expect(await stateOf(pik, 'AH#innerInstance')).toEqual(['TERMINATED']);
    expect(await stateOf(pik, 'A')).toEqual(['TERMINATED']);
  });
});

// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#job-worker-implementation — a job on
// activation; the worker completes it with a result of type adHocSubProcess that activates elements or fulfils the
// completion condition; whenever an inner flow completes a new job is created, only one active at a time.
describe('the job worker implementation of the ad-hoc sub-process over /v2', () => {
  type Result = {
    type: 'adHocSubProcess';
    activateElements?: Array<{ elementId: string; variables?: Record<string, unknown> }>;
    isCompletionConditionFulfilled?: boolean;
    isCancelRemainingInstances?: boolean;
  };
  const decide = (jobKey: string, result: Result, variables: Record<string, unknown> = {}) =>
    t.client.completeJob({ jobKey: k(jobKey), variables, result: result as never });

  it('a job of kind AD_HOC_SUB_PROCESS on entry; its result activates elements; each completed inner flow asks again; fulfilled, the sub-process completes', async () => {
    const pik = await start('fid-ah-worker');
    const [agent] = await take('fjw-agent');
    const job = (await t.client.searchJobs({ filter: { jobKey: k(agent!.jobKey) } }, consistent())).items[0]!;
    expect(job.kind).toBe('AD_HOC_SUB_PROCESS');
    expect(agent!.elementId).toBe('AH');
    const elements = agent!.variables.adHocSubProcessElements as Array<{ elementId: string }>;
    expect(elements.map((e) => e.elementId)).toEqual(['A', 'B']);
    await decide(
      agent!.jobKey,
      { type: 'adHocSubProcess', activateElements: [{ elementId: 'A', variables: { q: 1 } }] },
      { turn: 1 },
    );
    const [a] = await take('fjw-a');
    expect(a!.variables).toMatchObject({ q: 1, turn: 1 });
    await none('fjw-agent');
    await t.client.completeJob({ jobKey: a!.jobKey });
    const [again] = await take('fjw-agent');
    await decide(again!.jobKey, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true });
    expect(await stateOf(pik, 'AH')).toEqual(['COMPLETED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
  });

  it('fulfilled while an inner flow runs: it waits for it, or ends it with isCancelRemainingInstances; a new job replaces the open one', async () => {
    const pik = await start('fid-ah-worker');
    const [first] = await take('fjw-agent');
    await decide(first!.jobKey, {
      type: 'adHocSubProcess',
      activateElements: [{ elementId: 'A' }, { elementId: 'B' }],
    });
    const [a] = await take('fjw-a');
    const [b] = await take('fjw-b');
    await t.client.completeJob({ jobKey: a!.jobKey });
    const [second] = await take('fjw-agent');
    await decide(second!.jobKey, {
      type: 'adHocSubProcess',
      isCompletionConditionFulfilled: true,
      isCancelRemainingInstances: true,
    });
    expect(await stateOf(pik, 'B')).toEqual(['TERMINATED']);
    expect(await stateOfInstance(pik)).toBe('COMPLETED');
    expect(await statusOf(t.client.completeJob({ jobKey: b!.jobKey }))).toBe(404);

    const waiting = await start('fid-ah-worker');
    const [w1] = await take('fjw-agent');
    await decide(w1!.jobKey, {
      type: 'adHocSubProcess',
      activateElements: [{ elementId: 'A' }, { elementId: 'B' }],
    });
    const [wa] = await take('fjw-a');
    const [wb] = await take('fjw-b');
    await t.client.completeJob({ jobKey: wa!.jobKey });
    const [w2] = await take('fjw-agent');
    await decide(w2!.jobKey, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true });
    expect(await stateOf(waiting, 'AH')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: wb!.jobKey });
    await none('fjw-agent');
    expect(await stateOfInstance(waiting)).toBe('COMPLETED');
  });

  it('refuses a result that both activates and fulfils (400), names unknown elements (404), and a result of that type on another job (400)', async () => {
    const pik = await start('fid-ah-worker');
    const [agent] = await take('fjw-agent');
    const both = decide(agent!.jobKey, {
      type: 'adHocSubProcess',
      activateElements: [{ elementId: 'A' }],
      isCompletionConditionFulfilled: true,
    });
    if (t.kind === 'embedded') expect(await statusOf(both)).toBe(400);
    const unknown = await t.raw(`/jobs/${agent!.jobKey}/completion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'nope' }] },
      }),
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('nope');
    await decide(agent!.jobKey, { type: 'adHocSubProcess', activateElements: [{ elementId: 'A' }] });
    const [a] = await take('fjw-a');
    expect(
      await statusOf(decide(a!.jobKey, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true })),
    ).toBe(400);
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    await none('fjw-agent');
  });

  it('its job failed with no retries left is an AD_HOC_SUB_PROCESS_NO_RETRIES incident', async () => {
    const pik = await start('fid-ah-worker');
    const [agent] = await take('fjw-agent');
    await t.client.failJob({ jobKey: k(agent!.jobKey), retries: 0, errorMessage: 'agent down' });
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik) } },
      consistent((x) => (x.items?.length ?? 0) > 0),
    );
    expect(incidents.items![0]).toMatchObject({
      errorType: 'AD_HOC_SUB_PROCESS_NO_RETRIES',
      errorMessage: 'agent down',
      elementId: 'AH',
    });
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });
});

/** Deploys a one-process model and answers the refusal's status and detail. */
async function refusal(body: string): Promise<{ status: number; detail: string }> {
  const xml = definitions(
    'defs-fid-ah-bad',
    `<bpmn:process id="fid-ah-bad" isExecutable="true">${body}</bpmn:process>`,
  );
  try {
    await t.client.createDeployment({ resources: [bpmnFile('fid-ah-bad.bpmn', xml)] });
  } catch (e) {
    const { status, detail } = e as { status: number; detail: string };
    return { status, detail };
  }
  return { status: 200, detail: '' };
}

describe('ad-hoc sub-processes Zeebe refuses at deploy (its AdHocSubProcessValidator)', () => {
  const inProcess = (ah: string) =>
    `<bpmn:startEvent id="start" />${ah}<bpmn:endEvent id="end" />${chain('f', ['start', 'AH', 'end'])}`;

  it('a start event inside', async () => {
    const r = await refusal(inProcess(adHoc('AH', `<bpmn:startEvent id="inner" />${svc('A', 'x')}`)));
    expect(r.status).toBe(400);
    expect(r.detail).toContain('Must not contain a start event.');
  });

  it('an end event inside', async () => {
    const r = await refusal(inProcess(adHoc('AH', `${svc('A', 'x')}<bpmn:endEvent id="innerEnd" />`)));
    expect(r.status).toBe(400);
    expect(r.detail).toContain('Must not contain an end event.');
  });

  const worker = (o: AdHocOptions) =>
    inProcess(
      adHoc('AH', svc('A', 'x'), o).replace(
        '<zeebe:adHoc',
        '<zeebe:taskDefinition type="agent" /><zeebe:adHoc',
      ),
    );

  it('a job worker implementation with cancelRemainingInstances="false", a completionCondition or an activeElementsCollection', async () => {
    for (const [o, message] of [
      [
        { cancel: false },
        'Must not set cancelRemainingInstances to false in combination with zeebe:taskDefinition',
      ],
      [{ condition: '=true' }, 'Must not set completionCondition in combination with zeebe:taskDefinition'],
      [
        { collection: '=toDo' },
        'Must not set activeElementsCollection in combination with zeebe:taskDefinition',
      ],
    ] as Array<[AdHocOptions, string]>) {
      const r = await refusal(worker(o));
      expect(r.status).toBe(400);
      expect(r.detail).toContain(message);
    }
  });

  it('no activity inside', async () => {
    const r = await refusal(inProcess(adHoc('AH', '')));
    expect(r.status).toBe(400);
    expect(r.detail).toContain('Must have at least one activity.');
  });
});

describe('what the embedded engine refuses around the ad-hoc sub-process (docs/camunda-compatibility.md)', () => {
  it('a migration of an instance in an ad-hoc sub-process is refused (409); a modification activating an inner element is refused (400)', async () => {
    if (t.kind === 'camunda') return; // the engine's own limits
    const pik = await start('fid-ah-collection', { toDo: ['A'] });
    await take('fah-a');
    const def = await t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistent());
    const migrated = t.client.migrateProcessInstance({
      processInstanceKey: k(pik),
      targetProcessDefinitionKey: k(String(def.processDefinitionKey)),
      mappingInstructions: [
        { sourceElementId: k('AH'), targetElementId: k('AH') },
        { sourceElementId: k('A'), targetElementId: k('A') },
      ],
    });
    expect(await statusOf(migrated)).toBe(409);
    const modified = t.client.modifyProcessInstance({
      processInstanceKey: k(pik),
      activateInstructions: [{ elementId: k('B') }],
    });
    expect(await statusOf(modified)).toBe(400);
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });
});

// Zeebe fidelity (issue #14 §2): compensation, driven over /v2 with the official client at strict validation.
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/ — a compensation throw or end event
// invokes the handlers of the completed activities of its scope, all at once (or only its activityRef's), and stays
// active until they have completed; handlers of active activities are not invoked; the handlers inside completed
// embedded sub-processes are invoked, a throw event inside a sub-process invokes only those inside it; a
// multi-instance activity's handler is invoked once; a throw event in an event sub-process compensates the scope
// around it. https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/ — an activity completed
// twice has its handler invoked twice; a handler's input mappings apply before and its output mappings after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, compensable, compensationEnd, compensationThrow, svc } from './compensation-models.ts';
import { bpmnFile, consistent, definitions, k } from './fidelity.ts';
import { startTarget, type Target } from './target.ts';

let t: Target;

const process = (id: string, body: string) =>
  `<bpmn:process id="${id}" isExecutable="true">\n${body}\n</bpmn:process>`;

/** Start → the given elements → end, in one process. */
const line = (id: string, elements: Array<[string, string]>) =>
  process(
    id,
    `<bpmn:startEvent id="start" />\n${elements.map(([, xml]) => xml).join('\n')}\n<bpmn:endEvent id="end" />\n${chain('f', ['start', ...elements.map(([i]) => i), 'end'])}`,
  );

const MODELS = [
  // all of the scope, at once; the handler's mappings
  line('fid-comp-all', [
    [
      'A',
      compensable(
        'A',
        'fcall-a',
        '<zeebe:ioMapping><zeebe:input source="=amount" target="toRefund" /><zeebe:output source="=refunded" target="refundedA" /></zeebe:ioMapping>',
      ),
    ],
    ['B', compensable('B', 'fcall-b')],
    ['C', svc('C', 'fcall-c')],
    ['throw', compensationThrow('throw')],
    ['after', svc('after', 'fcall-after')],
  ]),
  // activityRef: B undone before A
  line('fid-comp-ref', [
    ['A', compensable('A', 'fcref-a')],
    ['B', compensable('B', 'fcref-b')],
    ['throwB', compensationThrow('throwB', 'B')],
    ['throwA', compensationThrow('throwA', 'A')],
  ]),
  // completed activities only (W is still active), A completed twice
  process(
    'fid-comp-twice',
    `<bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" />
    ${compensable('W', 'fctw-w')}
    ${compensable('A', 'fctw-a')}
    <bpmn:exclusiveGateway id="again" default="toThrow" />
    ${compensationThrow('throw')}
    <bpmn:endEvent id="end" />
    ${chain('s', ['start', 'fork', 'W', 'join', 'end'])}
    <bpmn:sequenceFlow id="toA" sourceRef="fork" targetRef="A" />
    <bpmn:sequenceFlow id="toAgain" sourceRef="A" targetRef="again" />
    <bpmn:sequenceFlow id="loop" sourceRef="again" targetRef="A"><bpmn:conditionExpression>=count &lt; 2</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toThrow" sourceRef="again" targetRef="throw" />
    <bpmn:sequenceFlow id="toJoin" sourceRef="throw" targetRef="join" />`,
  ),
  // embedded sub-processes: a compensation end event inside S1 undoes only B; the throw event after S2 undoes X and
  // D inside the completed S2, not B again
  line('fid-comp-sub', [
    ['X', compensable('X', 'fcsub-x')],
    [
      'S1',
      `<bpmn:subProcess id="S1"><bpmn:startEvent id="s1start" />${compensable('B', 'fcsub-b')}${compensationEnd('s1end')}${chain('s1f', ['s1start', 'B', 's1end'])}</bpmn:subProcess>`,
    ],
    [
      'S2',
      `<bpmn:subProcess id="S2"><bpmn:startEvent id="s2start" />${compensable('D', 'fcsub-d')}<bpmn:endEvent id="s2end" />${chain('s2f', ['s2start', 'D', 's2end'])}</bpmn:subProcess>`,
    ],
    ['throw', compensationThrow('throw')],
  ]),
  // a multi-instance activity's handler runs once
  line('fid-comp-mi', [
    [
      'A',
      compensable('A', 'fcmi-a').replace(
        '<bpmn:extensionElements><zeebe:taskDefinition type="fcmi-a" /></bpmn:extensionElements>',
        '<bpmn:extensionElements><zeebe:taskDefinition type="fcmi-a" /></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>',
      ),
    ],
    ['throw', compensationThrow('throw')],
  ]),
  // an error event sub-process whose compensation end event undoes what the process completed
  line('fid-comp-esp', [
    ['A', compensable('A', 'fcesp-a')],
    ['F', svc('F', 'fcesp-f')],
  ]).replace(
    '<bpmn:endEvent id="end" />',
    `<bpmn:endEvent id="end" />
    <bpmn:subProcess id="onError" triggeredByEvent="true">
      <bpmn:startEvent id="errStart"><bpmn:errorEventDefinition errorRef="fail" /></bpmn:startEvent>
      ${compensationEnd('undoAll')}
      <bpmn:sequenceFlow id="e0" sourceRef="errStart" targetRef="undoAll" />
    </bpmn:subProcess>`,
  ),
  // a sub-process terminated by an error boundary event: B inside it completed, but is not compensated
  line('fid-comp-term', [
    [
      'S',
      `<bpmn:subProcess id="S"><bpmn:startEvent id="ss" />${compensable('B', 'fcterm-b')}${svc('W', 'fcterm-w')}<bpmn:endEvent id="se" />${chain('sf', ['ss', 'B', 'W', 'se'])}</bpmn:subProcess>
      <bpmn:boundaryEvent id="failed" attachedToRef="S"><bpmn:errorEventDefinition errorRef="fail" /></bpmn:boundaryEvent>
      ${compensationThrow('undoAfterFailure')}
      <bpmn:sequenceFlow id="t0" sourceRef="failed" targetRef="undoAfterFailure" />
      <bpmn:endEvent id="failedEnd" /><bpmn:sequenceFlow id="t1" sourceRef="undoAfterFailure" targetRef="failedEnd" />`,
    ],
  ]),
  // activityRef naming a completed sub-process: the handlers inside it, not X's
  line('fid-comp-refsub', [
    [
      'S',
      `<bpmn:subProcess id="S"><bpmn:startEvent id="ss" />${compensable('B', 'fcrs-b')}<bpmn:endEvent id="se" />${chain('sf', ['ss', 'B', 'se'])}</bpmn:subProcess>`,
    ],
    ['X', compensable('X', 'fcrs-x')],
    ['throw', compensationThrow('throw', 'S')],
  ]),
  // a handler the association leads to without the isForCompensation marker (Zeebe's BoundaryEventValidator asks
  // only for the association)
  line('fid-comp-nomark', [
    ['A', compensable('A', 'fcnm-a').replace(' isForCompensation="true"', '')],
    ['throw', compensationThrow('throw')],
    ['after', svc('after', 'fcnm-after')],
  ]),
  // an embedded sub-process as compensation handler
  line('fid-comp-subhandler', [
    [
      'A',
      `${svc('A', 'fcsh-a')}
      <bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:subProcess id="undo_A" isForCompensation="true"><bpmn:startEvent id="us" />${svc('U1', 'fcsh-u1')}${svc('U2', 'fcsh-u2')}<bpmn:endEvent id="ue" />${chain('uf', ['us', 'U1', 'U2', 'ue'])}</bpmn:subProcess>
      <bpmn:association id="A_assoc" sourceRef="A_comp" targetRef="undo_A" />`,
    ],
    ['throw', compensationThrow('throw')],
  ]),
];

beforeAll(async () => {
  t = await startTarget();
  const error = '<bpmn:error id="fail" name="fail" errorCode="FAIL" />';
  const resources = MODELS.map((model, i) =>
    bpmnFile(`fid-comp-${i}.bpmn`, definitions(`defs-fid-comp-${i}`, `${error}\n${model}`)),
  );
  await t.client.createDeployment({ resources });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

type Job = { jobKey: string; elementId: string; variables: Record<string, unknown> };

/** Activates the jobs of `type` (each spec has job types of its own) until `count` are in hand. */
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

/** No job of `type` can be activated now. */
async function none(type: string): Promise<void> {
  const { jobs } = await t.client.activateJobs({
    type,
    timeout: 60_000,
    maxJobsToActivate: 10,
    requestTimeout: 300,
  });
  expect(jobs).toHaveLength(0);
}

async function complete(type: string, variables: Record<string, unknown> = {}, count = 1) {
  for (const job of await take(type, count)) await t.client.completeJob({ jobKey: job.jobKey, variables });
}

async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const created = await t.client.createProcessInstance({ processDefinitionId: processId, variables });
  return String(created.processInstanceKey);
}

async function stateOf(pik: string, elementId: string): Promise<string[]> {
  const found = await t.client.searchElementInstances(
    { filter: { processInstanceKey: k(pik), elementId: k(elementId) } },
    consistent((x) => (x.items?.length ?? 0) > 0),
  );
  return (found.items ?? []).map((e) => String(e.state));
}

async function completed(pik: string): Promise<void> {
  const done = await t.client.getProcessInstance(
    { processInstanceKey: k(pik) },
    consistent((x) => x.state === 'COMPLETED'),
  );
  expect(done.state).toBe('COMPLETED');
}

describe('compensation over /v2', () => {
  it('a throw event invokes the handlers of every completed activity of its scope at once and waits for them; the handler maps its variables', async () => {
    const pik = await start('fid-comp-all', { amount: 5 });
    await complete('fcall-a');
    await complete('fcall-b');
    await complete('fcall-c');
    // both handlers at once, before either completes; C has none
    const [undoA] = await take('fcall-a-undo');
    const [undoB] = await take('fcall-b-undo');
    expect(undoA!.elementId).toBe('undo_A');
    expect(undoA!.variables).toMatchObject({ toRefund: 5 });
    expect(await stateOf(pik, 'throw')).toEqual(['ACTIVE']);
    expect(await stateOf(pik, 'A_comp')).toEqual(['COMPLETED']);
    await t.client.completeJob({ jobKey: undoA!.jobKey, variables: { refunded: true } });
    expect(await stateOf(pik, 'throw')).toEqual(['ACTIVE']);
    await none('fcall-after');
    await t.client.completeJob({ jobKey: undoB!.jobKey });
    // the last handler done: the throw event completes and the token goes on
    const [after] = await take('fcall-after');
    expect(after!.variables).toMatchObject({ refundedA: true });
    expect(after!.variables).not.toHaveProperty('toRefund');
    expect(await stateOf(pik, 'throw')).toEqual(['COMPLETED']);
    await t.client.completeJob({ jobKey: after!.jobKey });
    await completed(pik);
  });

  it('activityRef compensates one activity, so that handlers run in the order the throw events give', async () => {
    const pik = await start('fid-comp-ref');
    await complete('fcref-a');
    await complete('fcref-b');
    // throwB undoes B only; A's handler waits until throwA is reached
    const [undoB] = await take('fcref-b-undo');
    await none('fcref-a-undo');
    expect(await stateOf(pik, 'throwB')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: undoB!.jobKey });
    const [undoA] = await take('fcref-a-undo');
    expect(await stateOf(pik, 'throwA')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: undoA!.jobKey });
    await completed(pik);
  });

  it('only completed activities are compensated, and an activity completed twice has its handler invoked twice', async () => {
    const pik = await start('fid-comp-twice');
    const [w] = await take('fctw-w'); // W stays active
    await complete('fctw-a', { count: 1 });
    await complete('fctw-a', { count: 2 });
    const undos = await take('fctw-a-undo', 2);
    expect(undos.map((j) => j.elementId)).toEqual(['undo_A', 'undo_A']);
    await none('fctw-w-undo');
    for (const j of undos) await t.client.completeJob({ jobKey: j.jobKey });
    expect(await stateOf(pik, 'throw')).toEqual(['COMPLETED']);
    await t.client.completeJob({ jobKey: w!.jobKey });
    await completed(pik);
    await none('fctw-w-undo');
  });

  it('a compensation end event in a sub-process undoes only what is inside; a throw event after a completed sub-process undoes what is inside it', async () => {
    const pik = await start('fid-comp-sub');
    await complete('fcsub-x');
    await complete('fcsub-b');
    // S1's compensation end event: B only
    const [undoB] = await take('fcsub-b-undo');
    await none('fcsub-x-undo');
    expect(await stateOf(pik, 's1end')).toEqual(['ACTIVE']);
    await t.client.completeJob({ jobKey: undoB!.jobKey });
    await complete('fcsub-d');
    // the process-level throw event: X, and D inside the completed S2; B was compensated already
    await complete('fcsub-x-undo');
    await complete('fcsub-d-undo');
    await none('fcsub-b-undo');
    await completed(pik);
  });

  it("a multi-instance activity's handler is invoked once, after all its instances completed", async () => {
    const pik = await start('fid-comp-mi', { items: [1, 2, 3] });
    await complete('fcmi-a', {}, 3);
    await complete('fcmi-a-undo');
    await none('fcmi-a-undo');
    await completed(pik);
  });

  it('a compensation end event in an error event sub-process undoes what the process completed', async () => {
    const pik = await start('fid-comp-esp');
    await complete('fcesp-a');
    const [f] = await take('fcesp-f');
    await t.client.throwJobError({ jobKey: f!.jobKey, errorCode: 'FAIL', errorMessage: 'payment refused' });
    await complete('fcesp-a-undo');
    await completed(pik);
    expect(await stateOf(pik, 'undoAll')).toEqual(['COMPLETED']);
  });

  it('activityRef may name a sub-process: the handlers inside it are invoked', async () => {
    const pik = await start('fid-comp-refsub');
    await complete('fcrs-b');
    await complete('fcrs-x');
    const [undoB] = await take('fcrs-b-undo');
    await none('fcrs-x-undo');
    await t.client.completeJob({ jobKey: undoB!.jobKey });
    await completed(pik);
    await none('fcrs-x-undo');
  });

  it('the handler an association leads to is the handler, with or without the compensation marker', async () => {
    const pik = await start('fid-comp-nomark');
    await complete('fcnm-a');
    await complete('fcnm-a-undo');
    await complete('fcnm-after');
    await completed(pik);
  });

  it('the handlers of a terminated sub-process are not invoked', async () => {
    const pik = await start('fid-comp-term');
    await complete('fcterm-b');
    const [w] = await take('fcterm-w');
    await t.client.throwJobError({ jobKey: w!.jobKey, errorCode: 'FAIL', errorMessage: 'gave up' });
    await completed(pik);
    await none('fcterm-b-undo');
    expect(await stateOf(pik, 'undoAfterFailure')).toEqual(['COMPLETED']);
  });

  it('an embedded sub-process is a compensation handler; cancelling the instance while a throw event waits cancels the handler', async () => {
    const first = await start('fid-comp-subhandler');
    await complete('fcsh-a');
    await complete('fcsh-u1');
    await complete('fcsh-u2');
    await completed(first);
    const second = await start('fid-comp-subhandler');
    await complete('fcsh-a');
    const [u1] = await take('fcsh-u1');
    expect(await stateOf(second, 'undo_A')).toEqual(['ACTIVE']);
    await t.client.cancelProcessInstance({ processInstanceKey: k(second) });
    const jobs = await t.client.searchJobs(
      { filter: { processInstanceKey: k(second), type: 'fcsh-u1' } },
      consistent((x) => x.items.some((j: { state: string }) => j.state === 'CANCELED')),
    );
    expect(jobs.items.map((j) => j.state)).toEqual(['CANCELED']);
    expect(String(jobs.items[0]!.jobKey)).toBe(String(u1!.jobKey));
    expect(await stateOf(second, 'throw')).toEqual(['TERMINATED']);
  });
});

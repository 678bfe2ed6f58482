// Migration of catch events over /v2 with the official client (strict validation), as Zeebe's
// ProcessInstanceMigrationCatchEventBehaviour does it
// (https://docs.camunda.io/docs/components/concepts/process-instance-migration/, "Dealing with catch events";
// POST /v2/process-instances/{processInstanceKey}/migration,
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/migrate-process-instance/):
// a boundary timer the mapping names keeps its due date, one of the source it does not name is closed, one of the
// target no mapping leads to is subscribed afresh, and an event sub-process of the target subscribes its start
// event. The clock is pinned over /v2 (PUT /v2/clock) to let the timers fall due.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consistent, definitions, k, sequenceProcess } from '../conformance/fidelity.ts';
import { type ChangeServer, refusal, startChangeServer } from './instance-change-server.ts';

let s: ChangeServer;
const keys: Record<string, string> = {};

const userTask = (id: string) =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;
const timerBoundary = (id: string, on: string, duration: string) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:endEvent id="${id}End" /><bpmn:sequenceFlow id="${id}Flow" sourceRef="${id}" targetRef="${id}End" />`;
const deploy = (id: string, elements: Array<[string, string]>, extra = '') =>
  s.deploy(`${id}.bpmn`, definitions(`defs-${id}`, sequenceProcess(id, elements, extra)));

const HOUR = 3_600_000;

beforeAll(async () => {
  s = await startChangeServer();
  keys.plain = await deploy('mce-plain', [['task', userTask('task')]]);
  keys.late1h = await deploy('mce-late', [['task', userTask('task')]], timerBoundary('late', 'task', 'PT1H'));
  keys.late2h = await deploy(
    'mce-late2',
    [['task', userTask('task')]],
    timerBoundary('late2', 'task', 'PT2H'),
  );
  keys.elsewhere = await deploy(
    'mce-elsewhere',
    [
      ['task', userTask('task')],
      ['task2', userTask('task2')],
    ],
    timerBoundary('late3', 'task2', 'PT1H'),
  );
  const esp = `<bpmn:subProcess id="onExpiry" triggeredByEvent="true">
    <bpmn:startEvent id="expiryStart"><bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:endEvent id="expiryEnd" /><bpmn:sequenceFlow id="fe" sourceRef="expiryStart" targetRef="expiryEnd" />
  </bpmn:subProcess>`;
  keys.esp = await deploy('mce-esp', [['task', userTask('task')]], esp);
});

afterEach(async () => {
  await s.client.resetClock();
});

afterAll(async () => {
  await s?.close();
});

async function start(key: string) {
  return String((await s.client.createProcessInstance({ processDefinitionKey: k(key) })).processInstanceKey);
}

const migrate = (
  pi: string,
  target: string,
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>,
) =>
  s.client.migrateProcessInstance({
    processInstanceKey: k(pi),
    targetProcessDefinitionKey: k(target),
    mappingInstructions,
  });

/** Pins the engine clock `ms` ahead (PUT /v2/clock) and waits until the instance has the state or 3 s passed. */
async function advanceAndSee(pi: string, ms: number, state: string) {
  await s.client.pinClock({ timestamp: s.engine.clock.now() + ms });
  let seen = '';
  for (let i = 0; i < 30; i++) {
    seen = (await s.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent())).state;
    if (seen === state) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

async function completedElements(pi: string) {
  const r = await s.client.searchElementInstances(
    { filter: { processInstanceKey: k(pi), state: 'COMPLETED' } },
    consistent(),
  );
  return (r.items ?? []).map((e) => e.elementId);
}

describe('boundary events', () => {
  it('an unmapped boundary timer of the target is subscribed at migration and interrupts the task when due', async () => {
    const pi = await start(keys.plain!);
    await migrate(pi, keys.late1h!, [{ sourceElementId: 'task', targetElementId: 'task' }]);
    expect(await advanceAndSee(pi, HOUR + 1_000, 'COMPLETED')).toBe('COMPLETED');
    expect(await completedElements(pi)).toContain('lateEnd');
  });

  it('a mapped boundary timer keeps its due date (not re-evaluated from the target) and takes the target’s path', async () => {
    const pi = await start(keys.late1h!);
    await migrate(pi, keys.late2h!, [
      { sourceElementId: 'task', targetElementId: 'task' },
      { sourceElementId: 'late', targetElementId: 'late2' },
    ]);
    expect(await advanceAndSee(pi, HOUR + 1_000, 'COMPLETED')).toBe('COMPLETED');
    expect(await completedElements(pi)).toContain('late2End');
  });

  it('a boundary timer of the source without a mapping is closed', async () => {
    const pi = await start(keys.late1h!);
    await migrate(pi, keys.plain!, [{ sourceElementId: 'task', targetElementId: 'task' }]);
    expect(await advanceAndSee(pi, 2 * HOUR, 'COMPLETED')).toBe('ACTIVE');
    const tasks = await s.client.searchUserTasks(
      { filter: { processInstanceKey: k(pi), state: 'CREATED' } },
      consistent(),
    );
    expect((tasks.items ?? []).map((t) => t.elementId)).toEqual(['task']);
  });

  it('a mapping that detaches a boundary event from its element is refused (409) and nothing changes', async () => {
    const pi = await start(keys.late1h!);
    const r = await refusal(
      migrate(pi, keys.elsewhere!, [
        { sourceElementId: 'task', targetElementId: 'task' },
        { sourceElementId: 'late', targetElementId: 'late3' },
      ]),
    );
    expect(r.status).toBe(409);
    expect(r.detail).toContain(
      "active element with id 'task' is mapped to an element with id 'task' and has a boundary event with id 'late' that is mapped to an element with id 'late3'. These mappings detach the boundary event from the element in the target process.",
    );
    expect(await advanceAndSee(pi, HOUR + 1_000, 'COMPLETED')).toBe('COMPLETED');
    expect(await completedElements(pi)).toContain('lateEnd');
  });
});

describe('event sub-processes', () => {
  it("the target's timer event sub-process is subscribed by the process instance at migration", async () => {
    const pi = await start(keys.plain!);
    await migrate(pi, keys.esp!, [{ sourceElementId: 'task', targetElementId: 'task' }]);
    expect(await advanceAndSee(pi, 30 * 24 * HOUR + 1_000, 'COMPLETED')).toBe('COMPLETED');
    expect(await completedElements(pi)).toContain('expiryEnd');
  });
});

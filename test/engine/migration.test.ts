// Process instance migration over /v2 with the official client (strict validation): Camunda 8.8's
// POST /v2/process-instances/{processInstanceKey}/migration
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/migrate-process-instance/)
// with Zeebe's semantics (ProcessInstanceMigrationMigrateProcessor, ProcessInstanceMigrationPreconditions): the
// instance and its active elements move to the target definition along the mapping instructions, keeping their
// user tasks, jobs and message subscriptions; Zeebe's preconditions refuse with its reasons (400 for a bad
// instruction, 404 for what is not found, 409 for an instance that cannot be migrated), and nothing changes then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistent, definitions, k, sequenceProcess } from '../conformance/fidelity.ts';
import { type ChangeServer, refusal, startChangeServer } from './instance-change-server.ts';

let s: ChangeServer;

const userTask = (id: string, group = 'office') =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="${group}" /></bpmn:extensionElements></bpmn:userTask>`;
const serviceTask = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const messageCatch = (id: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="msg-go" /></bpmn:intermediateCatchEvent>`;
const MESSAGE = `<bpmn:message id="msg-go" name="mig-go"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>`;
const model = (id: string, elements: Array<[string, string]>, extra = '') =>
  definitions(`defs-${id}`, sequenceProcess(id, elements) + extra);

const keys: Record<string, string> = {};

beforeAll(async () => {
  s = await startChangeServer();
  keys.v1 = await s.deploy('mig-a.bpmn', model('mig-a', [['task', userTask('task')]]));
  keys.v2 = await s.deploy(
    'mig-a.bpmn',
    model('mig-a', [
      ['task', userTask('task')],
      ['extra', userTask('extra', 'bureau')],
    ]),
  );
  keys.work = await s.deploy('mig-b.bpmn', model('mig-b', [['work', serviceTask('work', 'mig.work')]]));
  keys.doWork = await s.deploy(
    'mig-c.bpmn',
    model('mig-c', [
      ['doWork', serviceTask('doWork', 'mig.work')],
      ['after', serviceTask('after', 'mig.after')],
    ]),
  );
  keys.wait = await s.deploy(
    'mig-m.bpmn',
    definitions('defs-mig-m', sequenceProcess('mig-m', [['wait', messageCatch('wait')]]) + MESSAGE),
  );
  keys.wait2 = await s.deploy(
    'mig-m2.bpmn',
    definitions(
      'defs-mig-m2',
      sequenceProcess('mig-m2', [
        ['wait2', messageCatch('wait2')],
        ['done', userTask('done')],
      ]) + MESSAGE,
    ),
  );
  keys.typeChanged = await s.deploy('mig-t.bpmn', model('mig-t', [['task', serviceTask('task', 'mig.t')]]));
  const reviews = `<bpmn:userTask id="review" name="review"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements>
    <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=units" inputElement="unit" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`;
  keys.mi = await s.deploy('mig-mi.bpmn', model('mig-mi', [['review', reviews]]));
  keys.mi2 = await s.deploy(
    'mig-mi2.bpmn',
    model('mig-mi2', [
      ['review', reviews],
      ['after', userTask('after')],
    ]),
  );
  // two branches that join: a token waits at the join while the other branch's task is open
  keys.join = await s.deploy(
    'mig-j.bpmn',
    definitions(
      'defs-mig-j',
      `<bpmn:process id="mig-j" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:parallelGateway id="fork" />
  ${userTask('a')}
  ${userTask('b')}
  <bpmn:parallelGateway id="join" />
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="j0" sourceRef="start" targetRef="fork" />
  <bpmn:sequenceFlow id="j1" sourceRef="fork" targetRef="a" />
  <bpmn:sequenceFlow id="j2" sourceRef="fork" targetRef="b" />
  <bpmn:sequenceFlow id="j3" sourceRef="a" targetRef="join" />
  <bpmn:sequenceFlow id="j4" sourceRef="b" targetRef="join" />
  <bpmn:sequenceFlow id="j5" sourceRef="join" targetRef="end" />
</bpmn:process>`,
    ),
  );
  // two tasks at once: a user task that maps, and a service task that does not
  keys.parallel = await s.deploy(
    'mig-p.bpmn',
    definitions(
      'defs-mig-p',
      `<bpmn:process id="mig-p" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:parallelGateway id="fork" />
  ${userTask('task')}
  ${serviceTask('side', 'mig.side')}
  <bpmn:sequenceFlow id="p0" sourceRef="start" targetRef="fork" />
  <bpmn:sequenceFlow id="p1" sourceRef="fork" targetRef="task" />
  <bpmn:sequenceFlow id="p2" sourceRef="fork" targetRef="side" />
</bpmn:process>`,
    ),
  );
});

afterAll(async () => {
  await s?.close();
});

/** Starts an instance of a process (latest version) or, given a key, of that definition. */
async function start(process: string, variables: Record<string, unknown> = {}) {
  const which = /^\d+$/.test(process)
    ? { processDefinitionKey: k(process) }
    : { processDefinitionId: process };
  return String((await s.client.createProcessInstance({ ...which, variables })).processInstanceKey);
}

async function openTasks(pi: string) {
  return (
    await s.client.searchUserTasks({ filter: { processInstanceKey: k(pi), state: 'CREATED' } }, consistent())
  ).items;
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

describe('migrating', () => {
  it('a user task to the next version keeps the task (key and assignment); completing it continues on the new version’s path', async () => {
    const pi = await start(keys.v1!);
    const [task] = await openTasks(pi);
    expect(String(task!.processDefinitionKey)).toBe(keys.v1);
    await s.client.assignUserTask({ userTaskKey: task!.userTaskKey, assignee: 'demo-unit' });
    await s.client.migrateProcessInstance({
      processInstanceKey: k(pi),
      targetProcessDefinitionKey: k(keys.v2!),
      mappingInstructions: [{ sourceElementId: 'task', targetElementId: 'task' }],
      operationReference: 7,
    });

    const instance = await s.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent());
    expect(String(instance.processDefinitionKey)).toBe(keys.v2);
    expect(instance.processDefinitionVersion).toBe(2);
    const [migrated] = await openTasks(pi);
    expect(String(migrated!.userTaskKey)).toBe(String(task!.userTaskKey));
    expect(String(migrated!.processDefinitionKey)).toBe(keys.v2);
    expect(migrated!.assignee).toBe('demo-unit');

    await s.client.completeUserTask({ userTaskKey: migrated!.userTaskKey });
    const next = await openTasks(pi);
    expect(next.map((t) => [t.elementId, t.candidateGroups])).toEqual([['extra', ['bureau']]]);
    await s.client.completeUserTask({ userTaskKey: next[0]!.userTaskKey });
    expect((await s.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent())).state).toBe(
      'COMPLETED',
    );

    const migrations = s.engine
      .records({ processInstanceKey: pi })
      .filter((r) => r.valueType === 'PROCESS_INSTANCE_MIGRATION');
    expect(
      migrations.map((r) => [r.intent, r.value?.targetProcessDefinitionKey, r.value?.operationReference]),
    ).toEqual([['MIGRATED', keys.v2, 7]]);
  });

  it('a job to another process with a renamed element: the job keeps its key, names the new element, and the new path follows', async () => {
    const pi = await start('mig-b');
    const before = await s.client.searchJobs({ filter: { processInstanceKey: k(pi) } }, consistent());
    await migrate(pi, keys.doWork!, [{ sourceElementId: 'work', targetElementId: 'doWork' }]);
    const { jobs } = await s.client.activateJobs({ type: 'mig.work', timeout: 10_000, maxJobsToActivate: 5 });
    const job = jobs.find((j) => String(j.processInstanceKey) === pi)!;
    expect(String(job.jobKey)).toBe(String(before.items?.[0]?.jobKey));
    expect([job.elementId, job.processDefinitionId, String(job.processDefinitionKey)]).toEqual([
      'doWork',
      'mig-c',
      keys.doWork,
    ]);
    await s.client.completeJob({ jobKey: job.jobKey });
    const after = await s.client.activateJobs({ type: 'mig.after', timeout: 10_000, maxJobsToActivate: 5 });
    expect(after.jobs.map((j) => String(j.processInstanceKey))).toEqual([pi]);
  });

  it('a multi-instance user task: the body and its inner instances move, the loop goes on, and the new path follows', async () => {
    const pi = await start('mig-mi', { units: ['a', 'b', 'c'] });
    const [first] = await openTasks(pi);
    await s.client.completeUserTask({ userTaskKey: first!.userTaskKey });
    await migrate(pi, keys.mi2!, [{ sourceElementId: 'review', targetElementId: 'review' }]);
    const left = await openTasks(pi);
    expect(left.map((t) => [t.elementId, String(t.processDefinitionKey)])).toEqual([
      ['review', keys.mi2],
      ['review', keys.mi2],
    ]);
    for (const t of left) await s.client.completeUserTask({ userTaskKey: t.userTaskKey });
    expect((await openTasks(pi)).map((t) => t.elementId)).toEqual(['after']);
  });

  it('a message catch event keeps its subscription: the message correlates and the new path follows', async () => {
    const pi = await start('mig-m', { caseId: 'C-7' });
    await migrate(pi, keys.wait2!, [{ sourceElementId: 'wait', targetElementId: 'wait2' }]);
    await s.client.publishMessage({ name: 'mig-go', correlationKey: 'C-7', timeToLive: 0 });
    expect((await openTasks(pi)).map((t) => t.elementId)).toEqual(['done']);
  });
});

describe('refusals (Zeebe’s reasons) leave the instance as it was', () => {
  it('an active element without a mapping: 409', async () => {
    const pi = await start(keys.v1!);
    const r = await refusal(migrate(pi, keys.v2!, [{ sourceElementId: 'start', targetElementId: 'start' }]));
    expect(r.status).toBe(409);
    expect(r.detail).toContain(
      `Expected to migrate process instance '${pi}' but no mapping instruction defined for active element with id 'task'. Elements cannot be migrated without a mapping.`,
    );
  });

  it('a mapping that changes the element type: 409', async () => {
    const pi = await start(keys.v1!);
    const r = await refusal(
      migrate(pi, keys.typeChanged!, [{ sourceElementId: 'task', targetElementId: 'task' }]),
    );
    expect(r.status).toBe(409);
    expect(r.detail).toContain(
      "but active element with id 'task' and type 'USER_TASK' is mapped to an element with id 'task' and different type 'SERVICE_TASK'. Elements must be mapped to elements of the same type.",
    );
  });

  it('a multi-instance element mapped to a single task: 409', async () => {
    const pi = await start('mig-mi', { units: ['a'] });
    const r = await refusal(migrate(pi, keys.v2!, [{ sourceElementId: 'review', targetElementId: 'task' }]));
    expect(r.status).toBe(409);
    expect(r.detail).toContain(
      "active element with id 'review' and type 'MULTI_INSTANCE_BODY' is mapped to an element with id 'task' and different type 'USER_TASK'",
    );
  });

  it('a target definition or element that does not exist, and duplicate sources', async () => {
    const pi = await start(keys.v1!);
    const missing = await refusal(
      migrate(pi, '2251799813999997', [{ sourceElementId: 'task', targetElementId: 'task' }]),
    );
    expect(missing).toMatchObject({
      status: 404,
      detail: expect.stringContaining("no process definition found with key '2251799813999997'"),
    });
    const target = await refusal(
      migrate(pi, keys.v2!, [{ sourceElementId: 'task', targetElementId: 'nope' }]),
    );
    expect(target).toMatchObject({
      status: 400,
      detail: expect.stringContaining("mapping instructions contain a non-existing target element id 'nope'"),
    });
    const source = await refusal(
      migrate(pi, keys.v2!, [{ sourceElementId: 'ghost', targetElementId: 'task' }]),
    );
    expect(source.detail).toContain("mapping instructions contain a non-existing source element id 'ghost'");
    const twice = await refusal(
      migrate(pi, keys.v2!, [
        { sourceElementId: 'task', targetElementId: 'task' },
        { sourceElementId: 'task', targetElementId: 'extra' },
      ]),
    );
    expect(twice).toMatchObject({
      status: 400,
      detail: expect.stringContaining("duplicate source element ids '[task]'"),
    });
    expect(
      String(
        (await s.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent())).processDefinitionKey,
      ),
    ).toBe(keys.v1);
  });

  it('all or nothing: with one active element mappable and another not, neither moves', async () => {
    const pi = await start('mig-p');
    const r = await refusal(migrate(pi, keys.v2!, [{ sourceElementId: 'task', targetElementId: 'task' }]));
    expect(r.status).toBe(409);
    expect(r.detail).toContain("no mapping instruction defined for active element with id 'side'");
    const [task] = await openTasks(pi);
    expect(String(task!.processDefinitionKey)).toBe(keys.parallel);
    const elements = await s.client.searchElementInstances(
      { filter: { processInstanceKey: k(pi), state: 'ACTIVE' } },
      consistent(),
    );
    expect(elements.items?.length).toBeGreaterThan(0);
    expect((elements.items ?? []).every((e) => String(e.processDefinitionKey) === keys.parallel)).toBe(true);
  });

  it('a token waiting at a joining gateway: 409 (concurrent command, as Zeebe counts it an active sequence flow)', async () => {
    const pi = await start('mig-j');
    const b = (await openTasks(pi)).find((t) => String(t.elementId) === 'b')!;
    await s.client.completeUserTask({ userTaskKey: b.userTaskKey });
    const r = await refusal(migrate(pi, keys.join!, [{ sourceElementId: 'a', targetElementId: 'a' }]));
    expect(r.status).toBe(409);
    expect(r.detail).toContain(
      `Expected to migrate process instance '${pi}' but a concurrent command was executed on the process instance. Please retry the migration.`,
    );
  });

  it('an instance that does not exist: 404; a malformed body: 400 naming the field', async () => {
    const r = await refusal(
      migrate('2251799813999996', keys.v2!, [{ sourceElementId: 'task', targetElementId: 'task' }]),
    );
    expect(r).toMatchObject({
      status: 404,
      detail: expect.stringContaining("no process instance found with key '2251799813999996'"),
    });
    const pi = await start(keys.v1!);
    const bad = await s.raw(`/process-instances/${pi}/migration`, {
      mappingInstructions: [{ sourceElementId: 'task' }],
    });
    expect(bad.status).toBe(400);
    expect(String(bad.json.detail)).toContain('targetProcessDefinitionKey');
    expect(String(bad.json.detail)).toContain('mappingInstructions[0].targetElementId');
  });
});

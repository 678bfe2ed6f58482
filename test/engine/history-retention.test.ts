// History retention (issue 17): an ended process instance's history leaves the engine's file once its time to live
// has passed, with everything belonging to it, and nothing of a running instance goes — a completed child of a
// running parent stays until its root has ended and expired. Camunda 8.8 removes archived history from secondary
// storage after the retention's minimum age (off by default; https://docs.camunda.io/docs/8.8/self-managed/
// deployment/helm/configure/data-retention/), and archives a called instance with its root process instance.
// Proven over /v2 with the official client at strict validation: gets answer 404, searches no longer list the
// instance; the open-task totals (user-task-totals.ts) stay; the file's row counts drop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { bpmnFile, consistent, definitions, k } from '../conformance/fidelity.ts';
import { VALIDATION } from '../conformance/target.ts';
import { T0 } from './helpers.ts';
import { type RestServer, serveEngine } from './rest-server.ts';

const DAY = 86_400_000;
const TTL = 30 * DAY;

const MAIN = definitions(
  'ret-main-defs',
  `<bpmn:process id="ret-main" isExecutable="true">
  <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
  <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="reviewers" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e" /><bpmn:endEvent id="e" />
</bpmn:process>`,
);
const PARENT = definitions(
  'ret-parent-defs',
  `<bpmn:process id="ret-parent" isExecutable="true">
  <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="ret-child" propagateAllChildVariables="false" /></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="review" />
  <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="reviewers" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="e" /><bpmn:endEvent id="e" />
</bpmn:process>`,
);
const CHILD = definitions(
  'ret-child-defs',
  `<bpmn:process id="ret-child" isExecutable="true">
  <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="work" />
  <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="ret-work" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e" /><bpmn:endEvent id="e" />
</bpmn:process>`,
);

/** Tables whose rows belong to one process instance. */
const TABLES = [
  'process_instances',
  'element_instances',
  'variables',
  'jobs',
  'user_tasks',
  'incidents',
  'records',
  'decision_instances',
  'correlated_message_subscriptions',
  'message_correlations',
];

let dir: string;
let engine: Engine;
let served: RestServer;
let client: LooseCamundaClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'engine-retention-'));
  const clock = new EngineClock();
  clock.pin(T0);
  engine = await Engine.open({ file: join(dir, 'engine.sqlite'), clock, historyTimeToLive: TTL });
  served = await serveEngine(engine);
  client = createLooseCamundaClient(
    { restAddress: served.address, auth: { strategy: 'NONE' }, tenantId: null },
    { validation: VALIDATION },
  );
  await client.createDeployment({
    resources: [bpmnFile('main.bpmn', MAIN), bpmnFile('parent.bpmn', PARENT), bpmnFile('child.bpmn', CHILD)],
  });
});
afterAll(async () => {
  await served.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(processDefinitionId: string, variables: Record<string, unknown> = {}) {
  const r = await client.createProcessInstance({ processDefinitionId: k(processDefinitionId), variables });
  return String(r.processInstanceKey);
}
async function openTask(processInstanceKey: string) {
  const r = await client.searchUserTasks(
    {
      filter: { processInstanceKey: k(processInstanceKey), state: 'CREATED' },
    },
    consistent(),
  );
  return String(r.items[0]!.userTaskKey);
}
async function completeTask(processInstanceKey: string) {
  await client.completeUserTask({ userTaskKey: k(await openTask(processInstanceKey)) });
}
async function completeWork() {
  const { jobs } = await client.activateJobs({ type: 'ret-work', timeout: 60_000, maxJobsToActivate: 10 });
  for (const job of jobs) await client.completeJob({ jobKey: job.jobKey });
}
async function stateOf(processInstanceKey: string): Promise<string | 404> {
  try {
    return String(
      (await client.getProcessInstance({ processInstanceKey: k(processInstanceKey) }, consistent())).state,
    );
  } catch (e) {
    if ((e as { status?: number }).status === 404) return 404;
    throw e;
  }
}
async function childOf(parentKey: string) {
  const r = await client.searchProcessInstances(
    { filter: { parentProcessInstanceKey: k(parentKey) } },
    consistent(),
  );
  return String(r.items[0]!.processInstanceKey);
}
const openReviewTotal = async () =>
  Number(
    (
      await client.searchUserTasks(
        { filter: { state: 'CREATED', candidateGroup: 'reviewers' } },
        consistent(),
      )
    ).page.totalItems,
  );

/** Rows of each table, and rows that name one of `keys` as their process instance. */
function rows(keys: string[] = []) {
  const db = new Database(join(dir, 'engine.sqlite'), { readonly: true });
  try {
    const all = Object.fromEntries(
      TABLES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
    const col = (t: string) => (t === 'process_instances' ? 'key' : 'process_instance_key');
    const ofKeys = keys.length
      ? TABLES.reduce(
          (sum, t) =>
            sum +
            (
              db
                .prepare(
                  `SELECT count(*) AS n FROM ${t} WHERE ${col(t)} IN (${keys.map(() => '?').join(',')})`,
                )
                .get(...keys.map(Number)) as { n: number }
            ).n,
          0,
        )
      : 0;
    return { all, ofKeys };
  } finally {
    db.close();
  }
}

describe('history retention', () => {
  test('an ended instance goes with everything it owns once its time to live has passed; running ones stay', async () => {
    // given: one of each — completed, running, terminated, a running parent whose child completed, a completed
    // parent with its completed child
    const done = await start('ret-main', { note: 'done' });
    await completeTask(done);
    const running = await start('ret-main', { note: 'running' });
    const canceled = await start('ret-main');
    await client.cancelProcessInstance({ processInstanceKey: k(canceled) });
    const parentRunning = await start('ret-parent');
    const childDone = await childOf(parentRunning);
    await completeWork();
    const parentDone = await start('ret-parent');
    const childOfDone = await childOf(parentDone);
    await completeWork();
    await completeTask(parentDone);
    expect(await stateOf(childDone)).toBe('COMPLETED');
    expect(await stateOf(parentRunning)).toBe('ACTIVE');
    const total = await openReviewTotal();
    expect(total).toBe(2);
    const gone = [done, canceled, parentDone, childOfDone];
    const before = rows(gone);
    expect(before.ofKeys).toBeGreaterThan(0);

    // when: not yet expired
    engine.advanceClock(TTL - 1);
    // then: nothing removed
    expect(await stateOf(done)).toBe('COMPLETED');
    expect(rows(gone).all).toEqual(before.all);

    // when: the time to live has passed
    engine.advanceClock(1);
    // then: the ended roots and their children answer 404 and are in no search
    for (const key of gone) expect(await stateOf(key)).toBe(404);
    const listed = await client.searchProcessInstances({ filter: {}, page: { limit: 100 } }, consistent());
    expect(listed.items.map((p) => String(p.processInstanceKey)).sort()).toEqual(
      [running, parentRunning, childDone].sort(),
    );
    const variables = await client.searchVariables({ filter: { processInstanceKey: k(done) } }, consistent());
    expect(Number(variables.page.totalItems)).toBe(0);
    const tasks = await client.searchUserTasks({ filter: { processInstanceKey: k(done) } }, consistent());
    expect(Number(tasks.page.totalItems)).toBe(0);
    // running instances and the completed child of the running parent are untouched, totals unchanged
    expect(await stateOf(running)).toBe('ACTIVE');
    expect(await stateOf(childDone)).toBe('COMPLETED');
    expect(await openReviewTotal()).toBe(total);
    const after = rows(gone);
    expect(after.ofKeys).toBe(0);
    for (const t of ['process_instances', 'element_instances', 'variables', 'jobs', 'user_tasks', 'records'])
      expect(after.all[t], t).toBeLessThan(before.all[t]!);

    // when: the running parent ends, and its time to live passes
    await completeTask(parentRunning);
    engine.advanceClock(TTL);
    // then: it goes with its child; the running instance stays with its open task
    expect(await stateOf(parentRunning)).toBe(404);
    expect(await stateOf(childDone)).toBe(404);
    expect(await stateOf(running)).toBe('ACTIVE');
    expect(await openReviewTotal()).toBe(1);
    expect(rows([parentRunning, childDone]).ofKeys).toBe(0);
  });

  test('many expired histories go in bounded batches, all of them', async () => {
    // given: 130 completed instances (more than two batches of 50)
    const keys: string[] = [];
    for (let i = 0; i < 130; i++) {
      const key = await start('ret-main');
      await completeTask(key);
      keys.push(key);
    }
    // when
    engine.advanceClock(TTL + 1);
    // then
    expect(rows(keys).ofKeys).toBe(0);
    const left = await client.searchProcessInstances(
      { filter: { processDefinitionId: 'ret-main' } },
      consistent(),
    );
    expect(left.items.map((p) => p.state)).toEqual(['ACTIVE']);
  });

  test("the scheduler's own passes remove them a batch at a time, other commands running in between", async () => {
    // given: 120 instances that completed at T0, in a file opened 30 days later without its scheduler
    const plain = definitions(
      'ret-plain-defs',
      `<bpmn:process id="ret-plain" isExecutable="true"><bpmn:startEvent id="s" />
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e" /></bpmn:process>`,
    );
    const file = join(dir, 'bounded.sqlite');
    const at = new EngineClock();
    at.pin(T0);
    const filling = await Engine.open({ file, clock: at, synchronous: 'NORMAL' });
    await filling.deploy([{ name: 'plain.bpmn', content: plain }]);
    for (let i = 0; i < 120; i++) filling.createProcessInstance({ processDefinitionId: 'ret-plain' });
    filling.close();
    const later = new EngineClock();
    later.pin(T0 + TTL + 1);
    const e = await Engine.open({ file, clock: later, historyTimeToLive: TTL, scheduler: false });
    try {
      const left = () =>
        Number(e.searchProcessInstances({ filter: { processDefinitionId: 'ret-plain' } }).page.totalItems);
      expect(left()).toBe(120);
      // when: the scheduler starts; another command runs in the next turn of the event loop
      e.startScheduler();
      const between = await new Promise<{ left: number; state: string }>((resolve) =>
        setImmediate(() => {
          const created = e.createProcessInstance({ processDefinitionId: 'ret-plain' });
          resolve({ left: left(), state: e.getProcessInstance(created.processInstanceKey).state });
        }),
      );
      // then: it ran while histories were still being removed, and in the end only the new instance is left
      expect(between.left).toBeGreaterThan(1);
      expect(between.left).toBeLessThan(121);
      expect(between.state).toBe('COMPLETED');
      for (let i = 0; i < 500 && left() > 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(left()).toBe(1);
    } finally {
      e.close();
    }
  });
});

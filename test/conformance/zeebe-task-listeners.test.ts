// Zeebe fidelity (issue #14 item 4): user task listeners, driven over /v2 with the official client (@camunda8/sdk's
// orchestration cluster client and its job worker) at strict validation.
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — listener jobs of kind TASK_LISTENER with
// listenerEventType CREATING / ASSIGNING / UPDATING / COMPLETING and the task's properties (ActivatedJobResult
// `userTask`); the user task command answers only once its listeners are done, 409 when one denied it
// (Zeebe's UserTaskProcessor: "Completion of the User Task with key '…' was denied by Task Listener. …");
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/ — the job
// result { type: 'userTask', denied, deniedReason, corrections }.
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const P = 'fid-tl';

beforeAll(async () => {
  t = await startTarget();
  const task = `<bpmn:userTask id="review"><bpmn:extensionElements>
    <zeebe:userTask />
    <zeebe:assignmentDefinition candidateGroups="clerks" />
    <zeebe:taskListeners>
      <zeebe:taskListener eventType="creating" type="${P}-creating" />
      <zeebe:taskListener eventType="assigning" type="${P}-assigning" />
      <zeebe:taskListener eventType="completing" type="${P}-completing" retries="1" />
    </zeebe:taskListeners>
  </bpmn:extensionElements></bpmn:userTask>`;
  await t.client.createDeployment({
    resources: [bpmnFile(`${P}.bpmn`, definitions('defs-fid-tl', sequenceProcess(P, [['review', task]])))],
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

/** A new instance whose creating listener was completed: its task is CREATED. */
async function createdTask(): Promise<{ pik: string; userTaskKey: string }> {
  const created = await t.client.createProcessInstance({ processDefinitionId: P, variables: { case: 7 } });
  const pik = String(created.processInstanceKey);
  await t.client.completeJob({ jobKey: (await take(`${P}-creating`, pik)).jobKey });
  const tasks = await t.client.searchUserTasks(
    { filter: { processInstanceKey: k(pik), state: 'CREATED' } },
    consistent((x) => x.items.length === 1),
  );
  return { pik, userTaskKey: String(tasks.items[0]!.userTaskKey) };
}

/** Whether a promise is still pending after the engine had the time to answer. */
async function stillPending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const r = await Promise.race([
    p.then(
      () => 'settled',
      () => 'settled',
    ),
    sleep(300).then(() => marker),
  ]);
  return r === marker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('user task listeners over /v2', () => {
  it("the official client's job worker serves a creating listener: a TASK_LISTENER job with the task's properties", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const worker = t.client.createJobWorker({
      jobType: `${P}-creating`,
      maxParallelJobs: 1,
      jobTimeoutMs: 30_000,
      pollTimeoutMs: 500,
      jobHandler: (job) => {
        seen.push({ kind: job.kind, listenerEventType: job.listenerEventType, userTask: job.userTask });
        return job.complete();
      },
    });
    try {
      const created = await t.client.createProcessInstance({ processDefinitionId: P });
      const pik = String(created.processInstanceKey);
      // The task is CREATING until the worker has completed the listener's job (8.8's user-task states), and the
      // embedded engine answers a search at once: ask until the listener has run, as Camunda's consistency wait does.
      const search = () =>
        t.client.searchUserTasks(
          { filter: { processInstanceKey: k(pik), state: 'CREATED' } },
          consistent((x) => x.items.length === 1),
        );
      let tasks = await search();
      for (const until = Date.now() + 10_000; tasks.items.length === 0 && Date.now() < until; ) {
        await sleep(50);
        tasks = await search();
      }
      expect(tasks.items).toHaveLength(1);
      const userTaskKey = String(tasks.items[0]!.userTaskKey);
      const mine = seen.find((s) => (s.userTask as { userTaskKey?: string })?.userTaskKey === userTaskKey);
      expect(mine).toMatchObject({
        kind: 'TASK_LISTENER',
        listenerEventType: 'CREATING',
        userTask: { candidateGroups: ['clerks'], priority: 50, userTaskKey },
      });
      await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    } finally {
      // its last long poll (500 ms) must not take the next test's creating job
      await worker.stopGracefully({ waitUpToMs: 2_000 });
      await sleep(1_000);
    }
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/ — 8.8's
  // UserTaskStateEnum has the lifecycle states of a transition under way (CREATING, ASSIGNING, UPDATING, COMPLETING,
  // CANCELING); the search filters on the state it returns
  it('the search finds a task whose creating listener runs by state CREATING, not CREATED, and by CREATED once it is done', async () => {
    const created = await t.client.createProcessInstance({ processDefinitionId: P });
    const pik = String(created.processInstanceKey);
    const job = await take(`${P}-creating`, pik);
    const search = (state: string) =>
      t.client.searchUserTasks(
        { filter: { processInstanceKey: k(pik), state: state as never } },
        consistent((x) => x.items.length === 1),
      );
    const creating = await search('CREATING');
    expect(creating.items.map((u) => u.state)).toEqual(['CREATING']);
    expect((await search('CREATED')).items).toHaveLength(0);
    const either = await t.client.searchUserTasks(
      { filter: { processInstanceKey: k(pik), state: { $in: ['CREATED', 'CREATING'] } as never } },
      consistent((x) => x.items.length === 1),
    );
    expect(either.items).toHaveLength(1);
    const notCreated = await t.client.searchUserTasks(
      { filter: { processInstanceKey: k(pik), state: { $neq: 'CREATED' } as never } },
      consistent((x) => x.items.length === 1),
    );
    expect(notCreated.items.map((u) => u.state)).toEqual(['CREATING']);
    await t.client.completeJob({ jobKey: job.jobKey });
    expect((await search('CREATED')).items.map((u) => u.state)).toEqual(['CREATED']);
    expect((await search('CREATING')).items).toHaveLength(0);
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });

  it('a completion waits for the completing listener; a denial answers 409 and the task stays open', async () => {
    const { pik, userTaskKey } = await createdTask();
    const completion = statusOf(
      t.client.completeUserTask({ userTaskKey: k(userTaskKey), variables: { ok: 1 } }),
    );
    const job = await take(`${P}-completing`, pik);
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING' });
    expect(job.userTask).toMatchObject({ action: 'complete', userTaskKey });
    expect(job.variables).toMatchObject({ case: 7 });
    expect(await stillPending(completion)).toBe(true);
    const during = await t.client.getUserTask({ userTaskKey: k(userTaskKey) }, consistent());
    expect(during.state).toBe('COMPLETING');
    await t.client.completeJob({
      jobKey: job.jobKey,
      result: { type: 'userTask', denied: true, deniedReason: 'unsigned' },
    });
    expect(await completion).toBe(409);
    const after = await t.client.getUserTask({ userTaskKey: k(userTaskKey) }, consistent());
    expect(after.state).toBe('CREATED');
    // completed this time: the request answers once the listener is done, and the instance goes on
    const again = statusOf(t.client.completeUserTask({ userTaskKey: k(userTaskKey) }));
    await t.client.completeJob({ jobKey: (await take(`${P}-completing`, pik)).jobKey });
    expect(await again).toBe('ok');
    const done = await t.client.getProcessInstance(
      { processInstanceKey: k(pik) },
      consistent((x) => x.state === 'COMPLETED'),
    );
    expect(done.state).toBe('COMPLETED');
  });

  it("an assigning listener's corrections change the task the assignment produces", async () => {
    const { pik, userTaskKey } = await createdTask();
    const assignment = statusOf(t.client.assignUserTask({ userTaskKey: k(userTaskKey), assignee: 'ann' }));
    const job = await take(`${P}-assigning`, pik);
    expect(job.userTask).toMatchObject({
      assignee: 'ann',
      changedAttributes: ['assignee'],
      action: 'assign',
    });
    await t.client.completeJob({
      jobKey: job.jobKey,
      result: { type: 'userTask', corrections: { assignee: 'bob', priority: 90, candidateUsers: ['carl'] } },
    });
    expect(await assignment).toBe('ok');
    const task = await t.client.getUserTask({ userTaskKey: k(userTaskKey) }, consistent());
    expect(task).toMatchObject({ assignee: 'bob', priority: 90, candidateUsers: ['carl'], state: 'CREATED' });
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });

  it('bad listener job completions are 400 problems; a failed job with no retries is a TASK_LISTENER_NO_RETRIES incident', async () => {
    const { pik, userTaskKey } = await createdTask();
    const completion = statusOf(t.client.completeUserTask({ userTaskKey: k(userTaskKey) }));
    const job = await take(`${P}-completing`, pik);
    const post = (body: unknown) =>
      t.raw(`/jobs/${job.jobKey}/completion`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const body of [
      { variables: { x: 1 } },
      { result: { type: 'userTask', denied: true, corrections: { priority: 1 } } },
      { result: { type: 'userTask', corrections: { priority: 500 } } },
      { result: { type: 'userTask', corrections: { dueDate: 'tomorrow' } } },
      { result: { type: 'nonsense' } },
      { result: 'denied' },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()) as Record<string, unknown>).toMatchObject({ status: 400 });
    }
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'audit down' });
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
      consistent((x) => (x.items?.length ?? 0) === 1),
    );
    expect(incidents.items?.[0]).toMatchObject({
      errorType: 'TASK_LISTENER_NO_RETRIES',
      errorMessage: 'audit down',
    });
    const searched = await t.client.searchJobs(
      { filter: { processInstanceKey: k(pik), kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING' } },
      consistent((x) => x.items.length === 1),
    );
    expect(searched.items.map((j) => String(j.jobKey))).toEqual([String(job.jobKey)]);
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    expect(await completion).toBe(409);
  });

  // last: a poll the stopped worker may still have open cannot take another test's job
  it("@camunda8/sdk's CamundaRestClient job worker serves an assigning listener; the assignment answers after it", async () => {
    const { pik, userTaskKey } = await createdTask();
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: t.config.restAddress,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_OAUTH_DISABLED: true,
    });
    const seen: Array<Record<string, unknown>> = [];
    const worker = c8.getCamundaRestClient().createJobWorker({
      type: `${P}-assigning`,
      maxJobsToActivate: 1,
      timeout: 30_000,
      worker: 'legacy-rest-worker',
      pollIntervalMs: 100,
      jobHandler: (job) => {
        seen.push({ ...(job as unknown as Record<string, unknown>) });
        return job.complete();
      },
    });
    try {
      await t.client.assignUserTask({ userTaskKey: k(userTaskKey), assignee: 'dora' });
      const task = await t.client.getUserTask({ userTaskKey: k(userTaskKey) }, consistent());
      expect(task.assignee).toBe('dora');
      const mine = seen.find((j) => String(j.processInstanceKey) === pik);
      expect(mine).toMatchObject({
        type: `${P}-assigning`,
        kind: 'TASK_LISTENER',
        listenerEventType: 'ASSIGNING',
      });
      expect(mine?.customHeaders).toMatchObject({
        'io.camunda.zeebe:assignee': 'dora',
        'io.camunda.zeebe:userTaskKey': userTaskKey,
      });
    } finally {
      await worker.stop(2_000);
      c8.closeAllClients?.();
    }
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
  });
});

// User task listeners on the embedded engine, as Camunda 8.8 runs them:
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ (events creating, assigning, updating,
// completing; blocking; corrections; denial; TASK_LISTENER_NO_RETRIES incidents), the job result of
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/ and Zeebe's
// JobCompleteProcessor / UserTaskProcessor (camunda/camunda, zeebe/engine/.../usertask/UserTaskProcessor.java).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import type { EngineError } from '../../src/engine/errors.ts';
import { deploy, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

function start(engine: Engine, variables: Record<string, unknown> = {}) {
  return engine.createProcessInstance({
    processDefinitionId: 'tl',
    variables: { initialAssignee: null, completeType: 'tl-complete-1', listenerRetries: 2, ...variables },
  }).processInstanceKey;
}

function task(engine: Engine, processInstanceKey: string) {
  const [t] = engine.searchUserTasks({ filter: { processInstanceKey } }).items;
  if (!t) throw new Error(`no user task in ${processInstanceKey}`);
  return engine.getUserTask(t.userTaskKey);
}

/** The one activatable job of `type`, activated. */
function take(engine: Engine, type: string) {
  const [job, more] = jobs(engine, type);
  if (!job || more) throw new Error(`expected one ${type} job, got ${job ? 'more' : 'none'}`);
  return job;
}

/** Creates an instance and completes its creating listener: the task is CREATED, no assignee. */
function created(engine: Engine, variables: Record<string, unknown> = {}) {
  const pi = start(engine, variables);
  engine.completeJob(take(engine, 'tl-create').jobKey);
  return pi;
}

/** A transition's wait (how a REST command waits): 'done', or the rejection's message. */
function outcome(engine: Engine, userTaskKey: string): Promise<string> {
  return engine
    .read((it) => it.taskListeners.wait(Number(userTaskKey)))
    .then(
      () => 'done',
      (e: Error) => e.message,
    );
}

describe('user task listeners (docs: components/concepts/user-task-listeners)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'task-listeners.bpmn');
  });
  afterEach(() => t.close());

  test('creating, then the model assignee through the assigning listeners in order; corrections apply', () => {
    const pi = start(t.engine, { initialAssignee: 'ann' });
    const ut = task(t.engine, pi);
    // the task waits in CREATING, without its assignee, and refuses other commands
    expect(ut).toMatchObject({ state: 'CREATING', assignee: null, candidateGroups: ['clerks'] });
    expect(() => t.engine.assignUserTask(ut.userTaskKey, { assignee: 'x' })).toThrow(
      `Expected to assign user task with key '${ut.userTaskKey}', but it is in state 'CREATING'`,
    );
    const create = take(t.engine, 'tl-create');
    expect(create).toMatchObject({
      kind: 'TASK_LISTENER',
      listenerEventType: 'CREATING',
      elementId: 'review',
    });
    expect(create.customHeaders).toEqual({
      team: 'permits',
      'io.camunda.zeebe:candidateGroups': '["clerks"]',
      'io.camunda.zeebe:priority': '50',
      'io.camunda.zeebe:userTaskKey': ut.userTaskKey,
    });
    expect(create.variables).toMatchObject({ initialAssignee: 'ann' });
    t.engine.completeJob(
      create.jobKey,
      {},
      { corrections: { priority: 80, candidateGroups: ['clerks', 'leads'] } },
    );
    // the assignment of the model's assignee runs its listeners one after the other
    expect(task(t.engine, pi)).toMatchObject({ state: 'ASSIGNING', assignee: null, priority: 80 });
    expect(jobs(t.engine, 'tl-assign-2')).toEqual([]);
    const first = take(t.engine, 'tl-assign-1');
    expect(first.listenerEventType).toBe('ASSIGNING');
    expect(first.customHeaders).toMatchObject({
      'io.camunda.zeebe:assignee': 'ann',
      'io.camunda.zeebe:changedAttributes': '["assignee"]',
      'io.camunda.zeebe:candidateGroups': '["clerks","leads"]',
      'io.camunda.zeebe:priority': '80',
    });
    t.engine.completeJob(
      first.jobKey,
      {},
      { corrections: { assignee: 'bob', dueDate: '2026-04-01T00:00:00.000Z' } },
    );
    const second = take(t.engine, 'tl-assign-2');
    expect(second.customHeaders).toMatchObject({
      'io.camunda.zeebe:assignee': 'bob',
      'io.camunda.zeebe:dueDate': '2026-04-01T00:00:00.000Z',
      'io.camunda.zeebe:changedAttributes': '["assignee","dueDate"]',
    });
    t.engine.completeJob(second.jobKey);
    expect(task(t.engine, pi)).toMatchObject({
      state: 'CREATED',
      assignee: 'bob',
      dueDate: '2026-04-01T00:00:00.000Z',
      candidateGroups: ['clerks', 'leads'],
      priority: 80,
    });
    const intents = t.engine
      .records({ processInstanceKey: pi })
      .filter((r) => r.valueType === 'USER_TASK')
      .map((r) => r.intent);
    expect(intents).toEqual(['CREATED', 'CORRECTED', 'CORRECTED', 'ASSIGNED']);
  });

  test('a denied completion leaves the task open and rejects the command; the next completion completes', async () => {
    const pi = created(t.engine);
    const key = task(t.engine, pi).userTaskKey;
    t.engine.completeUserTask(key, { variables: { verdict: 'ok' } });
    const waiting = outcome(t.engine, key);
    expect(task(t.engine, pi).state).toBe('COMPLETING');
    const job = take(t.engine, 'tl-complete-1');
    expect(job).toMatchObject({ listenerEventType: 'COMPLETING', retries: 2 });
    expect(job.customHeaders['io.camunda.zeebe:action']).toBe('complete');
    t.engine.completeJob(job.jobKey, {}, { denied: true, deniedReason: 'no signature' });
    expect(await waiting).toBe(
      `Completion of the User Task with key '${key}' was denied by Task Listener. Reason to deny: 'no signature'`,
    );
    expect(task(t.engine, pi).state).toBe('CREATED');
    expect(state(t.engine, pi)).toBe('ACTIVE');
    expect(jobs(t.engine, 'tl-complete-2')).toEqual([]);
    // again: both completing listeners, then the task completes with its variables
    t.engine.completeUserTask(key, { variables: { verdict: 'ok' } });
    const again = outcome(t.engine, key);
    t.engine.completeJob(take(t.engine, 'tl-complete-1').jobKey);
    t.engine.completeJob(take(t.engine, 'tl-complete-2').jobKey);
    expect(await again).toBe('done');
    expect(task(t.engine, pi).state).toBe('COMPLETED');
    expect(state(t.engine, pi)).toBe('COMPLETED');
    expect(
      t.engine.searchVariables({ filter: { processInstanceKey: pi, name: 'verdict' } }).items,
    ).toHaveLength(1);
  });

  test('a denied update or assignment changes nothing; an unassignment runs the assigning listeners', async () => {
    const pi = created(t.engine);
    const key = task(t.engine, pi).userTaskKey;
    t.engine.updateUserTask(key, { priority: 10 });
    const update = take(t.engine, 'tl-update');
    expect(update.customHeaders).toMatchObject({
      'io.camunda.zeebe:priority': '10',
      'io.camunda.zeebe:changedAttributes': '["priority"]',
      'io.camunda.zeebe:action': 'update',
    });
    const updating = outcome(t.engine, key);
    t.engine.completeJob(update.jobKey, {}, { denied: true });
    expect(await updating).toContain(`Update of the User Task with key '${key}' was denied by Task Listener`);
    expect(task(t.engine, pi).priority).toBe(50);

    t.engine.assignUserTask(key, { assignee: 'carl' });
    const assigning = outcome(t.engine, key);
    t.engine.completeJob(take(t.engine, 'tl-assign-1').jobKey, {}, { denied: true, deniedReason: 'busy' });
    expect(await assigning).toBe(
      `Assignment of the User Task with key '${key}' was denied by Task Listener. Reason to deny: 'busy'`,
    );
    expect(task(t.engine, pi).assignee).toBeNull();

    t.engine.assignUserTask(key, { assignee: 'carl' });
    t.engine.completeJob(take(t.engine, 'tl-assign-1').jobKey);
    t.engine.completeJob(take(t.engine, 'tl-assign-2').jobKey);
    expect(task(t.engine, pi).assignee).toBe('carl');
    t.engine.unassignUserTask(key);
    const unassign = take(t.engine, 'tl-assign-1');
    expect(unassign.customHeaders['io.camunda.zeebe:action']).toBe('unassign');
    expect(unassign.customHeaders['io.camunda.zeebe:assignee']).toBeUndefined();
    t.engine.completeJob(unassign.jobKey);
    t.engine.completeJob(take(t.engine, 'tl-assign-2').jobKey);
    expect(task(t.engine, pi)).toMatchObject({ state: 'CREATED', assignee: null });
    // an update with an action only runs the updating listeners too
    t.engine.updateUserTask(key, {}, 'escalate');
    const escalate = take(t.engine, 'tl-update');
    expect(escalate.customHeaders['io.camunda.zeebe:action']).toBe('escalate');
    expect(escalate.customHeaders['io.camunda.zeebe:changedAttributes']).toBeUndefined();
    t.engine.completeJob(escalate.jobKey);
    expect(task(t.engine, pi).state).toBe('CREATED');
  });

  test("a listener job's completion is checked as Zeebe's JobCompleteProcessor checks it", () => {
    const pi = start(t.engine, { initialAssignee: 'ann' });
    const create = take(t.engine, 'tl-create');
    const rejected = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return `${(e as EngineError).code}: ${(e as Error).message}`;
      }
      return 'accepted';
    };
    expect(rejected(() => t.engine.completeJob(create.jobKey, { x: 1 }))).toMatch(
      /^INVALID_ARGUMENT: Task Listener job completion with variables payload provided is not yet supported/,
    );
    expect(rejected(() => t.engine.completeJob(create.jobKey, {}, { denied: true }))).toMatch(
      /^INVALID_ARGUMENT: Denying result is not supported for 'CREATING' task listener jobs .*\[ASSIGNING, COMPLETING, UPDATING\]/,
    );
    expect(
      rejected(() => t.engine.completeJob(create.jobKey, {}, { corrections: { assignee: 'x' } })),
    ).toMatch(
      /^INVALID_ARGUMENT: Expected to complete task listener job, but correcting the assignee on 'CREATING' event is not supported/,
    );
    expect(rejected(() => t.engine.throwJobError(create.jobKey, { errorCode: 'E' }))).toMatch(
      /^INVALID_STATE: Cannot throw BPMN error from TASK_LISTENER job/,
    );
    t.engine.completeJob(create.jobKey);
    const assign = take(t.engine, 'tl-assign-1');
    expect(
      rejected(() => t.engine.completeJob(assign.jobKey, {}, { denied: true, corrections: { priority: 1 } })),
    ).toMatch(
      /^INVALID_ARGUMENT: Expected to complete task listener job with corrections, but the job result is denied/,
    );
    expect(task(t.engine, pi).state).toBe('ASSIGNING');
  });

  test('a failed listener job with no retries is a TASK_LISTENER_NO_RETRIES incident; resolving it retries the job', () => {
    const pi = created(t.engine);
    const key = task(t.engine, pi).userTaskKey;
    t.engine.completeUserTask(key);
    const job = take(t.engine, 'tl-complete-1');
    t.engine.failJob(job.jobKey, { retries: 0, errorMessage: 'audit down' });
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'audit down' });
    expect(String(incident?.jobKey)).toBe(job.jobKey);
    t.engine.updateJob(job.jobKey, { retries: 1 });
    t.engine.resolveIncident(incident!.incidentKey);
    const again = take(t.engine, 'tl-complete-1');
    expect(again.jobKey).toBe(job.jobKey);
    t.engine.completeJob(again.jobKey);
    t.engine.completeJob(take(t.engine, 'tl-complete-2').jobKey);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test("a listener whose type fails to evaluate is an incident on the task's element; resolving it creates the job", () => {
    const pi = created(t.engine, { completeType: null });
    const key = task(t.engine, pi).userTaskKey;
    t.engine.completeUserTask(key);
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ elementId: 'review' });
    expect(task(t.engine, pi).state).toBe('COMPLETING');
    t.engine.setVariables(pi, { completeType: 'tl-complete-1' });
    t.engine.resolveIncident(incident!.incidentKey);
    t.engine.completeJob(take(t.engine, 'tl-complete-1').jobKey);
    t.engine.completeJob(take(t.engine, 'tl-complete-2').jobKey);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('a transition under way survives a restart and goes on where it stopped', async () => {
    const pi = created(t.engine);
    const key = task(t.engine, pi).userTaskKey;
    t.engine.completeUserTask(key, { variables: { verdict: 'kept' } });
    t.engine.completeJob(take(t.engine, 'tl-complete-1').jobKey);
    const engine = await t.reopen();
    expect(task(engine, pi).state).toBe('COMPLETING');
    expect(() => engine.updateUserTask(key, { priority: 1 })).toThrow("but it is in state 'COMPLETING'");
    engine.completeJob(take(engine, 'tl-complete-2').jobKey);
    expect(task(engine, pi).state).toBe('COMPLETED');
    expect(state(engine, pi)).toBe('COMPLETED');
    expect(
      engine.searchVariables({ filter: { processInstanceKey: pi, name: 'verdict' } }).items,
    ).toHaveLength(1);
  });

  test('cancelling the instance while listeners run cancels their job and ends the waiting command', async () => {
    const pi = created(t.engine);
    const key = task(t.engine, pi).userTaskKey;
    t.engine.completeUserTask(key);
    const waiting = outcome(t.engine, key);
    const job = take(t.engine, 'tl-complete-1');
    t.engine.cancelProcessInstance(pi);
    expect(await waiting).toBe(`User task with key '${key}' was canceled`);
    expect(t.engine.searchJobs({ filter: { jobKey: job.jobKey } }).items[0]?.state).toBe('CANCELED');
    expect(task(t.engine, pi).state).toBe('CANCELED');
  });
});

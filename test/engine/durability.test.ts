import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deploy, jobs, openEngine, state, type TestEngine } from './helpers.ts';

describe('durability across restarts', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'service-task.bpmn', 'message-catch.bpmn', 'user-task.bpmn', 'review-form.form');
  });
  afterEach(() => t.close());

  test('a leased job whose completion was never committed is activated again after its lease', async () => {
    // given: a worker took the job and the engine stopped before it completed
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    const [leased] = t.engine.activateJobs({
      type: 'do-it',
      worker: 'w',
      maxJobsToActivate: 1,
      timeout: 30_000,
    });
    // when
    const engine = await t.reopen();
    expect(jobs(engine, 'do-it')).toHaveLength(0);
    engine.advanceClock(30_000);
    // then
    const [again] = jobs(engine, 'do-it');
    expect(again?.jobKey).toBe(leased?.jobKey);
    engine.completeJob(again!.jobKey);
    expect(state(engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('buffered messages, waiting user tasks and keys survive a restart', async () => {
    // given
    t.engine.publishMessage({ name: 'document-received', correlationKey: 'D-1', timeToLive: 3_600_000 });
    const waiting = t.engine.createProcessInstance({
      processDefinitionId: 'user-task',
      variables: { owner: 'x', unitId: 'u', urgent: false, reviewDue: '2027-01-01T00:00:00Z' },
    });
    const lastKey = Number(waiting.processInstanceKey);
    // when
    const engine = await t.reopen();
    const pi = engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'D-1' },
    });
    // then
    expect(Number(pi.processInstanceKey)).toBeGreaterThan(lastKey);
    expect(
      engine
        .searchElementInstances({ filter: { processInstanceKey: pi.processInstanceKey, state: 'ACTIVE' } })
        .items.map((e) => e.elementId),
    ).toContain('waitSigned');
    const [task] = engine.searchUserTasks({
      filter: { processInstanceKey: waiting.processInstanceKey },
    }).items;
    engine.completeUserTask(task!.userTaskKey);
    expect(state(engine, waiting.processInstanceKey)).toBe('COMPLETED');
  });
});

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, deploy, HOUR, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

describe('jobs', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'service-task.bpmn');
  });
  afterEach(() => t.close());

  test('a service task creates a job with its type, retries and custom headers; completion variables reach the instance', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'service-task',
      variables: { a: 1, b: 'x' },
    });
    // when
    const [job] = t.engine.activateJobs({
      type: 'do-it',
      worker: 'w1',
      maxJobsToActivate: 5,
      timeout: 1000,
      fetchVariable: ['a'],
    });
    // then
    expect(job).toMatchObject({
      type: 'do-it',
      retries: 2,
      customHeaders: { mode: 'fast' },
      variables: { a: 1 },
      worker: 'w1',
      elementId: 'task',
    });
    t.engine.completeJob(job!.jobKey, { result: 42 });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey)).toEqual({ a: 1, b: 'x', result: 42 });
  });

  test('a job completes at most once: a second completion is refused and moves no token', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    const job = completeOne(t.engine, 'do-it');
    // when / then
    expect(() => t.engine.completeJob(job.jobKey)).toThrow(/no such job was found/);
    const ends = t.engine.searchElementInstances({
      filter: { processInstanceKey: pi.processInstanceKey, elementId: 'end' },
    });
    expect(ends.page.totalItems).toBe(1);
  });

  test('an expired lease makes the job activatable again', () => {
    // given
    t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    const [first] = t.engine.activateJobs({
      type: 'do-it',
      worker: 'w1',
      maxJobsToActivate: 1,
      timeout: 10_000,
    });
    expect(jobs(t.engine, 'do-it')).toHaveLength(0);
    // when
    t.engine.advanceClock(10_001);
    // then
    const [again] = jobs(t.engine, 'do-it');
    expect(again?.jobKey).toBe(first?.jobKey);
  });

  test('fail with retries and back-off; at zero retries an incident; updating retries and resolving activates it again', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    const [job] = jobs(t.engine, 'do-it');
    // when: failed with a retry left and a back-off of one hour
    t.engine.failJob(job!.jobKey, { retries: 1, errorMessage: 'service down', retryBackOff: HOUR });
    // then: not activatable during the back-off
    expect(jobs(t.engine, 'do-it')).toHaveLength(0);
    t.engine.advanceClock(HOUR);
    const [retry] = jobs(t.engine, 'do-it');
    expect(retry?.retries).toBe(1);
    // when: failed with no retries left
    t.engine.failJob(retry!.jobKey, { retries: 0, errorMessage: 'still down' });
    // then
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'still down',
      elementId: 'task',
      jobKey: job!.jobKey,
    });
    expect(t.engine.getProcessInstance(pi.processInstanceKey).hasIncident).toBe(true);
    expect(() => t.engine.resolveIncident(incident!.incidentKey)).toThrow(/no retries left/);
    // when
    t.engine.updateJob(job!.jobKey, { retries: 3 });
    t.engine.resolveIncident(incident!.incidentKey);
    // then
    expect(t.engine.getProcessInstance(pi.processInstanceKey).hasIncident).toBe(false);
    const [afterResolve] = jobs(t.engine, 'do-it');
    expect(afterResolve?.retries).toBe(3);
    t.engine.completeJob(afterResolve!.jobKey);
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('waitForJobs resolves when a job of the type is created', async () => {
    // given
    const waiting = t.engine.waitForJobs('do-it', 5000);
    // when
    t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    // then
    await expect(waiting).resolves.toBe(true);
    await expect(t.engine.waitForJobs('other', 20)).resolves.toBe(false);
  });

  test('send tasks and message throw / end events create jobs', async () => {
    // given
    await deploy(t.engine, 'message-throw.bpmn');
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'message-throw' });
    // when
    completeOne(t.engine, 'send-mail');
    completeOne(t.engine, 'publish');
    completeOne(t.engine, 'publish-end');
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('awaitCompletion resolves with the final variables', async () => {
    // given
    const done = t.engine.createProcessInstance({
      processDefinitionId: 'service-task',
      variables: { n: 1 },
      awaitCompletion: true,
    });
    // when
    completeOne(t.engine, 'do-it', { m: 2 });
    // then
    await expect(done).resolves.toMatchObject({ variables: { n: 1, m: 2 } });
  });
});

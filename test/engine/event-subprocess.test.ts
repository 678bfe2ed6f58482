import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DAY, deploy, elements, jobs, openEngine, state, type TestEngine } from './helpers.ts';

describe('event sub-processes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'event-subprocess.bpmn');
  });
  afterEach(() => t.close());

  test('a non-interrupting timer event sub-process runs beside the main flow, repeatedly', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'event-subprocess',
      variables: { caseId: 'A' },
    });
    // when: two weeks pass
    t.engine.advanceClock(7 * DAY);
    t.engine.advanceClock(7 * DAY);
    // then
    expect(jobs(t.engine, 'remind', 10)).toHaveLength(2);
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toContain('work');
  });

  test('an interrupting message event sub-process terminates the main flow and ends the instance', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'event-subprocess',
      variables: { caseId: 'B' },
    });
    // when
    t.engine.publishMessage({
      name: 'cancel-requested',
      correlationKey: 'B',
      variables: { why: 'withdrawn' },
    });
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey, 'TERMINATED')).toEqual(['work']);
    expect(
      t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items[0]?.state,
    ).toBe('CANCELED');
    expect(t.engine.getVariables(pi.processInstanceKey).why).toBe('withdrawn');
    // and its timer subscription is gone
    t.engine.advanceClock(30 * DAY);
    expect(jobs(t.engine, 'remind')).toHaveLength(0);
  });

  test('when the main flow completes the event sub-process subscriptions close', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'event-subprocess',
      variables: { caseId: 'C' },
    });
    const [task] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items;
    t.engine.completeUserTask(task!.userTaskKey);
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(() => t.engine.correlateMessage({ name: 'cancel-requested', correlationKey: 'C' })).toThrow(
      /none was found/,
    );
  });
});

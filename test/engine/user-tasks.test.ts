import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DAY, deploy, elements, openEngine, state, T0, type TestEngine } from './helpers.ts';

describe('user tasks', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'review-form.form', 'user-task.bpmn');
  });
  afterEach(() => t.close());

  const start = (variables: Record<string, unknown> = {}) =>
    t.engine.createProcessInstance({
      processDefinitionId: 'user-task',
      variables: {
        owner: 'carol',
        unitId: 'gongan',
        urgent: true,
        reviewDue: '2026-03-09T18:00:00+08:00',
        ...variables,
      },
    });

  test('assignee, candidate groups and users, due and follow-up dates, priority and form from the model', () => {
    // when
    const pi = start();
    // then
    const [task] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items;
    expect(task).toMatchObject({
      name: 'Review',
      state: 'CREATED',
      assignee: 'carol',
      candidateGroups: ['unit-gongan', 'bureau-reviewer'],
      candidateUsers: ['alice', 'bob'],
      dueDate: '2026-03-09T10:00:00.000Z',
      followUpDate: '2026-03-05T01:00:00.000Z',
      priority: 90,
      elementId: 'review',
    });
    const form = t.engine.getUserTaskForm(task!.userTaskKey);
    expect(form?.formId).toBe('review-form');
    expect(
      t.engine.searchUserTasks({ filter: { candidateGroup: 'bureau-reviewer', state: 'CREATED' } }).items,
    ).toHaveLength(1);
  });

  test('assign, unassign and complete with variables', () => {
    // given
    const pi = start({ owner: null });
    const [task] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items;
    expect(task!.assignee).toBeNull();
    // when
    t.engine.assignUserTask(task!.userTaskKey, { assignee: 'dave' });
    expect(() =>
      t.engine.assignUserTask(task!.userTaskKey, { assignee: 'erin', allowOverride: false }),
    ).toThrow(/already assigned/);
    t.engine.unassignUserTask(task!.userTaskKey);
    expect(t.engine.getUserTask(task!.userTaskKey).assignee).toBeNull();
    t.engine.completeUserTask(task!.userTaskKey, { variables: { approved: true } });
    // then
    expect(t.engine.getUserTask(task!.userTaskKey).state).toBe('COMPLETED');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey).approved).toBe(true);
    expect(() => t.engine.completeUserTask(task!.userTaskKey)).toThrow(/in state 'COMPLETED'/);
    const intents = t.engine
      .records({ processInstanceKey: pi.processInstanceKey })
      .filter((r) => r.valueType === 'USER_TASK');
    expect(intents.map((r) => r.intent)).toEqual(['CREATED', 'ASSIGNED', 'ASSIGNED', 'COMPLETED']);
  });

  test('a user task is cancelled when its scope ends (interrupting timer at the due date)', () => {
    // given
    const pi = start();
    const [task] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items;
    // when: the clock passes the due date 2026-03-09T10:00Z
    t.engine.advanceClock(Date.parse('2026-03-09T10:00:00Z') - T0);
    // then
    expect(t.engine.getUserTask(task!.userTaskKey).state).toBe('CANCELED');
    expect(elements(t.engine, pi.processInstanceKey)).toContain('late');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('cancelling the instance cancels its tasks', () => {
    const pi = start();
    t.engine.cancelProcessInstance(pi.processInstanceKey);
    expect(state(t.engine, pi.processInstanceKey)).toBe('TERMINATED');
    expect(
      t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items[0]?.state,
    ).toBe('CANCELED');
    t.engine.advanceClock(30 * DAY);
    expect(elements(t.engine, pi.processInstanceKey)).not.toContain('late');
  });
});

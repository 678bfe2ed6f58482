// Timer events on the engine: they fire when the clock passes them (boundary, start and overdue ones after a
// restart), and a timer expression that gives no timer raises an incident. Reading the values is timer-expressions.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  completeOne,
  DAY,
  deploy,
  elements,
  incidents,
  jobs,
  openEngine,
  state,
  T0,
  type TestEngine,
} from './helpers.ts';

describe('timers', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'timer-catch.bpmn', 'timer-boundary.bpmn');
  });
  afterEach(() => t.close());

  test('a months-long duration and a date fire when the clock passes them, not before', () => {
    // given: wait 4 months (longer than setTimeout's 24.8 days), then until a date
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'timer-catch',
      variables: { waitFor: 'P4M', dueDate: '2027-01-01T00:00:00+08:00' },
    });
    // when
    t.engine.advanceClock(DAY * 100);
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toContain('wait');
    t.engine.advanceClock(DAY * 30);
    // then
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toContain('until');
    t.engine.pinClock(Date.parse('2026-12-31T15:59:59.999Z'));
    expect(state(t.engine, pi.processInstanceKey)).toBe('ACTIVE');
    t.engine.advanceClock(1);
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('a timer expression that does not give a timer raises an incident', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'timer-catch',
      variables: { waitFor: 42 },
    });
    expect(incidents(t.engine, pi.processInstanceKey)[0]).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      elementId: 'wait',
    });
  });

  test('non-interrupting boundary cycle fires its repetitions, interrupting boundary ends the task after a year', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'timer-boundary' });
    // when: two days pass
    t.engine.advanceClock(DAY);
    t.engine.advanceClock(DAY);
    t.engine.advanceClock(DAY);
    // then: R2 → exactly two reminders, the task still waits
    expect(jobs(t.engine, 'notify', 10)).toHaveLength(2);
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toContain('work');
    // when: a year passes
    t.engine.advanceClock(365 * DAY);
    // then
    expect(elements(t.engine, pi.processInstanceKey)).toContain('abandoned');
    expect(t.engine.searchJobs({ filter: { type: 'work' } }).items[0]?.state).toBe('CANCELED');
    expect(jobs(t.engine, 'work')).toHaveLength(0);
  });

  test('completing the task closes its boundary timers', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'timer-boundary' });
    completeOne(t.engine, 'work');
    t.engine.advanceClock(400 * DAY);
    expect(elements(t.engine, pi.processInstanceKey)).toEqual(['timer-boundary', 'start', 'work', 'end']);
  });

  test('timer start event with a cycle starts instances at its dates; a new version replaces the timer', async () => {
    // given: R3 starting 2026-03-03T00:00Z, daily
    await deploy(t.engine, 'timer-start.bpmn');
    const count = () =>
      t.engine.searchProcessInstances({ filter: { processDefinitionId: 'timer-start' } }).page.totalItems;
    // when
    t.engine.pinClock(Date.parse('2026-03-03T00:00:00Z'));
    expect(count()).toBe(1);
    t.engine.advanceClock(DAY);
    t.engine.advanceClock(DAY);
    t.engine.advanceClock(DAY);
    // then
    expect(count()).toBe(3);
    expect(T0).toBeLessThan(Date.parse('2026-03-03T00:00:00Z'));
  });

  test('overdue timers fire when the engine starts again', async () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'timer-catch',
      variables: { waitFor: 'PT1H', dueDate: '2026-03-02T03:00:00Z' },
    });
    // when: the engine is stopped, time passes, the engine starts
    const at = t.engine.clock.now();
    t.engine.close();
    const { Engine } = await import('../../src/engine/engine.ts');
    const { EngineClock } = await import('../../src/engine/clock.ts');
    const clock = new EngineClock();
    clock.pin(at + 5 * 3_600_000);
    t.engine = await Engine.open({ file: t.file, clock });
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });
});

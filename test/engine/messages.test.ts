import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, deploy, elements, incidents, openEngine, state, type TestEngine } from './helpers.ts';

describe('messages', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'message-catch.bpmn', 'message-start.bpmn');
  });
  afterEach(() => t.close());

  test('a catch event and a receive task correlate by name and correlation key, with variables', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-1' },
    });
    const other = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-2' },
    });
    // when
    t.engine.publishMessage({
      name: 'document-received',
      correlationKey: 'C-1',
      variables: { doc: 'a.pdf' },
    });
    t.engine.correlateMessage({ name: 'signed', correlationKey: 'C-1' });
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey).doc).toBe('a.pdf');
    expect(elements(t.engine, other.processInstanceKey, 'ACTIVE')).toEqual(['message-catch', 'waitDoc']);
  });

  test('a message is buffered until its TTL and correlates to a subscription opened later', () => {
    // given
    t.engine.publishMessage({ name: 'document-received', correlationKey: 'C-3', timeToLive: 60_000 });
    t.engine.publishMessage({ name: 'signed', correlationKey: 'C-4', timeToLive: 60_000 });
    // when
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-3' },
    });
    // then
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toEqual(['message-catch', 'waitSigned']);
    // after the TTL the buffered message is gone
    t.engine.advanceClock(60_000);
    const late = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-4' },
    });
    t.engine.publishMessage({ name: 'document-received', correlationKey: 'C-4' });
    expect(elements(t.engine, late.processInstanceKey, 'ACTIVE')).toEqual(['message-catch', 'waitSigned']);
  });

  test('a duplicate message id within the TTL is refused', () => {
    t.engine.publishMessage({ name: 'signed', correlationKey: 'x', messageId: 'm-1', timeToLive: 10_000 });
    expect(() =>
      t.engine.publishMessage({ name: 'signed', correlationKey: 'x', messageId: 'm-1', timeToLive: 10_000 }),
    ).toThrow(/already published/);
    t.engine.advanceClock(10_000);
    expect(() =>
      t.engine.publishMessage({ name: 'signed', correlationKey: 'x', messageId: 'm-1' }),
    ).not.toThrow();
  });

  test('a buffered message correlates at most once per process (BPMN process id), as in Zeebe', () => {
    // https://docs.camunda.io/docs/components/concepts/messages/#message-cardinality
    // given: one buffered message
    t.engine.publishMessage({ name: 'document-received', correlationKey: 'C-5', timeToLive: 60_000 });
    const a = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-5' },
    });
    const b = t.engine.createProcessInstance({
      processDefinitionId: 'message-catch',
      variables: { caseId: 'C-5' },
    });
    // then: the first instance of the process took it, the second still waits
    expect(elements(t.engine, a.processInstanceKey, 'ACTIVE')).toContain('waitSigned');
    expect(elements(t.engine, b.processInstanceKey, 'ACTIVE')).toEqual(['message-catch', 'waitDoc']);
  });

  test('a correlation key that is not a string or number raises an incident on the catch event', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'message-catch' });
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'waitDoc' });
    expect(incident!.errorMessage).toMatch(/correlation key/);
  });

  test('message start events start one instance per correlation key at a time', () => {
    // when
    t.engine.publishMessage({
      name: 'case-filed',
      correlationKey: 'K1',
      timeToLive: 3_600_000,
      variables: { n: 1 },
    });
    t.engine.publishMessage({
      name: 'case-filed',
      correlationKey: 'K1',
      timeToLive: 3_600_000,
      variables: { n: 2 },
    });
    t.engine.publishMessage({ name: 'case-filed', correlationKey: 'K2', variables: { n: 3 } });
    // then
    const active = () =>
      t.engine.searchProcessInstances({ filter: { processDefinitionId: 'message-start', state: 'ACTIVE' } })
        .items;
    expect(active()).toHaveLength(2);
    const first = active()[0]!;
    expect(t.engine.getVariables(first.processInstanceKey).n).toBe(1);
    // when the first K1 instance ends, the buffered second K1 message starts the next one
    const [job] = t.engine
      .activateJobs({ type: 'handle-case', maxJobsToActivate: 10, timeout: 1000 })
      .filter((j) => j.processInstanceKey === first.processInstanceKey);
    t.engine.completeJob(job!.jobKey);
    const now = active();
    expect(now).toHaveLength(2);
    const vars = now.map((p) => t.engine.getVariables(p.processInstanceKey).n).sort();
    expect(vars).toEqual([2, 3]);
    completeOne(t.engine, 'handle-case');
  });
});

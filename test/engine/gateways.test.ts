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
  type TestEngine,
} from './helpers.ts';

describe('gateways', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(
      t.engine,
      'exclusive-gateway.bpmn',
      'exclusive-gateway-no-default.bpmn',
      'parallel-gateway.bpmn',
      'inclusive-gateway.bpmn',
      'event-based-gateway.bpmn',
    );
  });
  afterEach(() => t.close());

  test('exclusive gateway takes the first true condition, else the default flow', () => {
    const end = (amount: number) => {
      const pi = t.engine.createProcessInstance({
        processDefinitionId: 'exclusive-gateway',
        variables: { amount },
      });
      return elements(t.engine, pi.processInstanceKey, 'COMPLETED').at(-1);
    };
    expect(end(5000)).toBe('high');
    expect(end(10)).toBe('low');
    expect(end(0)).toBe('zero');
  });

  test('exclusive gateway without a match raises CONDITION_ERROR; resolved after the variable is set', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'exclusive-gateway-no-default',
      variables: { approved: null },
    });
    // then
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'gw' });
    expect(incident!.errorMessage).toMatch(/Expected at least one condition to evaluate to true/);
    // when
    t.engine.setVariables(pi.processInstanceKey, { approved: true });
    t.engine.resolveIncident(incident!.incidentKey);
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey)).toContain('yes');
  });

  test('a condition that cannot be evaluated to a boolean raises EXTRACT_VALUE_ERROR', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'exclusive-gateway' });
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'gw' });
    expect(incident!.errorMessage).toMatch(/amount/);
  });

  test('parallel gateway forks and joins by counting incoming flows', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'parallel-gateway' });
    // when
    completeOne(t.engine, 'a');
    // then: the join waits for b
    expect(jobs(t.engine, 'after')).toHaveLength(0);
    completeOne(t.engine, 'b');
    completeOne(t.engine, 'after');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey).filter((e) => e === 'join')).toHaveLength(1);
  });

  test('inclusive gateway forks on every true condition and joins only the taken branches', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'inclusive-gateway',
      variables: { parts: ['a', 'b'] },
    });
    expect(jobs(t.engine, 'c', 10)).toHaveLength(0);
    // when
    completeOne(t.engine, 'a');
    expect(jobs(t.engine, 'after')).toHaveLength(0);
    completeOne(t.engine, 'b');
    // then
    completeOne(t.engine, 'after');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('inclusive gateway with one branch taken does not wait for the others; default flow when none is true', () => {
    const one = t.engine.createProcessInstance({
      processDefinitionId: 'inclusive-gateway',
      variables: { parts: ['b'] },
    });
    completeOne(t.engine, 'b');
    completeOne(t.engine, 'after');
    expect(state(t.engine, one.processInstanceKey)).toBe('COMPLETED');
    const none = t.engine.createProcessInstance({
      processDefinitionId: 'inclusive-gateway',
      variables: { parts: [] },
    });
    completeOne(t.engine, 'c');
    completeOne(t.engine, 'after');
    expect(state(t.engine, none.processInstanceKey)).toBe('COMPLETED');
  });

  test('event-based gateway: the first event wins and the other subscription is closed', () => {
    // given
    const paid = t.engine.createProcessInstance({
      processDefinitionId: 'event-based-gateway',
      variables: { orderId: 'o-1' },
    });
    const late = t.engine.createProcessInstance({
      processDefinitionId: 'event-based-gateway',
      variables: { orderId: 'o-2' },
    });
    // when
    t.engine.publishMessage({ name: 'paid', correlationKey: 'o-1', variables: { amount: 7 } });
    t.engine.advanceClock(3 * DAY);
    // then
    expect(elements(t.engine, paid.processInstanceKey)).toContain('endPaid');
    expect(elements(t.engine, paid.processInstanceKey)).not.toContain('timeout');
    expect(t.engine.getVariables(paid.processInstanceKey).amount).toBe(7);
    expect(elements(t.engine, late.processInstanceKey)).toContain('endTimeout');
    expect(state(t.engine, late.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.correlateMessage.bind(t.engine, { name: 'paid', correlationKey: 'o-2' })).toThrow(
      /none was found/,
    );
  });
});

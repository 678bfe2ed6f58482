import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  completeOne,
  deploy,
  elements,
  incidents,
  jobs,
  openEngine,
  state,
  type TestEngine,
} from './helpers.ts';

describe('variable scopes and mappings', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'io-mappings.bpmn', 'sub-process.bpmn');
  });
  afterEach(() => t.close());

  test('input mappings create local variables (later ones see earlier ones, nested targets build contexts)', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'io-mappings',
      variables: { order: { total: 10 } },
    });
    // when
    const [job] = jobs(t.engine, 'mapped');
    // then
    expect(job!.variables).toMatchObject({ doubled: 20, customer: { score: 21 }, order: { total: 10 } });
    const root = t.engine.getVariables(pi.processInstanceKey);
    expect(root).not.toHaveProperty('doubled');
    expect(root).not.toHaveProperty('customer');
  });

  test('with output mappings only the mapped variables reach the flow scope', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'io-mappings',
      variables: { order: { total: 1 } },
    });
    completeOne(t.engine, 'mapped', { result: { status: 'ok' }, noise: 1 });
    expect(t.engine.getVariables(pi.processInstanceKey)).toEqual({ order: { total: 1 }, status: 'ok' });
  });

  test('without output mappings completion variables propagate to the nearest scope holding them; a local variable of the same name is updated locally', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'io-mappings',
      variables: { order: { total: 1 } },
    });
    completeOne(t.engine, 'mapped', { result: { status: 'ok' } });
    completeOne(t.engine, 'unmapped', { note: 'changed', order: { total: 2 }, fresh: true });
    const root = t.engine.getVariables(pi.processInstanceKey);
    expect(root).toEqual({ order: { total: 2 }, status: 'ok', fresh: true });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('a sub-process scope holds its local variable; inner completion updates it there; output maps it out', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'sub-process', variables: { x: 1 } });
    // when
    completeOne(t.engine, 'inner', { attempts: 3, y: 2 });
    // then
    expect(t.engine.getVariables(pi.processInstanceKey)).toEqual({ x: 1, y: 2, totalAttempts: 3 });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey)).toEqual([
      'sub-process',
      'start',
      'sub',
      'subStart',
      'inner',
      'subEnd',
      'end',
    ]);
  });

  test('variable updates are in the event log', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'sub-process', variables: { x: 1 } });
    completeOne(t.engine, 'inner', { x: 5 });
    const vars = t.engine
      .records({ processInstanceKey: pi.processInstanceKey })
      .filter((r) => r.valueType === 'VARIABLE');
    expect(vars.map((r) => `${r.intent}:${r.value?.name}`)).toEqual([
      'CREATED:x',
      'CREATED:attempts',
      'UPDATED:x',
      'CREATED:totalAttempts',
    ]);
    expect(incidents(t.engine)).toHaveLength(0);
  });
});

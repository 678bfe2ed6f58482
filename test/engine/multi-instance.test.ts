import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deploy, elements, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

describe('multi-instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'multi-instance.bpmn', 'multi-instance-subprocess.bpmn');
  });
  afterEach(() => t.close());

  test('parallel: one job per element with a local input element; output element collected in order', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'multi-instance',
      variables: { experts: ['ann', 'ben', 'cai'], signers: [] },
    });
    // when
    const reviews = jobs(t.engine, 'review');
    expect(reviews.map((j) => [j.variables.expert, j.variables.loopCounter])).toEqual([
      ['ann', 1],
      ['ben', 2],
      ['cai', 3],
    ]);
    for (const j of [...reviews].reverse())
      t.engine.completeJob(j.jobKey, { vote: `${j.variables.expert}-yes` });
    // then
    expect(t.engine.getVariables(pi.processInstanceKey).votes).toEqual(['ann-yes', 'ben-yes', 'cai-yes']);
    expect(t.engine.getVariables(pi.processInstanceKey)).not.toHaveProperty('expert');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('sequential: one at a time, and the completion condition ends it early', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'multi-instance',
      variables: { experts: [], signers: ['s1', 's2', 's3'], refused: false },
    });
    // when
    const [first] = jobs(t.engine, 'sign');
    expect(first!.variables.signer).toBe('s1');
    expect(jobs(t.engine, 'sign')).toHaveLength(0);
    t.engine.completeJob(first!.jobKey);
    const [second] = jobs(t.engine, 'sign');
    expect(second!.variables.signer).toBe('s2');
    t.engine.completeJob(second!.jobKey, { refused: true });
    // then
    expect(jobs(t.engine, 'sign')).toHaveLength(0);
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey).filter((e) => e === 'sign')).toHaveLength(3);
  });

  test('multi-instance sub-process with user tasks per element', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'multi-instance-subprocess',
      variables: { units: ['a', 'b'] },
    });
    const tasks = t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items;
    expect(tasks.map((x) => x.candidateGroups)).toEqual([['unit-a'], ['unit-b']]);
    for (const task of tasks)
      t.engine.completeUserTask(task.userTaskKey, { variables: { filing: task.candidateGroups[0] } });
    expect(t.engine.getVariables(pi.processInstanceKey).filings).toEqual(['unit-a', 'unit-b']);
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('an input collection that is not a list raises EXTRACT_VALUE_ERROR on the multi-instance body', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'multi-instance-subprocess' });
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'perUnit' });
    const body = t.engine.searchElementInstances({
      filter: { processInstanceKey: pi.processInstanceKey, elementId: 'perUnit' },
    }).items[0];
    expect(body?.type).toBe('MULTI_INSTANCE_BODY');
  });

  test('an empty input collection completes at once', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'multi-instance-subprocess',
      variables: { units: [] },
    });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey).filings).toEqual([]);
  });
});

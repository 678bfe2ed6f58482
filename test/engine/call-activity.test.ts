import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, deploy, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

describe('call activities', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'call-activity-parent.bpmn', 'call-activity-child.bpmn');
  });
  afterEach(() => t.close());

  test('variables go down and come back as Zeebe propagates them', () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'call-activity-parent',
      variables: { input: 2, childId: 'call-activity-child', secret: 's' },
    });
    // when: the first child gets all parent variables and returns all of its own
    const [first] = jobs(t.engine, 'child-work');
    expect(first!.variables).toEqual({ input: 2, childId: 'call-activity-child', secret: 's' });
    t.engine.completeJob(first!.jobKey, { fromChild: 1 });
    expect(t.engine.getVariables(pi.processInstanceKey).fromChild).toBe(1);
    // then: the second child gets only the mapped input, and only the mapped output comes back
    const [second] = jobs(t.engine, 'child-work');
    expect(second!.variables).toEqual({ input: 20 });
    t.engine.completeJob(second!.jobKey, { childResult: 'done', leaked: true });
    const vars = t.engine.getVariables(pi.processInstanceKey);
    expect(vars.mappedResult).toBe('done');
    expect(vars).not.toHaveProperty('leaked');
    expect(vars).not.toHaveProperty('childResult');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    const children = t.engine.searchProcessInstances({
      filter: { parentProcessInstanceKey: pi.processInstanceKey },
    }).items;
    expect(children.map((c) => c.state)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  test('a called process that is not deployed raises CALLED_ELEMENT_ERROR; resolving after deploying retries', async () => {
    // given
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'call-activity-parent',
      variables: { input: 1, childId: 'missing-child' },
    });
    completeOne(t.engine, 'child-work');
    // then
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({ errorType: 'CALLED_ELEMENT_ERROR', elementId: 'callMapped' });
    expect(incident!.errorMessage).toMatch(/'missing-child' to be deployed/);
    // when
    t.engine.setVariables(pi.processInstanceKey, { childId: 'call-activity-child' });
    t.engine.resolveIncident(incident!.incidentKey);
    completeOne(t.engine, 'child-work', { childResult: 'ok' });
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('cancelling the parent cancels the child and its jobs; a child cannot be cancelled on its own', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'call-activity-parent',
      variables: { input: 1, childId: 'call-activity-child' },
    });
    const [child] = t.engine.searchProcessInstances({
      filter: { parentProcessInstanceKey: pi.processInstanceKey },
    }).items;
    expect(() => t.engine.cancelProcessInstance(child!.processInstanceKey)).toThrow(
      /created by a parent process instance/,
    );
    t.engine.cancelProcessInstance(pi.processInstanceKey);
    expect(state(t.engine, child!.processInstanceKey)).toBe('TERMINATED');
    expect(
      t.engine.searchJobs({ filter: { processInstanceKey: child!.processInstanceKey } }).items[0]?.state,
    ).toBe('CANCELED');
  });
});

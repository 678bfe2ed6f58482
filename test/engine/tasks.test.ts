import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, deploy, elements, incidents, openEngine, state, type TestEngine } from './helpers.ts';

describe('script, business rule, manual tasks and terminate end events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(
      t.engine,
      'script-task.bpmn',
      'business-rule-task.bpmn',
      'requirements.dmn',
      'terminate-end-event.bpmn',
    );
  });
  afterEach(() => t.close());

  test('a script task evaluates FEEL into its result variable; manual task and none throw event pass through', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'script-task',
      variables: { lines: [{ amount: 2 }, { amount: 5 }] },
    });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey).total).toBe(7);
    expect(elements(t.engine, pi.processInstanceKey)).toEqual([
      'script-task',
      'start',
      'sum',
      'manual',
      'throwNone',
      'end',
    ]);
  });

  test('a business rule task evaluates the latest decision into its result variable', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'business-rule-task',
      variables: { decisionId: 'requirements', investment: 200_000 },
    });
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(t.engine.getVariables(pi.processInstanceKey).requirements).toBe(false);
  });

  test('a decision that fails (UNIQUE with two matches) or is not deployed raises DECISION_EVALUATION_ERROR', () => {
    const twoMatches = t.engine.createProcessInstance({
      processDefinitionId: 'business-rule-task',
      variables: { decisionId: 'requirements', investment: 600_000 },
    });
    expect(incidents(t.engine, twoMatches.processInstanceKey)[0]).toMatchObject({
      errorType: 'DECISION_EVALUATION_ERROR',
      elementId: 'decide',
    });
    const missing = t.engine.createProcessInstance({
      processDefinitionId: 'business-rule-task',
      variables: { decisionId: 'nope' },
    });
    const [incident] = incidents(t.engine, missing.processInstanceKey);
    expect(incident!.errorMessage).toMatch(/no decision found for id 'nope'/);
    // resolving after fixing the variable retries the evaluation
    t.engine.setVariables(missing.processInstanceKey, { decisionId: 'requirements', investment: 2_000_000 });
    t.engine.resolveIncident(incident!.incidentKey);
    expect(t.engine.getVariables(missing.processInstanceKey).requirements).toBe(true);
  });

  test('evaluateDecision evaluates a deployed decision directly', () => {
    const r = t.engine.evaluateDecision({
      decisionDefinitionId: 'requirements',
      variables: { investment: 1_500_000 },
    });
    expect(JSON.parse(r.output)).toBe(true);
    expect(r.decisionDefinitionVersion).toBe(1);
  });

  test('a terminate end event ends the other branches of its scope', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'terminate-end-event' });
    completeOne(t.engine, 'fast');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey, 'TERMINATED')).toEqual(['slow']);
    expect(
      t.engine.searchUserTasks({ filter: { processInstanceKey: pi.processInstanceKey } }).items[0]?.state,
    ).toBe('CANCELED');
  });
});

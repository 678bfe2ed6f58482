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

describe('BPMN errors', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'error-boundary.bpmn', 'error-event-subprocess.bpmn', 'error-unhandled.bpmn');
  });
  afterEach(() => t.close());

  test('a job error is caught by the boundary event with its code, with the error variables', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'error-boundary' });
    const [job] = jobs(t.engine, 'check');
    // when
    t.engine.throwJobError(job!.jobKey, {
      errorCode: 'REJECTED',
      errorMessage: 'incomplete',
      variables: { reason: 'no catalogue' },
    });
    // then
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey, 'COMPLETED')).toContain('refused');
    expect(elements(t.engine, pi.processInstanceKey, 'TERMINATED')).toEqual(['check']);
    expect(t.engine.getVariables(pi.processInstanceKey).reason).toBe('no catalogue');
    expect(() => t.engine.completeJob(job!.jobKey)).toThrow(/no such job/);
  });

  test('an error with no matching catch event raises UNHANDLED_ERROR_EVENT; resolving makes the job activatable again', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'error-boundary' });
    const [job] = jobs(t.engine, 'check');
    // when
    t.engine.throwJobError(job!.jobKey, { errorCode: 'OTHER', errorMessage: 'unexpected' });
    // then
    const [incident] = incidents(t.engine, pi.processInstanceKey);
    expect(incident).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      elementId: 'check',
      jobKey: job!.jobKey,
    });
    expect(incident!.errorMessage).toMatch(/'OTHER'.*not caught/);
    t.engine.resolveIncident(incident!.incidentKey);
    completeOne(t.engine, 'check');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('an error end event in a sub-process is caught by the catch-all error event sub-process of the process', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'error-event-subprocess' });
    // when
    completeOne(t.engine, 'step');
    // then
    expect(elements(t.engine, pi.processInstanceKey, 'TERMINATED')).toEqual(['sub', 'fail']);
    expect(elements(t.engine, pi.processInstanceKey, 'ACTIVE')).toEqual([
      'error-event-subprocess',
      'onError',
      'handle',
    ]);
    completeOne(t.engine, 'handle-error');
    expect(state(t.engine, pi.processInstanceKey)).toBe('COMPLETED');
    expect(elements(t.engine, pi.processInstanceKey)).not.toContain('end');
  });

  test('an uncaught error end event raises an incident on the end event', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'error-unhandled',
      variables: { viaJob: false },
    });
    expect(incidents(t.engine, pi.processInstanceKey)[0]).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      elementId: 'fail',
    });
    expect(state(t.engine, pi.processInstanceKey)).toBe('ACTIVE');
  });
});

// The ad-hoc sub-process on the embedded engine. It is engine state: its inner instances, a completion condition
// already met (cancelRemainingInstances="false", waiting for the rest) and the job of its job worker implementation
// survive a restart. A job for the worker whose type fails to evaluate is an incident; its resolution creates the
// job (the embedded engine's behaviour where Zeebe's is not verified).
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, elements, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

const svc = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;

/** Ids are unique in a document: each process's own are prefixed with its id. */
const process = (id: string, adHoc: string) => `
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="${id}-start" />
    ${adHoc}
    <bpmn:endEvent id="${id}-end" />
    <bpmn:sequenceFlow id="${id}-f1" sourceRef="${id}-start" targetRef="${id}-AH" />
    <bpmn:sequenceFlow id="${id}-f2" sourceRef="${id}-AH" targetRef="${id}-end" />
  </bpmn:process>`;

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-ahr" targetNamespace="http://bpmn.io/schema/bpmn">
  ${process(
    'ahr-wait',
    `<bpmn:adHocSubProcess id="ahr-wait-AH" cancelRemainingInstances="false">
      <bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=[&quot;A&quot;, &quot;B&quot;]" /></bpmn:extensionElements>
      ${svc('A', 'ahr-a')}${svc('B', 'ahr-b')}
      <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=done = true</bpmn:completionCondition>
    </bpmn:adHocSubProcess>`,
  )}
  ${process(
    'ahr-worker',
    `<bpmn:adHocSubProcess id="ahr-worker-AH">
      <bpmn:extensionElements><zeebe:taskDefinition type="ahr-agent" /><zeebe:adHoc /></bpmn:extensionElements>
      ${svc('WA', 'ahr-wa')}
    </bpmn:adHocSubProcess>`,
  )}
  ${process(
    'ahr-type',
    `<bpmn:adHocSubProcess id="ahr-type-AH">
      <bpmn:extensionElements><zeebe:taskDefinition type="=&quot;ahr-&quot; + kind" /><zeebe:adHoc /></bpmn:extensionElements>
      ${svc('TA', 'ahr-ta')}
    </bpmn:adHocSubProcess>`,
  )}
</bpmn:definitions>`;

describe('the ad-hoc sub-process on the embedded engine', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await t.engine.deploy([{ name: 'ahr.bpmn', content: MODEL }]);
  });
  afterEach(() => t.close());

  test('a met completion condition waiting for the other inner flow completes the sub-process after a restart', async () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'ahr-wait' }).processInstanceKey;
    completeOne(t.engine, 'ahr-a', { done: true });
    const engine = await t.reopen();
    expect(elements(engine, pi, 'ACTIVE')).toEqual([
      'ahr-wait',
      'ahr-wait-AH',
      'ahr-wait-AH#innerInstance',
      'B',
    ]);
    completeOne(engine, 'ahr-b');
    expect(state(engine, pi)).toBe('COMPLETED');
  });

  test('the job worker implementation: the open job and the inner flow it activated go on after a restart', async () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'ahr-worker' }).processInstanceKey;
    const [agent] = jobs(t.engine, 'ahr-agent');
    t.engine.completeJob(
      agent!.jobKey,
      {},
      {
        adHocSubProcess: {
          activateElements: [{ elementId: 'WA' }],
          isCompletionConditionFulfilled: false,
          isCancelRemainingInstances: false,
        },
      },
    );
    const engine = await t.reopen();
    completeOne(engine, 'ahr-wa');
    const [again] = jobs(engine, 'ahr-agent');
    expect(again?.kind).toBe('AD_HOC_SUB_PROCESS');
    engine.completeJob(
      again!.jobKey,
      {},
      {
        adHocSubProcess: {
          activateElements: [],
          isCompletionConditionFulfilled: true,
          isCancelRemainingInstances: false,
        },
      },
    );
    expect(state(engine, pi)).toBe('COMPLETED');
  });

  test('a job for the worker whose type fails to evaluate is an incident; resolved, the job is created and the sub-process goes on', () => {
    const pi = t.engine.createProcessInstance({
      processDefinitionId: 'ahr-type',
      variables: { kind: 'agent' },
    }).processInstanceKey;
    const [agent] = jobs(t.engine, 'ahr-agent');
    const decide = {
      activateElements: [{ elementId: 'TA' }],
      isCompletionConditionFulfilled: false,
      isCancelRemainingInstances: false,
    };
    t.engine.completeJob(agent!.jobKey, { kind: null }, { adHocSubProcess: decide });
    completeOne(t.engine, 'ahr-ta');
    const [incident] = incidents(t.engine, pi);
    expect(incident?.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident?.elementId).toBe('ahr-type-AH');
    const adHocKey = String(incident!.elementInstanceKey);
    t.engine.setVariables(adHocKey, { kind: 'agent2' }, true);
    t.engine.resolveIncident(String(incident!.incidentKey));
    const [again] = jobs(t.engine, 'ahr-agent2');
    expect(again?.kind).toBe('AD_HOC_SUB_PROCESS');
    expect(elements(t.engine, pi, 'ACTIVE')).toContain('ahr-type-AH');
    t.engine.completeJob(
      again!.jobKey,
      {},
      { adHocSubProcess: { ...decide, activateElements: [], isCompletionConditionFulfilled: true } },
    );
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });
});

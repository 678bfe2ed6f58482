// The ad-hoc sub-process is engine state: its inner instances, a completion condition already met
// (cancelRemainingInstances="false", waiting for the rest) and the job of its job worker implementation survive a
// restart. https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { completeOne, elements, jobs, openEngine, state, type TestEngine } from './helpers.ts';

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
</bpmn:definitions>`;

describe('the ad-hoc sub-process across a restart', () => {
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
});

// Canceling user task listeners and the scopes around the task, as Zeebe 8.8 runs them: the termination of a
// scope waits for a child whose canceling listeners run (Zeebe's UserTaskProcessor.onTerminateInternal answers
// TransitionOutcome.AWAIT; the container's onChildTerminated goes on once its last child is terminated).
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — canceling: "when a canceling process
// instance terminates a user task", "when a catch event interrupts a user task";
// https://docs.camunda.io/docs/components/modeler/bpmn/terminate-events/ — a terminate end event terminates the
// other element instances of its scope, then the scope completes;
// https://docs.camunda.io/docs/components/modeler/bpmn/multi-instance/ — a fulfilled completion condition
// terminates the remaining instances and completes the body.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { jobs, openEngine, state, type TestEngine } from './helpers.ts';

const TASK = (id: string, loop = '') => `<bpmn:userTask id="${id}"><bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:taskListeners><zeebe:taskListener eventType="canceling" type="cy-cancel" /></zeebe:taskListeners>
    </bpmn:extensionElements>${loop}</bpmn:userTask>`;

const defs = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="defs-cy" targetNamespace="http://bpmn.io/schema/bpmn">${body}</bpmn:definitions>`;

const MODELS = [
  `  <bpmn:error id="err" errorCode="OOPS" />
  <bpmn:process id="cy-sub" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="a1" sourceRef="s" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="sub-s" />
      <bpmn:sequenceFlow id="a2" sourceRef="sub-s" targetRef="fork" />
      <bpmn:parallelGateway id="fork" />
      <bpmn:sequenceFlow id="a3" sourceRef="fork" targetRef="review" />
      <bpmn:sequenceFlow id="a4" sourceRef="fork" targetRef="check" />
      ${TASK('review')}
      <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="cy-check" /></bpmn:extensionElements></bpmn:serviceTask>
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="oops" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="a5" sourceRef="oops" targetRef="caught" />
    <bpmn:endEvent id="caught" />
  </bpmn:process>`,
  `<bpmn:process id="cy-term" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="b1" sourceRef="s" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:sequenceFlow id="b2" sourceRef="fork" targetRef="review" />
    <bpmn:sequenceFlow id="b3" sourceRef="fork" targetRef="quick" />
    ${TASK('review')}
    <bpmn:serviceTask id="quick"><bpmn:extensionElements><zeebe:taskDefinition type="cy-quick" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="b4" sourceRef="quick" targetRef="kill" />
    <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>
  </bpmn:process>`,
  `<bpmn:process id="cy-child" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="c1" sourceRef="s" targetRef="review" />
    ${TASK('review')}
  </bpmn:process>`,
  `<bpmn:process id="cy-parent" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="d1" sourceRef="s" targetRef="call" />
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="cy-child" /></bpmn:extensionElements></bpmn:callActivity>
  </bpmn:process>`,
  `<bpmn:process id="cy-mi" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="e1" sourceRef="s" targetRef="review" />
    ${TASK(
      'review',
      `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="n" /></bpmn:extensionElements>
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= 1</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>`,
    )}
    <bpmn:sequenceFlow id="e2" sourceRef="review" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>`,
];

function take(engine: Engine, type: string) {
  const [job, more] = jobs(engine, type);
  if (!job || more) throw new Error(`expected one ${type} job, got ${job ? 'more' : 'none'}`);
  return job;
}

function states(engine: Engine, processInstanceKey: string, elementId: string) {
  return engine
    .searchElementInstances({ filter: { processInstanceKey, elementId } })
    .items.map((e) => e.state);
}

function tasks(engine: Engine, processInstanceKey: string) {
  return engine.searchUserTasks({ filter: { processInstanceKey } }).items.map((t) => t.state);
}

describe('canceling task listeners and the scopes around the task', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await t.engine.deploy(MODELS.map((body, i) => ({ name: `cy-${i}.bpmn`, content: defs(body) })));
  });
  afterEach(() => t.close());

  test("a sub-process's error boundary event: the sub-process is terminated, and the event taken, after the listener", () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'cy-sub' }).processInstanceKey;
    t.engine.throwJobError(take(t.engine, 'cy-check').jobKey, { errorCode: 'OOPS' });
    expect(states(t.engine, pi, 'check')).toEqual(['TERMINATED']);
    expect(states(t.engine, pi, 'sub')).toEqual(['ACTIVE']);
    expect(states(t.engine, pi, 'oops')).toEqual([]);
    t.engine.completeJob(take(t.engine, 'cy-cancel').jobKey);
    expect(states(t.engine, pi, 'sub')).toEqual(['TERMINATED']);
    expect(states(t.engine, pi, 'oops')).toEqual(['COMPLETED']);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('a terminate end event: its scope completes once the terminated task is', () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'cy-term' }).processInstanceKey;
    t.engine.completeJob(take(t.engine, 'cy-quick').jobKey);
    expect(states(t.engine, pi, 'kill')).toEqual(['COMPLETED']);
    expect(tasks(t.engine, pi)).toEqual(['CANCELING']);
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cy-cancel').jobKey);
    expect(tasks(t.engine, pi)).toEqual(['CANCELED']);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('cancelling a parent instance: the call activity waits for the called instance, which waits for the listener', () => {
    const parent = t.engine.createProcessInstance({ processDefinitionId: 'cy-parent' }).processInstanceKey;
    const [child] = t.engine.searchProcessInstances({ filter: { parentProcessInstanceKey: parent } }).items;
    t.engine.cancelProcessInstance(parent);
    expect(state(t.engine, parent)).toBe('ACTIVE');
    expect(state(t.engine, child!.processInstanceKey)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cy-cancel').jobKey);
    expect(state(t.engine, child!.processInstanceKey)).toBe('TERMINATED');
    expect(states(t.engine, parent, 'call')).toEqual(['TERMINATED']);
    expect(state(t.engine, parent)).toBe('TERMINATED');
  });

  test('a cancelled parent waiting on its called instance survives a restart and ends after the listener', async () => {
    const parent = t.engine.createProcessInstance({ processDefinitionId: 'cy-parent' }).processInstanceKey;
    t.engine.cancelProcessInstance(parent);
    const engine = await t.reopen();
    expect(state(engine, parent)).toBe('ACTIVE');
    expect(tasks(engine, parent)).toEqual([]);
    engine.completeJob(take(engine, 'cy-cancel').jobKey);
    expect(state(engine, parent)).toBe('TERMINATED');
  });

  test("a multi-instance completion condition: the body completes once the other instance's listener is done", () => {
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'cy-mi' }).processInstanceKey;
    const [first] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi } }).items;
    t.engine.completeUserTask(first!.userTaskKey);
    expect(tasks(t.engine, pi).sort()).toEqual(['CANCELING', 'COMPLETED']);
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cy-cancel').jobKey);
    expect(tasks(t.engine, pi).sort()).toEqual(['CANCELED', 'COMPLETED']);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });
});

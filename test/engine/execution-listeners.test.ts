// Execution listeners on the embedded engine, as Camunda 8.8 runs them:
// https://docs.camunda.io/docs/components/concepts/execution-listeners/
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import {
  completeOne,
  deploy,
  elements,
  HOUR,
  incidents,
  jobs,
  openEngine,
  state,
  type TestEngine,
} from './helpers.ts';

const ORDER = [
  'proc-start',
  'start-end',
  'el-start-1',
  'el-start-2',
  'work',
  'el-end',
  'gw-start',
  'proc-end',
];

/** The instance's jobs in creation order: type, kind, listener event type, state. */
function jobLog(engine: Engine, processInstanceKey: string) {
  return engine
    .searchJobs({ filter: { processInstanceKey }, page: { limit: 100 }, sort: [{ field: 'jobKey' }] })
    .items.map((j) => ({ type: j.type, kind: j.kind, event: j.listenerEventType, state: j.state }));
}

function start(engine: Engine, variables: Record<string, unknown> = {}) {
  return engine.createProcessInstance({
    processDefinitionId: 'el-order',
    variables: { input: 21, listenerRetries: 2, secondNo: 2, ...variables },
  }).processInstanceKey;
}

describe('execution listeners (docs: components/concepts/execution-listeners)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'execution-listeners.bpmn');
  });
  afterEach(() => t.close());

  test('run one job at a time in model order: process start, element start, the element, element end, process end', () => {
    // given
    const pi = start(t.engine);
    // when: each job is completed as it comes; no other job is open meanwhile
    for (const type of ORDER) {
      const open = t.engine.searchJobs({ filter: { processInstanceKey: pi, state: 'CREATED' } }).items;
      expect(open.map((j) => j.type)).toEqual([type]);
      completeOne(
        t.engine,
        type,
        type === 'work' ? { taskOut: 5 } : type === 'gw-start' ? { route: 'a' } : {},
      );
    }
    // then
    expect(state(t.engine, pi)).toBe('COMPLETED');
    expect(jobLog(t.engine, pi)).toEqual(
      ORDER.map((type) => ({
        type,
        kind: type === 'work' ? 'BPMN_ELEMENT' : 'EXECUTION_LISTENER',
        event: type === 'work' ? 'UNSPECIFIED' : /start$|start-\d$/.test(type) ? 'START' : 'END',
        state: 'COMPLETED',
      })),
    );
    expect(elements(t.engine, pi, 'COMPLETED')).toContain('end-a');
  });

  test('start listeners run after the input mappings and before the element behaviour; the element waits for the last one', () => {
    // given
    start(t.engine);
    completeOne(t.engine, 'proc-start');
    completeOne(t.engine, 'start-end');
    // when
    const first = completeOne(t.engine, 'el-start-1', { fromStart: 'x' });
    // then: the first listener saw the input mapping's local variable and the listener's headers over the task's
    expect(first.variables).toMatchObject({ input: 21, local: 42 });
    expect(first.customHeaders).toEqual({ mode: 'listener', kept: 'yes' });
    expect(first.retries).toBe(2);
    expect(first).toMatchObject({
      kind: 'EXECUTION_LISTENER',
      listenerEventType: 'START',
      elementId: 'task',
    });
    // the task's own job is not created before the second start listener completed
    expect(jobs(t.engine, 'work')).toEqual([]);
    const second = completeOne(t.engine, 'el-start-2');
    expect(second.variables).toMatchObject({ local: 42, fromStart: 'x' });
    const [work] = jobs(t.engine, 'work');
    expect(work?.variables).toMatchObject({ local: 42, fromStart: 'x' });
  });

  test("a start listener's variables are local to the element; an end listener's propagate like output mappings", () => {
    // given
    const pi = start(t.engine);
    for (const type of ['proc-start', 'start-end']) completeOne(t.engine, type);
    completeOne(t.engine, 'el-start-1', { fromStart: 'x' });
    completeOne(t.engine, 'el-start-2');
    completeOne(t.engine, 'work', { taskOut: 5 });
    // when: the end listener reads the output mapping's result and sets a variable
    const end = completeOne(t.engine, 'el-end', { fromEnd: true });
    // then
    expect(end).toMatchObject({ listenerEventType: 'END' });
    expect(end.variables).toMatchObject({ result: 5, local: 42 });
    // a gateway's start listener decides its path; the variable stays local to the gateway
    completeOne(t.engine, 'gw-start', { route: 'a' });
    completeOne(t.engine, 'proc-end');
    expect(elements(t.engine, pi, 'COMPLETED')).toContain('end-a');
    const vars = t.engine.getVariables(pi);
    expect(vars).toMatchObject({ input: 21, result: 5, fromEnd: true });
    expect(vars).not.toHaveProperty('fromStart');
    expect(vars).not.toHaveProperty('route');
  });

  test('a failed listener job with no retries raises EXECUTION_LISTENER_NO_RETRIES; resolving it retries only that listener', () => {
    // given
    const pi = start(t.engine);
    for (const type of ['proc-start', 'start-end', 'el-start-1']) completeOne(t.engine, type);
    const [job] = jobs(t.engine, 'el-start-2');
    // when
    t.engine.failJob(job!.jobKey, { retries: 0, errorMessage: 'service down' });
    // then
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({
      errorType: 'EXECUTION_LISTENER_NO_RETRIES',
      errorMessage: 'service down',
      elementId: 'task',
      jobKey: job!.jobKey,
    });
    expect(() => t.engine.resolveIncident(incident!.incidentKey)).toThrow(/no retries left/);
    t.engine.updateJob(job!.jobKey, { retries: 1 });
    t.engine.resolveIncident(incident!.incidentKey);
    expect(incidents(t.engine, pi)).toEqual([]);
    // the same job comes back; the first start listener does not run again
    const [again] = jobs(t.engine, 'el-start-2');
    expect(again?.jobKey).toBe(job!.jobKey);
    expect(jobs(t.engine, 'el-start-1')).toEqual([]);
    t.engine.completeJob(again!.jobKey);
    expect(jobs(t.engine, 'work')).toHaveLength(1);
  });

  test('an expression failing in a listener (its retries) is an incident; after a fix the listener runs', () => {
    // given: the first start listener's retries are '=listenerRetries', not a number
    const pi = start(t.engine, { listenerRetries: 'many' });
    completeOne(t.engine, 'proc-start');
    completeOne(t.engine, 'start-end');
    // then
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ elementId: 'task' });
    expect(jobs(t.engine, 'el-start-1')).toEqual([]);
    // when
    t.engine.setVariables(pi, { listenerRetries: 4 });
    t.engine.resolveIncident(incident!.incidentKey);
    // then
    const [job] = jobs(t.engine, 'el-start-1');
    expect(job?.retries).toBe(4);
    expect(job?.variables).toMatchObject({ local: 42 });
  });

  test("an expression failing in a later listener runs the phase's earlier listeners again after the fix", () => {
    // given: the second start listener's type is '="el-start-" + string(secondNo)', and secondNo is missing
    const pi = start(t.engine, { secondNo: null });
    for (const type of ['proc-start', 'start-end']) completeOne(t.engine, type);
    const first = completeOne(t.engine, 'el-start-1', { fromStart: 'x' });
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ elementId: 'task', errorType: 'EXTRACT_VALUE_ERROR' });
    // when
    t.engine.setVariables(pi, { secondNo: 2 });
    t.engine.resolveIncident(incident!.incidentKey);
    // then: the first start listener runs again (a new job), then the second
    const again = completeOne(t.engine, 'el-start-1');
    expect(again.jobKey).not.toBe(first.jobKey);
    completeOne(t.engine, 'el-start-2');
    expect(jobs(t.engine, 'work')).toHaveLength(1);
  });

  test('a listener job cannot throw a BPMN error (rejected, as Zeebe rejects it)', () => {
    // given
    start(t.engine);
    const [job] = jobs(t.engine, 'proc-start');
    // when / then
    expect(() => t.engine.throwJobError(job!.jobKey, { errorCode: 'E' })).toThrow(
      /Cannot throw BPMN error from EXECUTION_LISTENER job with key/,
    );
    t.engine.completeJob(job!.jobKey);
    expect(jobs(t.engine, 'start-end')).toHaveLength(1);
  });

  test('cancelling the instance cancels the open listener job and runs no end listener', () => {
    // given
    const pi = start(t.engine);
    for (const type of ['proc-start', 'start-end']) completeOne(t.engine, type);
    // when
    t.engine.cancelProcessInstance(pi);
    // then
    expect(state(t.engine, pi)).toBe('TERMINATED');
    const log = jobLog(t.engine, pi);
    expect(log.at(-1)).toEqual({
      type: 'el-start-1',
      kind: 'EXECUTION_LISTENER',
      event: 'START',
      state: 'CANCELED',
    });
    expect(log.map((j) => j.type)).not.toContain('proc-end');
    expect(jobs(t.engine, 'el-start-1')).toEqual([]);
  });

  test('progress survives a restart in the middle of the listeners', async () => {
    // given
    const pi = start(t.engine);
    for (const type of ['proc-start', 'start-end', 'el-start-1']) completeOne(t.engine, type);
    // when
    const engine = await t.reopen();
    // then: the second start listener is next, the first is not repeated
    expect(jobs(engine, 'el-start-1')).toEqual([]);
    completeOne(engine, 'el-start-2');
    completeOne(engine, 'work', { taskOut: 1 });
    await t.reopen();
    for (const type of ['el-end', 'gw-start', 'proc-end']) completeOne(t.engine, type);
    expect(state(t.engine, pi)).toBe('COMPLETED');
    expect(elements(t.engine, pi, 'COMPLETED')).toContain('end-b');
  });

  test('a start listener sets what a timer catch event and a user task evaluate; a sub-process waits for its listeners', () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'el-scopes' }).processInstanceKey;
    completeOne(t.engine, 'sub-start');
    // when: the catch event's start listener computes the timer's duration (the docs' "Timer events" use case)
    completeOne(t.engine, 'wait-start', { wait: 'PT1H' });
    expect(elements(t.engine, pi, 'ACTIVE')).toEqual(['el-scopes', 'sub', 'wait']);
    t.engine.advanceClock(HOUR - 1_000);
    expect(elements(t.engine, pi, 'ACTIVE')).toEqual(['el-scopes', 'sub', 'wait']);
    t.engine.advanceClock(1_000);
    // then: the sub-process's end listener runs before the token leaves it
    expect(jobs(t.engine, 'review-start')).toEqual([]);
    completeOne(t.engine, 'sub-end');
    // the user task is created only after its start listener, with the assignee it computed
    expect(t.engine.searchUserTasks({ filter: { processInstanceKey: pi } }).items).toEqual([]);
    completeOne(t.engine, 'review-start', { reviewer: 'li.wei' });
    const [task] = t.engine.searchUserTasks({ filter: { processInstanceKey: pi } }).items;
    expect(task?.assignee).toBe('li.wei');
    t.engine.completeUserTask(task!.userTaskKey, { variables: { ok: true } });
    expect(state(t.engine, pi)).toBe('ACTIVE');
    const end = completeOne(t.engine, 'review-end');
    expect(end.variables).toMatchObject({ ok: true });
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test("a multi-instance task's listeners run around each inner instance, not around the body", () => {
    // given
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'el-multi' }).processInstanceKey;
    // when
    const seen: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      for (const type of ['each-start', 'each-work', 'each-end']) {
        const job = completeOne(t.engine, type);
        seen.push([type, job.variables.item]);
      }
    }
    // then
    expect(seen).toEqual([
      ['each-start', 1],
      ['each-work', 1],
      ['each-end', 1],
      ['each-start', 2],
      ['each-work', 2],
      ['each-end', 2],
    ]);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });
});

describe('end listeners of an escalation end event (docs: limitations, interrupting escalation events)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
  });
  afterEach(() => t.close());

  const model = (interrupting: boolean) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:escalation id="esc" escalationCode="up" />
  <bpmn:process id="esc-p" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="in" /><bpmn:sequenceFlow id="f2" sourceRef="in" targetRef="raise" />
      <bpmn:endEvent id="raise">
        <bpmn:extensionElements><zeebe:executionListeners><zeebe:executionListener eventType="end" type="raise-end" /></zeebe:executionListeners></bpmn:extensionElements>
        <bpmn:escalationEventDefinition escalationRef="esc" />
      </bpmn:endEvent>
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f3" sourceRef="sub" targetRef="e" /><bpmn:endEvent id="e" />
    <bpmn:boundaryEvent id="caught" attachedToRef="sub" cancelActivity="${interrupting}"><bpmn:escalationEventDefinition escalationRef="esc" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="caught" targetRef="e2" /><bpmn:endEvent id="e2" />
  </bpmn:process>
</bpmn:definitions>`;

  test.each([
    [true, 0],
    [false, 1],
  ])('caught by an interrupting (%s) boundary event: %i end listener job', async (interrupting, n) => {
    await t.engine.deploy([{ name: 'esc.bpmn', content: model(interrupting) }]);
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'esc-p' }).processInstanceKey;
    expect(jobs(t.engine, 'raise-end')).toHaveLength(n);
    expect(elements(t.engine, pi, 'COMPLETED')).toContain('e2');
  });
});

describe('execution listeners refused at deploy where Camunda 8.8 refuses them', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
  });
  afterEach(() => t.close());

  const listener = (eventType: string, type: string) =>
    `<zeebe:executionListener eventType="${eventType}" type="${type}" />`;
  const on = (...ls: string[]) =>
    `<bpmn:extensionElements><zeebe:executionListeners>${ls.join('')}</zeebe:executionListeners></bpmn:extensionElements>`;
  const ERROR = '<bpmn:error id="err" errorCode="E" />';
  const model = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  ${body.includes('errorRef') ? ERROR : ''}<bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
  const refused = (body: string) => t.engine.deploy([{ name: 'p.bpmn', content: model(body) }]);

  test.each([
    [
      'a start listener on a start event',
      `<bpmn:startEvent id="s">${on(listener('start', 'a'))}</bpmn:startEvent><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e" />`,
      "Element 's' (bpmn:StartEvent) in process 'p': Execution listeners of type 'start' are not supported by start events",
    ],
    [
      'a start listener on a boundary event',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" /><bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:boundaryEvent id="b" attachedToRef="t">${on(listener('start', 'a'))}<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`,
      "Execution listeners of type 'start' are not supported by boundary events",
    ],
    [
      'an end listener on a gateway',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:parallelGateway id="g">${on(listener('end', 'a'))}</bpmn:parallelGateway><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e" /><bpmn:endEvent id="e" />`,
      "Execution listeners of type 'end' are not supported by gateway element",
    ],
    [
      'an end listener on an error end event',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e">${on(listener('end', 'a'))}<bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>`,
      "Execution listeners of type 'end' are not supported by [error] end events",
    ],
    [
      'two listeners of one event type and job type',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e">${on(listener('start', 'a'), listener('start', 'a'), listener('end', 'a'))}</bpmn:endEvent>`,
      "Found '2' duplicates based on eventType[start] and type[a], these combinations should be unique.",
    ],
    [
      'a task listener of an unknown event type, or without a type',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="u" /><bpmn:userTask id="u"><bpmn:extensionElements><zeebe:userTask /><zeebe:taskListeners><zeebe:taskListener eventType="claiming" type="audit" /><zeebe:taskListener eventType="completing" type="" /></zeebe:taskListeners></bpmn:extensionElements></bpmn:userTask>`,
      "Element 'u' (bpmn:UserTask) in process 'p': Task listener event type 'claiming' is not supported. Currently, only 'creating', 'assigning', 'updating', 'completing', 'canceling' event types and 'create', 'assignment', 'update', 'complete', 'cancel' deprecated event types are supported.\nElement 'u' (bpmn:UserTask) in process 'p': Attribute 'type' must be present and not empty",
    ],
    [
      'task listeners on a job-worker user task',
      `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="u" /><bpmn:userTask id="u"><bpmn:extensionElements><zeebe:taskListeners><zeebe:taskListener eventType="completing" type="audit" /></zeebe:taskListeners></bpmn:extensionElements></bpmn:userTask>`,
      "Element 'u' (bpmn:UserTask) in process 'p': task listeners (zeebe:taskListeners) are only supported on a Camunda user task (zeebe:userTask)",
    ],
  ])('%s', async (_what, body, message) => {
    await expect(refused(body)).rejects.toThrow(message);
  });

  test('an error end event may still have a start listener, a gateway a start listener', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:exclusiveGateway id="g">${on(listener('start', 'a'))}</bpmn:exclusiveGateway><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e" /><bpmn:endEvent id="e">${on(listener('start', 'b'))}<bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>`;
    await expect(refused(body)).resolves.toBeDefined();
  });
});

// Canceling user task listeners on the embedded engine, as Camunda 8.8 runs them:
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — `canceling` is triggered "when a
// canceling process instance terminates a user task" and "when a catch event interrupts a user task"; the
// lifecycle goes from creating / created / assigning / updating / completing to canceling, then canceled; the
// transition is blocking; the cancelation cannot be denied. Where the docs are silent, Zeebe's
// UserTaskProcessor.onTerminateInternal (camunda/camunda, zeebe/engine/.../bpmn/task/UserTaskProcessor.java):
// the job of a transition under way is canceled and its requests rejected ("user task was canceled during
// ongoing transition"), the task is written CANCELING as it is stored, the first canceling listener's job is
// created and the termination waits (TransitionOutcome.AWAIT); onFinalizeTerminationInternal activates the
// interrupting boundary event only once the task is terminated; the rest of the scope ends at once, the scope
// itself once its last child did (onChildTerminated).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import type { EngineError } from '../../src/engine/errors.ts';
import { elements, incidents, jobs, openEngine, state, type TestEngine } from './helpers.ts';

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-cx" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:message id="m-stop" name="cx-stop"><bpmn:extensionElements>
    <zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="m-halt" name="cx-halt"><bpmn:extensionElements>
    <zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="cx" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="side" />
    <bpmn:userTask id="review"><bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:assignmentDefinition candidateGroups="clerks" />
      <zeebe:priorityDefinition priority="70" />
      <zeebe:taskHeaders><zeebe:header key="desk" value="front" /></zeebe:taskHeaders>
      <zeebe:taskListeners>
        <zeebe:taskListener eventType="assigning" type="cx-assign" />
        <zeebe:taskListener eventType="canceling" type="cx-cancel-1" retries="=cancelRetries" />
        <zeebe:taskListener eventType="cancel" type="cx-cancel-2" />
      </zeebe:taskListeners>
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="reviewed" />
    <bpmn:endEvent id="reviewed" />
    <bpmn:boundaryEvent id="stop" attachedToRef="review"><bpmn:messageEventDefinition messageRef="m-stop" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f5" sourceRef="stop" targetRef="stopped" />
    <bpmn:endEvent id="stopped" />
    <bpmn:serviceTask id="side"><bpmn:extensionElements><zeebe:taskDefinition type="cx-side" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f6" sourceRef="side" targetRef="sided" />
    <bpmn:endEvent id="sided" />
    <bpmn:subProcess id="halt" triggeredByEvent="true">
      <bpmn:startEvent id="halt-start"><bpmn:messageEventDefinition messageRef="m-halt" /></bpmn:startEvent>
      <bpmn:sequenceFlow id="f7" sourceRef="halt-start" targetRef="halted" />
      <bpmn:endEvent id="halted" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;

function start(engine: Engine, id: string, cancelRetries = 3) {
  return engine.createProcessInstance({ processDefinitionId: 'cx', variables: { id, cancelRetries } })
    .processInstanceKey;
}

function task(engine: Engine, processInstanceKey: string) {
  const [t] = engine.searchUserTasks({ filter: { processInstanceKey } }).items;
  if (!t) throw new Error(`no user task in ${processInstanceKey}`);
  return engine.getUserTask(t.userTaskKey);
}

/** The one activatable job of `type`, activated. */
function take(engine: Engine, type: string) {
  const [job, more] = jobs(engine, type);
  if (!job || more) throw new Error(`expected one ${type} job, got ${job ? 'more' : 'none'}`);
  return job;
}

/** The state of the instance's element instances of `elementId`. */
function states(engine: Engine, pi: string, elementId: string) {
  return engine
    .searchElementInstances({ filter: { processInstanceKey: pi, elementId } })
    .items.map((e) => e.state);
}

function rejected(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return `${(e as EngineError).code}: ${(e as Error).message}`;
  }
  return 'accepted';
}

describe('canceling task listeners (docs: components/concepts/user-task-listeners)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await t.engine.deploy([{ name: 'cx.bpmn', content: MODEL }]);
  });
  afterEach(() => t.close());

  test('an interrupting boundary event: the task is CANCELING while its listeners run in order; the event follows', () => {
    const pi = start(t.engine, 'b1');
    const key = task(t.engine, pi).userTaskKey;
    t.engine.publishMessage({ name: 'cx-stop', correlationKey: 'b1' });
    expect(task(t.engine, pi).state).toBe('CANCELING');
    expect(states(t.engine, pi, 'review')).toEqual(['ACTIVE']);
    expect(elements(t.engine, pi)).not.toContain('stop');
    const first = take(t.engine, 'cx-cancel-1');
    expect(first).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'CANCELING', retries: 3 });
    expect(first.userTask).toMatchObject({
      candidateGroups: ['clerks'],
      priority: 70,
      changedAttributes: [],
      userTaskKey: key,
    });
    expect(first.customHeaders).toMatchObject({ desk: 'front' });
    expect(first.variables).toMatchObject({ id: 'b1' });
    expect(jobs(t.engine, 'cx-cancel-2')).toHaveLength(0);
    // a command on the task is refused meanwhile
    expect(rejected(() => t.engine.completeUserTask(key))).toMatch(/^INVALID_STATE: .*'CANCELING'/);
    t.engine.completeJob(first.jobKey, {}, { corrections: { priority: 10 } });
    const second = take(t.engine, 'cx-cancel-2');
    expect(second.userTask).toMatchObject({ priority: 10, changedAttributes: ['priority'] });
    expect(elements(t.engine, pi)).not.toContain('stop');
    t.engine.completeJob(second.jobKey);
    expect(task(t.engine, pi).state).toBe('CANCELED');
    expect(states(t.engine, pi, 'review')).toEqual(['TERMINATED']);
    expect(states(t.engine, pi, 'stop')).toEqual(['COMPLETED']);
    // the other branch was never touched: the instance ends when it does
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cx-side').jobKey);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('an interrupting event sub-process: the rest of the scope ends at once, the sub-process starts after the listeners', () => {
    const pi = start(t.engine, 'e1');
    const side = take(t.engine, 'cx-side');
    t.engine.publishMessage({ name: 'cx-halt', correlationKey: 'e1' });
    expect(states(t.engine, pi, 'side')).toEqual(['TERMINATED']);
    expect(t.engine.searchJobs({ filter: { jobKey: side.jobKey } }).items[0]?.state).toBe('CANCELED');
    expect(elements(t.engine, pi)).not.toContain('halt');
    // the scope is interrupted: a second event sub-process trigger does nothing
    t.engine.publishMessage({ name: 'cx-halt', correlationKey: 'e1' });
    t.engine.completeJob(take(t.engine, 'cx-cancel-1').jobKey);
    expect(elements(t.engine, pi)).not.toContain('halt');
    t.engine.completeJob(take(t.engine, 'cx-cancel-2').jobKey);
    expect(states(t.engine, pi, 'halt')).toEqual(['COMPLETED']);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('cancelling the instance: the other work ends at once, the instance is TERMINATED once the listeners are done', () => {
    const pi = start(t.engine, 'c1');
    t.engine.cancelProcessInstance(pi);
    expect(states(t.engine, pi, 'side')).toEqual(['TERMINATED']);
    expect(state(t.engine, pi)).toBe('ACTIVE');
    expect(task(t.engine, pi).state).toBe('CANCELING');
    // Zeebe cancels only an instance that can still be terminated
    expect(rejected(() => t.engine.cancelProcessInstance(pi))).toBe(
      `NOT_FOUND: Expected to cancel a process instance with key '${pi}', but no such process was found`,
    );
    expect(
      rejected(() =>
        t.engine.modifyProcessInstance(pi, { activateInstructions: [{ elementId: 'reviewed' }] }),
      ),
    ).toBe(`NOT_FOUND: Expected to modify process instance but no process instance found with key '${pi}'`);
    t.engine.completeJob(take(t.engine, 'cx-cancel-1').jobKey);
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cx-cancel-2').jobKey);
    expect(task(t.engine, pi).state).toBe('CANCELED');
    expect(state(t.engine, pi)).toBe('TERMINATED');
  });

  test("modification's terminate instruction: only the task waits; the instance goes on", () => {
    const pi = start(t.engine, 'm1');
    const [review] = t.engine.searchElementInstances({
      filter: { processInstanceKey: pi, elementId: 'review' },
    }).items;
    t.engine.modifyProcessInstance(pi, {
      terminateInstructions: [{ elementInstanceKey: Number(review!.elementInstanceKey) }],
    });
    expect(task(t.engine, pi).state).toBe('CANCELING');
    t.engine.completeJob(take(t.engine, 'cx-cancel-1').jobKey);
    t.engine.completeJob(take(t.engine, 'cx-cancel-2').jobKey);
    expect(states(t.engine, pi, 'review')).toEqual(['TERMINATED']);
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cx-side').jobKey);
    expect(state(t.engine, pi)).toBe('COMPLETED');
  });

  test('terminating the last element by modification terminates the instance once the listeners are done', () => {
    const pi = start(t.engine, 'm2');
    t.engine.completeJob(take(t.engine, 'cx-side').jobKey);
    const [review] = t.engine.searchElementInstances({
      filter: { processInstanceKey: pi, elementId: 'review' },
    }).items;
    t.engine.modifyProcessInstance(pi, {
      terminateInstructions: [{ elementInstanceKey: Number(review!.elementInstanceKey) }],
    });
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.completeJob(take(t.engine, 'cx-cancel-1').jobKey);
    t.engine.completeJob(take(t.engine, 'cx-cancel-2').jobKey);
    expect(state(t.engine, pi)).toBe('TERMINATED');
  });

  test('a canceling job cannot be denied (Zeebe: "Denying result is not supported for \'CANCELING\' task listener jobs")', () => {
    const pi = start(t.engine, 'd1');
    t.engine.cancelProcessInstance(pi);
    const job = take(t.engine, 'cx-cancel-1');
    expect(rejected(() => t.engine.completeJob(job.jobKey, {}, { denied: true, deniedReason: 'no' }))).toBe(
      `INVALID_ARGUMENT: Denying result is not supported for 'CANCELING' task listener jobs (job key '${job.jobKey}', type 'cx-cancel-1', processInstanceKey '${pi}'). Only the following listener event types support denying: [ASSIGNING, COMPLETING, UPDATING].`,
    );
    expect(task(t.engine, pi).state).toBe('CANCELING');
  });

  test('a canceling job failed with no retries is an incident; resolving it retries that job only', () => {
    const pi = start(t.engine, 'i1', 1);
    t.engine.cancelProcessInstance(pi);
    const job = take(t.engine, 'cx-cancel-1');
    t.engine.failJob(job.jobKey, { retries: 0, errorMessage: 'archive down' });
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'archive down' });
    expect(state(t.engine, pi)).toBe('ACTIVE');
    t.engine.updateJob(job.jobKey, { retries: 1 });
    t.engine.resolveIncident(incident!.incidentKey);
    expect(take(t.engine, 'cx-cancel-1').jobKey).toBe(job.jobKey);
    t.engine.completeJob(job.jobKey);
    t.engine.completeJob(take(t.engine, 'cx-cancel-2').jobKey);
    expect(state(t.engine, pi)).toBe('TERMINATED');
  });

  test('retries that fail to evaluate are an incident on the element; resolving it creates the job', () => {
    const pi = start(t.engine, 'i2');
    t.engine.setVariables(pi, { cancelRetries: 'many' });
    t.engine.cancelProcessInstance(pi);
    const [incident] = incidents(t.engine, pi);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'review' });
    t.engine.setVariables(pi, { cancelRetries: 2 });
    t.engine.resolveIncident(incident!.incidentKey);
    expect(take(t.engine, 'cx-cancel-1').retries).toBe(2);
  });

  test('an assignment under way is given up: its job canceled, its request rejected, the canceling listeners run', async () => {
    const pi = start(t.engine, 'a1');
    const key = task(t.engine, pi).userTaskKey;
    t.engine.assignUserTask(key, { assignee: 'ann' });
    const waiting = t.engine
      .read((it) => it.taskListeners.wait(Number(key)))
      .then(
        () => 'done',
        (e: Error) => e.message,
      );
    const assign = take(t.engine, 'cx-assign');
    t.engine.publishMessage({ name: 'cx-stop', correlationKey: 'a1' });
    expect(await waiting).toBe('user task was canceled during ongoing transition');
    expect(t.engine.searchJobs({ filter: { jobKey: assign.jobKey } }).items[0]?.state).toBe('CANCELED');
    // the task as stored: the assignment never happened
    expect(take(t.engine, 'cx-cancel-1').userTask).toMatchObject({ assignee: null, changedAttributes: [] });
  });

  test('an instance whose task is CANCELING is not migrated: the termination is a command still under way (also with an incident on its listener)', async () => {
    const pi = start(t.engine, 'g1');
    t.engine.publishMessage({ name: 'cx-stop', correlationKey: 'g1' });
    const v2 = await t.engine.deploy([
      { name: 'cx.bpmn', content: MODEL.replace('priority="70"', 'priority="71"') },
    ]);
    const deployed = v2.deployments[0] as { processDefinition: { processDefinitionKey: string } };
    const target = Number(deployed.processDefinition.processDefinitionKey);
    const same = (id: string) => ({ sourceElementId: id, targetElementId: id });
    const migrate = () =>
      rejected(() =>
        t.engine.migrateProcessInstance(pi, {
          targetProcessDefinitionKey: target,
          mappingInstructions: [same('review'), same('side'), same('stop')],
        }),
      );
    const refusal = `INVALID_STATE: Expected to migrate process instance '${pi}' but a concurrent command was executed on the process instance. Please retry the migration.`;
    expect(migrate()).toBe(refusal);
    t.engine.failJob(take(t.engine, 'cx-cancel-1').jobKey, { retries: 0, errorMessage: 'down' });
    expect(incidents(t.engine, pi)).toHaveLength(1);
    expect(migrate()).toBe(refusal);
  });

  test('the termination under way survives a restart and goes on where it stopped', async () => {
    const pi = start(t.engine, 'r1');
    t.engine.publishMessage({ name: 'cx-stop', correlationKey: 'r1' });
    t.engine.completeJob(take(t.engine, 'cx-cancel-1').jobKey);
    const engine = await t.reopen();
    expect(task(engine, pi).state).toBe('CANCELING');
    engine.completeJob(take(engine, 'cx-cancel-2').jobKey);
    expect(states(engine, pi, 'stop')).toEqual(['COMPLETED']);
    engine.completeJob(take(engine, 'cx-side').jobKey);
    expect(state(engine, pi)).toBe('COMPLETED');
  });
});

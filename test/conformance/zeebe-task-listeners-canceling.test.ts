// Zeebe fidelity (issue #14 item 4): canceling user task listeners, driven over /v2 with the official client at
// strict validation.
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/ — `canceling` is triggered "when a
// canceling process instance terminates a user task" and "when a catch event interrupts a user task"; listeners
// are blocking and run in model order; the task reads CANCELING meanwhile; "it's not possible to deny the
// creation or cancelation of a user task"; a listener job that fails with no retries raises an incident whose
// resolution retries that job. Zeebe's UserTaskProcessor.onTerminateInternal where the docs are silent: the
// termination of the element waits for the listeners (the boundary event follows, the instance ends, after).
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/modify-process-instance/
// — a terminate instruction terminates the element instance (and so runs its canceling listeners).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const P = 'fid-tlc';

const MODEL = definitions(
  'defs-fid-tlc',
  `<bpmn:message id="m-stop" name="${P}-stop"><bpmn:extensionElements>
    <zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${P}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="side" />
    <bpmn:userTask id="review"><bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:assignmentDefinition candidateGroups="clerks" />
      <zeebe:taskListeners>
        <zeebe:taskListener eventType="canceling" type="${P}-cancel-1" retries="1" />
        <zeebe:taskListener eventType="canceling" type="${P}-cancel-2" />
      </zeebe:taskListeners>
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="reviewed" />
    <bpmn:endEvent id="reviewed" />
    <bpmn:boundaryEvent id="stop" attachedToRef="review"><bpmn:messageEventDefinition messageRef="m-stop" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f5" sourceRef="stop" targetRef="stopped" />
    <bpmn:endEvent id="stopped" />
    <bpmn:serviceTask id="side"><bpmn:extensionElements><zeebe:taskDefinition type="${P}-side" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f6" sourceRef="side" targetRef="sided" />
    <bpmn:endEvent id="sided" />
  </bpmn:process>`,
);

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({ resources: [bpmnFile(`${P}.bpmn`, MODEL)] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Activates the job of `type` of instance `pik` (others of that type are handed back). */
async function take(type: string, pik: string) {
  for (let round = 0; round < 50; round++) {
    const { jobs } = await t.client.activateJobs({
      type,
      timeout: 60_000,
      maxJobsToActivate: 10,
      requestTimeout: 2_000,
    });
    const mine = jobs.find((j) => String(j.processInstanceKey) === pik);
    for (const other of jobs.filter((j) => j !== mine))
      await t.client.failJob({ jobKey: other.jobKey, retries: other.retries });
    if (mine) return mine;
  }
  throw new Error(`no ${type} job for ${pik}`);
}

async function started(id: string): Promise<{ pik: string; userTaskKey: string }> {
  const created = await t.client.createProcessInstance({ processDefinitionId: P, variables: { id } });
  const pik = String(created.processInstanceKey);
  const tasks = await t.client.searchUserTasks(
    { filter: { processInstanceKey: k(pik) } },
    consistent((x) => x.items.length === 1),
  );
  return { pik, userTaskKey: String(tasks.items[0]!.userTaskKey) };
}

async function elementStates(pik: string, elementId: string): Promise<string[]> {
  const found = await t.client.searchElementInstances(
    { filter: { processInstanceKey: k(pik), elementId: k(elementId) } },
    consistent(),
  );
  return (found.items ?? []).map((e) => String(e.state));
}

async function instanceState(pik: string, expected: string): Promise<string> {
  const pi = await t.client.getProcessInstance(
    { processInstanceKey: k(pik) },
    consistent((x) => x.state === expected),
  );
  return String(pi.state);
}

describe('canceling user task listeners over /v2', () => {
  it('an interrupting boundary event: CANCELING jobs in model order, then the task is CANCELED and the event taken', async () => {
    const { pik, userTaskKey } = await started('b-1');
    await t.client.publishMessage({ name: `${P}-stop`, correlationKey: 'b-1', timeToLive: 0 });
    const first = await take(`${P}-cancel-1`, pik);
    expect(first).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'CANCELING' });
    expect(first.userTask).toMatchObject({ candidateGroups: ['clerks'], changedAttributes: [], userTaskKey });
    // the action is the stored task's, which Zeebe clears when a transition ends (UserTaskAssignedV3Applier and the
    // other appliers store it with setAction("")); BpmnUserTaskBehavior.userTaskCanceling writes that record as it is
    expect(first.userTask?.action).toBe('');
    const during = await t.client.getUserTask({ userTaskKey: k(userTaskKey) }, consistent());
    expect(during.state).toBe('CANCELING');
    expect(await elementStates(pik, 'stop')).toEqual([]);
    await t.client.completeJob({ jobKey: first.jobKey });
    const second = await take(`${P}-cancel-2`, pik);
    expect(second.listenerEventType).toBe('CANCELING');
    await t.client.completeJob({ jobKey: second.jobKey });
    const after = await t.client.getUserTask(
      { userTaskKey: k(userTaskKey) },
      consistent((x) => x.state === 'CANCELED'),
    );
    expect(after.state).toBe('CANCELED');
    expect(await elementStates(pik, 'review')).toEqual(['TERMINATED']);
    expect(await elementStates(pik, 'stop')).toEqual(['COMPLETED']);
    await t.client.completeJob({ jobKey: (await take(`${P}-side`, pik)).jobKey });
    expect(await instanceState(pik, 'COMPLETED')).toBe('COMPLETED');
  });

  it('cancelling the instance: the other work ends at once, the instance ends once the listeners are done; no denial', async () => {
    const { pik } = await started('c-1');
    await t.client.cancelProcessInstance({ processInstanceKey: k(pik) });
    const first = await take(`${P}-cancel-1`, pik);
    expect(await elementStates(pik, 'side')).toEqual(['TERMINATED']);
    expect(await instanceState(pik, 'ACTIVE')).toBe('ACTIVE');
    const denial = await statusOf(
      t.client.completeJob({ jobKey: first.jobKey, result: { type: 'userTask', denied: true } }),
    );
    expect(denial).toBe(400);
    await t.client.completeJob({ jobKey: first.jobKey });
    await t.client.completeJob({ jobKey: (await take(`${P}-cancel-2`, pik)).jobKey });
    expect(await instanceState(pik, 'TERMINATED')).toBe('TERMINATED');
  });

  it("modification's terminate instruction runs them too; a failed job with no retries is an incident, resolved by retrying it", async () => {
    const { pik } = await started('m-1');
    const [review] =
      (
        await t.client.searchElementInstances(
          { filter: { processInstanceKey: k(pik), elementId: k('review') } },
          consistent((x) => x.items.length === 1),
        )
      ).items ?? [];
    await t.client.modifyProcessInstance({
      processInstanceKey: k(pik),
      terminateInstructions: [{ elementInstanceKey: k(String(review!.elementInstanceKey)) }],
    });
    const job = await take(`${P}-cancel-1`, pik);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'archive down' });
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
      consistent((x) => (x.items?.length ?? 0) === 1),
    );
    const incident = incidents.items?.[0];
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'archive down' });
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: k(String(incident?.incidentKey)) });
    const again = await take(`${P}-cancel-1`, pik);
    expect(String(again.jobKey)).toBe(String(job.jobKey));
    await t.client.completeJob({ jobKey: again.jobKey });
    await t.client.completeJob({ jobKey: (await take(`${P}-cancel-2`, pik)).jobKey });
    expect(await elementStates(pik, 'review')).toEqual(['TERMINATED']);
    await t.client.completeJob({ jobKey: (await take(`${P}-side`, pik)).jobKey });
    expect(await instanceState(pik, 'COMPLETED')).toBe('COMPLETED');
  });
});

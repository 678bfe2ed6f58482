// Zeebe fidelity (issue #14 §1.8): a user task without zeebe:userTask is a job-worker user task.
// Camunda 8.8, https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/ ("User task implementation
// types", "Job worker implementation"): without the zeebe:userTask extension element the task is a job of type
// io.camunda.zeebe:userTask, its assignment in io.camunda.zeebe:* custom headers, completed by a job worker;
// it is not a Camunda user task (not in the user-task search).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, type Target } from './target.ts';

let t: Target;
const TYPE = 'io.camunda.zeebe:userTask';

beforeAll(async () => {
  t = await startTarget();
  const task = `<bpmn:userTask id="approve"><bpmn:extensionElements>
    <zeebe:assignmentDefinition assignee="=owner" candidateGroups="reviewers, finance" />
    <zeebe:taskHeaders><zeebe:header key="desk" value="A-2" /></zeebe:taskHeaders>
  </bpmn:extensionElements></bpmn:userTask>`;
  const model = definitions('defs-fid-jwut', sequenceProcess('fid-jwut', [['approve', task]]));
  await t.client.createDeployment({ resources: [bpmnFile('fid-jwut.bpmn', model)] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('job-worker user task', () => {
  it('is a job of type io.camunda.zeebe:userTask with its assignment in headers, completed by a worker', async () => {
    const created = await t.client.createProcessInstance({
      processDefinitionId: 'fid-jwut',
      variables: { owner: 'alice' },
    });
    const pik = String(created.processInstanceKey);
    let job: { jobKey: string; customHeaders: Record<string, unknown>; retries: number } | undefined;
    for (let round = 0; !job && round < 50; round++) {
      const { jobs } = await t.client.activateJobs({
        type: TYPE,
        timeout: 60_000,
        maxJobsToActivate: 10,
        requestTimeout: 2_000,
      });
      job = jobs.find((j) => String(j.processInstanceKey) === pik) as never;
    }
    expect(job).toBeDefined();
    expect(job?.retries).toBe(1);
    expect(job?.customHeaders).toMatchObject({
      desk: 'A-2',
      'io.camunda.zeebe:assignee': 'alice',
      'io.camunda.zeebe:candidateGroups': '["reviewers","finance"]',
    });
    const tasks = await t.client.searchUserTasks({ filter: { processInstanceKey: k(pik) } }, consistent());
    expect(tasks.items).toHaveLength(0);
    await t.client.completeJob({ jobKey: k(job!.jobKey), variables: { approved: true } });
    const done = await t.client.getProcessInstance(
      { processInstanceKey: k(pik) },
      consistent((x) => x.state === 'COMPLETED'),
    );
    expect(done.state).toBe('COMPLETED');
  });
});

// Zeebe fidelity (issue #14 §3): which jobs a worker may fail. Camunda 8.8,
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/fail-job/ — 409 only
// when the job is "not ACTIVATED or ACTIVATABLE" (Zeebe's JobFailProcessor accepts both states): a job whose
// lease timed out, or that failed with retries left and no back-off, is activatable and can be failed; a job
// in its back-off or failed with no retries left (an incident) cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, definitions, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const TYPE = 'fid-jobs-work';

beforeAll(async () => {
  t = await startTarget();
  const model = definitions(
    'defs-fid-jobs',
    sequenceProcess('fid-jobs', [
      [
        'work',
        `<bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${TYPE}" retries="3" /></bpmn:extensionElements></bpmn:serviceTask>`,
      ],
    ]),
  );
  await t.client.createDeployment({ resources: [bpmnFile('fid-jobs.bpmn', model)] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Starts an instance and activates its job with the given lease. */
async function jobOfNewInstance(timeout = 60_000): Promise<string> {
  const created = await t.client.createProcessInstance({ processDefinitionId: 'fid-jobs' });
  const pik = String(created.processInstanceKey);
  for (let round = 0; round < 50; round++) {
    const { jobs } = await t.client.activateJobs({
      type: TYPE,
      timeout,
      maxJobsToActivate: 10,
      requestTimeout: 2_000,
    });
    const mine = jobs.find((j) => String(j.processInstanceKey) === pik);
    for (const other of jobs.filter((j) => j !== mine))
      await t.client.failJob({ jobKey: other.jobKey, retries: other.retries });
    if (mine) return String(mine.jobKey);
  }
  throw new Error('the job was never activated');
}

const fail = (jobKey: string, retries: number, retryBackOff = 0) =>
  statusOf(t.client.failJob({ jobKey: jobKey as never, retries, errorMessage: 'slow worker', retryBackOff }));

describe('failing a job that is not activated', () => {
  it('a job failed with retries left and no back-off is activatable: a second failure is accepted', async () => {
    const job = await jobOfNewInstance();
    expect(await fail(job, 2)).toBe('ok');
    expect(await fail(job, 1)).toBe('ok');
  });

  it('a job whose lease timed out is activatable: the slow worker may still fail it', async () => {
    const job = await jobOfNewInstance(300);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await fail(job, 2)).toBe('ok');
  });

  it('a job in its retry back-off, or failed with no retries left, is refused with 409', async () => {
    const waiting = await jobOfNewInstance();
    expect(await fail(waiting, 2, 600_000)).toBe('ok');
    expect(await fail(waiting, 1)).toBe(409);
    const exhausted = await jobOfNewInstance();
    expect(await fail(exhausted, 0)).toBe('ok');
    expect(await fail(exhausted, 0)).toBe(409);
  });
});

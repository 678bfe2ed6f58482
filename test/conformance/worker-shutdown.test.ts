// Graceful shutdown of the worker runtime, on an engine of its own: a job still running when the grace
// period ends is released with its retries unchanged and can be activated again at once.
import { describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client.ts';
import { startWorkers } from '../../src/camunda/worker-runtime.ts';
import { VALIDATION } from './target.ts';
import { consistency, definition, k, quiet, until, useWorkerTarget } from './worker-fixture.ts';

const target = useWorkerTarget();

describe('graceful shutdown', () => {
  it('releases a job still running when the grace period ends, with its retries unchanged', async () => {
    const client = createCamundaClient(target.t.config, { validation: VALIDATION });
    const running = startWorkers(client, [definition], {
      logger: quiet,
      pollTimeoutMs: 200,
      workerName: 'graceful',
    });
    const pik = String(
      (
        await target.t.client.createProcessInstance({
          processDefinitionId: 'conformance-service',
          variables: { mode: 'slow' },
        })
      ).processInstanceKey,
    );
    await until(
      async () => running.inFlight(),
      (n) => n > 0,
    );
    const result = await running.stop(200);
    expect(result.released).toBe(1);
    const jobs = await target.t.client.searchJobs({ filter: { processInstanceKey: k(pik) } }, consistency);
    expect(jobs.items[0]).toMatchObject({ retries: 2, state: 'FAILED' });
    expect(jobs.items[0]?.errorMessage).toContain('Released');
    // the released job is immediately available to another worker
    const { jobs: again } = await target.t.client.activateJobs({
      type: 'conf.work',
      timeout: 10_000,
      maxJobsToActivate: 10,
      requestTimeout: -1,
    });
    expect(again.map((j) => String(j.processInstanceKey))).toContain(pik);
  });
});

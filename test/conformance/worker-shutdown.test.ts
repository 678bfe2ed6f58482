// Graceful shutdown of the worker runtime, on an engine of its own: a job still running when the grace
// period ends is released with its retries unchanged and can be activated again at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client.ts';
import {
  type AnyWorkerDefinition,
  bpmnError,
  complete,
  startWorkers,
  type WorkerLogger,
} from '../../src/camunda/worker-runtime.ts';
import { FIXTURES, startTarget, type Target, VALIDATION } from './target.ts';

const quiet: WorkerLogger = { info() {}, warn() {}, error() {}, debug() {} };
const k = (value: string) => value as never;

let t: Target;

beforeAll(async () => {
  t = await startTarget();
  const bpmn = new File(
    [readFileSync(join(FIXTURES, 'conformance-service.bpmn'))],
    'conformance-service.bpmn',
  );
  await t.client.createDeployment({ resources: [bpmn as never] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

const consistency = {
  consistency: { waitUpToMs: process.env.CONFORMANCE_TARGET === 'camunda' ? 30_000 : 0, pollIntervalMs: 100 },
};

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface WorkVariables {
  mode: 'complete' | 'throw' | 'error' | 'slow';
}

function parseWork(raw: Record<string, unknown>): WorkVariables {
  if (typeof raw.mode !== 'string')
    throw new Error(`mode must be a string, but was ${JSON.stringify(raw.mode)}`);
  return { mode: raw.mode as WorkVariables['mode'] };
}

const definition: AnyWorkerDefinition = {
  type: 'conf.work',
  variables: parseWork,
  concurrency: 2,
  timeout: 30_000,
  handler: async (vars: WorkVariables, job) => {
    if (vars.mode === 'throw') throw new Error('the registry is down');
    if (vars.mode === 'error') return bpmnError('conf-error', 'not eligible');
    if (vars.mode === 'slow') await new Promise((r) => setTimeout(r, 3_000));
    return complete({ handledBy: job.type, header: job.customHeaders.mode });
  },
};

describe('graceful shutdown', () => {
  it('releases a job still running when the grace period ends, with its retries unchanged', async () => {
    const client = createCamundaClient(t.config, { validation: VALIDATION });
    const running = startWorkers(client, [definition], {
      logger: quiet,
      pollTimeoutMs: 200,
      workerName: 'graceful',
    });
    const pik = String(
      (
        await t.client.createProcessInstance({
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
    const jobs = await t.client.searchJobs({ filter: { processInstanceKey: k(pik) } }, consistency);
    expect(jobs.items[0]).toMatchObject({ retries: 2, state: 'FAILED' });
    expect(jobs.items[0]?.errorMessage).toContain('Released');
    // the released job is immediately available to another worker
    const { jobs: again } = await t.client.activateJobs({
      type: 'conf.work',
      timeout: 10_000,
      maxJobsToActivate: 10,
      requestTimeout: -1,
    });
    expect(again.map((j) => String(j.processInstanceKey))).toContain(pik);
  });
});

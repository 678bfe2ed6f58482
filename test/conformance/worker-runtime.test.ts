// The worker runtime through the official client's job worker, against the embedded engine over HTTP:
// complete, fail with a message, BPMN error, refused variables, a throwing handler, graceful shutdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client.ts';
import {
  type AnyWorkerDefinition,
  bpmnError,
  complete,
  type RunningWorkers,
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

describe('worker runtime', () => {
  let running: RunningWorkers;

  beforeAll(() => {
    const client = createCamundaClient(t.config, { validation: VALIDATION });
    running = startWorkers(client, [definition], { logger: quiet, pollTimeoutMs: 500 });
  });

  afterAll(async () => {
    await running.stop(100);
  });

  const start = async (variables: Record<string, unknown>) =>
    String(
      (await t.client.createProcessInstance({ processDefinitionId: 'conformance-service', variables }))
        .processInstanceKey,
    );

  const state = (pik: string) =>
    until(
      () => t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistency),
      (p) => p.state !== 'ACTIVE' || p.hasIncident,
    );

  it('completes with the handler variables', async () => {
    const pik = await start({ mode: 'complete' });
    expect((await state(pik)).state).toBe('COMPLETED');
    const vars = await t.client.searchVariables(
      { filter: { processInstanceKey: k(pik), name: 'handledBy' } },
      consistency,
    );
    expect(vars.items[0]?.value).toBe('"conf.work"');
  });

  it('throws a BPMN error that the boundary event catches', async () => {
    const pik = await start({ mode: 'error' });
    expect((await state(pik)).state).toBe('COMPLETED');
    const handled = await t.client.searchElementInstances(
      { filter: { processInstanceKey: k(pik), elementId: k('handled') } },
      consistency,
    );
    expect(handled.items).toHaveLength(1);
  });

  it('a handler that throws fails the job with its message until an incident shows it', async () => {
    const pik = await start({ mode: 'throw' });
    const pi = await state(pik);
    expect(pi.hasIncident).toBe(true);
    const incidents = await t.client.searchIncidents({ filter: { processInstanceKey: k(pik) } }, consistency);
    expect(incidents.items?.[0]?.errorMessage).toBe('the registry is down');
  });

  it('refused variables fail the job at once, naming the variable', async () => {
    const pik = await start({ mode: 42 });
    expect((await state(pik)).hasIncident).toBe(true);
    const incidents = await t.client.searchIncidents({ filter: { processInstanceKey: k(pik) } }, consistency);
    expect(incidents.items?.[0]?.errorMessage).toBe('Invalid variables: mode must be a string, but was 42');
  });

  it('two handlers for one job type are refused', () => {
    const client = createCamundaClient(t.config);
    expect(() => startWorkers(client, [definition, definition], { logger: quiet })).toThrow(/conf.work/);
  });
});

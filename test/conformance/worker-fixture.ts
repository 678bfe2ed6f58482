// What the worker-runtime conformance tests share: an engine (or Camunda) with the service-task fixture deployed,
// a worker definition whose variables choose what its handler does, and a poll helper for eventual consistency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  type AnyWorkerDefinition,
  bpmnError,
  complete,
  type WorkerLogger,
} from '../../src/camunda/worker-runtime.ts';
import { FIXTURES, startTarget, type Target } from './target.ts';

/** A target with conformance-service.bpmn deployed, started before and closed after the file's tests. */
export function useWorkerTarget(): { readonly t: Target } {
  const holder = {} as { t: Target };
  beforeAll(async () => {
    holder.t = await startTarget();
    const bpmn = new File(
      [readFileSync(join(FIXTURES, 'conformance-service.bpmn'))],
      'conformance-service.bpmn',
    );
    await holder.t.client.createDeployment({ resources: [bpmn as never] });
  }, 600_000);
  afterAll(async () => {
    await holder.t?.close();
  });
  return holder;
}

export const quiet: WorkerLogger = { info() {}, warn() {}, error() {}, debug() {} };
export const k = (value: string) => value as never;

export const consistency = {
  consistency: { waitUpToMs: process.env.CONFORMANCE_TARGET === 'camunda' ? 30_000 : 0, pollIntervalMs: 100 },
};

/** Polls until `ok` holds; throws with the last value read when it never does. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface WorkVariables {
  mode: 'complete' | 'throw' | 'error' | 'slow';
}

export function parseWork(raw: Record<string, unknown>): WorkVariables {
  if (typeof raw.mode !== 'string')
    throw new Error(`mode must be a string, but was ${JSON.stringify(raw.mode)}`);
  return { mode: raw.mode as WorkVariables['mode'] };
}

export const definition: AnyWorkerDefinition = {
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

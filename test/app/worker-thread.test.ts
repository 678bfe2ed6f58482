// Issue #17: `npm start` runs the job workers on a thread of their own (SystemOptions.workers 'thread',
// src/worker-thread/), through an official client of their own, off the event loop of the engine and the HTTP
// server. Real systems on real HTTP: the embedded engine and, in Camunda mode, a second system standing in for
// Camunda. The handlers of test/fixtures/worker-thread/workers.ts are loaded into the thread beside the real ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import type { CamundaClientConfig } from '../../src/camunda/config.ts';
import { loadConfig } from '../../src/config.ts';
import { type System, type SystemOptions, startSystem } from '../../src/system.ts';
import type { RunningWorkerThread } from '../../src/worker-thread/host.ts';
import { until } from '../api-process/stack.ts';
import { bpmnFile } from '../conformance/fidelity.ts';

const FIXTURE = pathToFileURL(join(import.meta.dirname, '../fixtures/worker-thread/workers.ts')).href;
const dirs: string[] = [];

function oneTask(id: string, type: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;
}

interface Started {
  system: System;
  client: LooseCamundaClient;
  logs: Array<Record<string, unknown>>;
  workers: RunningWorkerThread;
}

async function start(options: SystemOptions = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-worker-thread-'));
  dirs.push(dataDir);
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const config = { ...loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1' }), port: 0 };
  const system = await startSystem(config, {
    logger,
    logStream: { write: () => {} },
    workers: 'thread',
    threadWorkers: FIXTURE,
    workerPollTimeoutMs: 1_000,
    ...options,
  });
  const client = createLooseCamundaClient(options.camunda ?? system.camunda);
  await client.createDeployment({
    resources: ['test.where', 'test.slow', 'test.die-once'].map((t) => bpmnFile(`${t}.bpmn`, oneTask(t, t))),
  });
  return { system, client, logs, workers: system.workers as RunningWorkerThread };
}

async function run(client: LooseCamundaClient, id: string, variables: Record<string, unknown> = {}) {
  const created = await client.createProcessInstance({
    processDefinitionId: id,
    variables,
    awaitCompletion: true,
    requestTimeout: 60_000,
  } as never);
  return (created as unknown as { variables: Record<string, unknown> }).variables;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the workers on their own thread, embedded engine', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({ pinClockAt: Date.parse('2026-03-02T02:00:00Z') });
  }, 60_000);
  afterAll(() => s.system.close(1_000));

  it('runs every handler off the main thread and writes the thread’s logs into the system’s log', async () => {
    expect(s.workers.thread()?.threadId).toBeGreaterThan(0);
    const where = await run(s.client, 'test.where');
    expect(where).toMatchObject({ isMainThread: false, threadId: s.workers.thread()?.threadId });
    // a real worker of workers/all.ts, as in `npm start`: check-application refuses a 涉密 application
    const refused = await run(s.client, 'professional-project-initiation', {
      projectId: 'YF-2026-0001',
      unitId: 'gongan',
      projectName: '测试',
      classified: true,
    });
    expect(refused).toMatchObject({ initiationApproved: false });
    const handledTypes = () =>
      s.logs.filter((l) => l.component === 'workers' && l.msg === 'job handled').map((l) => l.jobType);
    // the thread logs a job once its completion was accepted, so the line may follow the instance's end
    await until(
      async () => handledTypes(),
      (types) => types.includes('test.where') && types.includes('yunfu.check-application'),
    );
    expect(s.logs.some((l) => l.msg === "workers' thread started")).toBe(true);
  }, 60_000);

  it('reads the engine’s clock as it is pinned and moved through /v2/clock', async () => {
    expect((await run(s.client, 'test.where')).now).toBe(Date.parse('2026-03-02T02:00:00Z'));
    await s.client.pinClock({ timestamp: Date.parse('2027-01-15T08:30:00Z') });
    expect((await run(s.client, 'test.where')).now).toBe(Date.parse('2027-01-15T08:30:00Z'));
  }, 60_000);

  it('is restarted, with an error in the log, when it dies; the job it held is done by the new thread', async () => {
    const first = s.workers.thread()?.threadId;
    const result = run(s.client, 'test.die-once');
    await until(
      async () => s.workers.restarts(),
      (n) => n === 1,
    );
    // the dead thread's job is handed out again when its lease ends: on the engine's clock, pinned here
    await s.client.pinClock({ timestamp: Date.parse('2027-01-15T08:31:00Z') });
    expect(await result).toMatchObject({ survived: true });
    expect(s.workers.restarts()).toBe(1);
    expect(s.workers.thread()?.threadId).not.toBe(first);
    const died = s.logs.find((l) => l.msg === "the workers' thread died; restarting it");
    expect(died).toMatchObject({ component: 'workers', level: 50, restartInMs: 1_000 });
    expect(String(died?.err)).toContain('boom: an error thrown outside any handler');
    // the restarted thread runs every worker again
    expect(await run(s.client, 'test.where')).toMatchObject({ isMainThread: false });
  }, 60_000);
});

describe('stopping the workers’ thread', () => {
  it('lets a running handler finish within the grace period before the engine closes', async () => {
    const s = await start();
    const done = run(s.client, 'test.slow', { ms: 1_500 });
    await until(
      async () => s.workers.inFlight(),
      (n) => n === 1,
    );
    await s.system.close(20_000);
    expect(await done).toMatchObject({ slept: 1_500 });
    expect(s.logs.find((l) => l.msg === 'workers stopped')).toMatchObject({ finished: 1, released: 0 });
    expect(s.workers.thread()).toBeNull();
  }, 60_000);

  it('releases a handler still running when the grace period ends', async () => {
    const s = await start();
    void s.client
      .createProcessInstance({ processDefinitionId: 'test.slow', variables: { ms: 30_000 } })
      .catch(() => {});
    await until(
      async () => s.workers.inFlight(),
      (n) => n === 1,
    );
    await s.system.close(100);
    expect(s.logs.find((l) => l.msg === 'workers stopped')).toMatchObject({ finished: 0, released: 1 });
  }, 60_000);
});

describe('the workers on their own thread, Camunda mode', () => {
  it('runs against the Camunda the system is pointed at, through the thread’s own client', async () => {
    const standIn = await start({ workers: 'none' });
    const camunda: CamundaClientConfig = {
      restAddress: standIn.system.url,
      auth: { strategy: 'NONE' },
      tenantId: null,
    };
    const app = await start({ camunda });
    try {
      expect(app.system.engine).toBeNull();
      expect(await run(standIn.client, 'test.where')).toMatchObject({ isMainThread: false });
      // the thread logs a job once its completion was accepted, so the line may follow the instance's end
      await until(
        async () => app.logs.some((l) => l.msg === 'job handled' && l.jobType === 'test.where'),
        (logged) => logged,
      );
    } finally {
      await app.system.close(1_000);
      await standIn.system.close(1_000);
    }
  }, 120_000);
});

describe('what the thread cannot take', () => {
  it('refuses in-process overrides and a clock of the caller’s: they cannot cross to the thread', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-worker-thread-'));
    dirs.push(dataDir);
    const config = { ...loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1' }), port: 0 };
    const logger = pino({ level: 'silent' });
    await expect(startSystem(config, { logger, workers: 'thread', clock: () => 0 })).rejects.toThrow(
      "a custom clock needs 'client'",
    );
    const override = {
      type: 'yunfu.check-application',
      handler: () => ({ kind: 'complete' as const, variables: {} }),
    };
    await expect(
      startSystem(config, { logger, workers: 'thread', workerOverrides: [override] }),
    ).rejects.toThrow("they need workers: 'client'");
  });
});

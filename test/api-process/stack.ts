// The real stack for the engine-backed API: the embedded engine serving the Camunda 8 REST API on 127.0.0.1 (random
// port, every model of processes/ deployed, state in a temporary DATA_DIR), the business server on a real SQLite
// store with the demo accounts and a CamundaProcessGateway that reaches /v2 through the official client, and every
// job worker of workers/all.ts running against it through the official client too. One clock for all of them:
// pinned in the engine through PUT /v2/clock, read by the business server and the workers.
//
// Both are started by src/system.ts's startSystem, as `npm start` starts them.
//
// STACK=remote (`npm run test:remote`): the same journeys with the business API and workers in Camunda mode, as
// `npm start` composes them with CAMUNDA_REST_ADDRESS set: a second system, embedded, started empty in a data
// directory of its own and without workers, stands in for a remote Camunda 8; the app has its own data directory
// and store, deploys processes/ through the client (src/camunda/deploy-resources.ts) and waits for eventual
// consistency as against Camunda (consistencyMs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { seedDemo } from '../../src/app/demo-seed.ts';
import type { ProcessGateway } from '../../src/app/process-gateway.ts';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import type { CamundaClientConfig } from '../../src/camunda/config.ts';
import type { AnyWorkerDefinition } from '../../src/camunda/worker-runtime.ts';
import { loadConfig } from '../../src/config.ts';
import type { Store } from '../../src/store/store.ts';
import { type System, type SystemOptions, startSystem } from '../../src/system.ts';
import { startTarget } from '../conformance/target.ts';
import { PROFESSIONAL_APPLICATION } from '../support/projects.ts';

export const PASSWORD = 'Demo-Passw0rd!';
/**
 * `STACK=remote`: the app in Camunda mode against a separate embedded engine (see the top of this file);
 * `STACK=camunda` (npm run test:camunda): the same against camunda/camunda:8.8 started by testcontainers.
 */
export const STACK_MODE =
  process.env.STACK === 'camunda' ? 'camunda' : process.env.STACK === 'remote' ? 'remote' : 'embedded';
/** The app in Camunda mode: it deploys processes/ itself and waits for eventual consistency. */
export const REMOTE = STACK_MODE !== 'embedded';

export interface Stack {
  app: FastifyInstance;
  store: Store;
  /** The system whose embedded engine serves /v2 (in remote mode the stand-in for Camunda), or null against a container. */
  engine: System | null;
  /** The official client on the engine's /v2, for what a test checks behind the API's back. */
  client: LooseCamundaClient;
  /** The business service's own process gateway (the one its commands use). */
  gateway: ProcessGateway;
  /** The server's mail outbox sender (null without SMTP_URL in `env`). */
  mail: System['mail'];
  camunda: CamundaClientConfig;
  logs: string[];
  /** Moves the one clock: PUT /v2/clock, and the business server and the workers read it. */
  setClock(iso: string): Promise<void>;
  now(): Date;
  login(username: string, tenantId?: string): Promise<string>;
  /** An /api request as the bearer of `token`. */
  api(
    token: string,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface StackOptions {
  at: string;
  /** Replaces the workers of these job types (an outage of the system behind a worker). */
  workerOverrides?: AnyWorkerDefinition[];
  /** Deploy processes/ (default true); false leaves the engine empty, so it refuses to start anything. */
  deploy?: boolean;
  /** Point the business server's gateway elsewhere (e.g. a closed port: the engine unreachable). */
  gatewayAddress?: string;
  /** More configuration, as the environment gives it to `npm start` (SMTP_URL, PUBLIC_URL…). */
  env?: Record<string, string>;
  /** Start on this data directory (a restart of a stack closed before); it is then left in place by close(). */
  dataDir?: string;
  /** The mail outbox sender's retry timing (src/app/mail-sender.ts). */
  mailRetry?: SystemOptions['mailRetry'];
  /** Rule editions (and deadlines, calendar) other than config/'s, e.g. a county's own edition (SU-3). */
  regulation?: SystemOptions['regulation'];
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'yunfu-api-process-'));
  // remote: the engine ("Camunda") lives apart from the app's DATA_DIR and starts with nothing deployed
  const engineDir = REMOTE ? mkdtempSync(join(tmpdir(), 'yunfu-remote-camunda-')) : dataDir;
  let clockMs = Date.parse(options.at);
  const common = { logger: pino({ level: 'silent' }), clock: () => clockMs, pinClockAt: clockMs };
  const container = STACK_MODE === 'camunda' ? await startTarget() : null;
  // remote: a system of its own, embedded and without workers, stands in for Camunda
  const remote =
    REMOTE && !container
      ? await startSystem(configFor(engineDir), { ...common, deploy: false, workers: 'none' })
      : null;
  const standIn = container?.config.restAddress ?? remote?.url;
  const camundaConfig: CamundaClientConfig | null = standIn
    ? { restAddress: standIn, auth: { strategy: 'NONE' }, tenantId: null }
    : null;
  if (camundaConfig) await createLooseCamundaClient(camundaConfig).pinClock({ timestamp: clockMs });

  const logs: string[] = [];
  const system = await startSystem(configFor(dataDir, options.env), {
    ...common,
    camunda: camundaConfig,
    deploy: options.deploy !== false,
    workerOverrides: options.workerOverrides,
    ...(options.regulation ? { regulation: options.regulation } : {}),
    workerPollTimeoutMs: 1_000,
    ...(options.mailRetry ? { mailRetry: options.mailRetry } : {}),
    logStream: { write: (line: string) => logs.push(line) },
    ...(options.gatewayAddress ? { gatewayAddress: options.gatewayAddress } : {}),
  });
  const { app, store, camunda } = system;
  const client = createLooseCamundaClient(camunda);
  await client.pinClock({ timestamp: clockMs });
  await seedDemo(store, PASSWORD);

  const stack: Stack = {
    app,
    store,
    engine: container ? null : (remote ?? system),
    client,
    gateway: system.gateway,
    mail: system.mail,
    camunda,
    logs,
    async setClock(iso) {
      clockMs = Date.parse(iso);
      await client.pinClock({ timestamp: clockMs });
    },
    now: () => new Date(clockMs),
    async login(username, tenantId = 'yunfu') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { tenantId, username, password: PASSWORD },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${tenantId}/${username}: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    api: (token, method, url, payload) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      }),
    async close() {
      await system.close(500);
      await remote?.close(500);
      await container?.close();
      // a given data directory (and the embedded engine's state in it) outlives the stack: a restart starts on it
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (engineDir !== dataDir) rmSync(engineDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Polls until `ok` holds (the workers run asynchronously); throws with the last value read when it never does. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A valid 专业类 draft (G-6) as a Unit writes it. */
export function professionalDraft(over: Record<string, unknown> = {}) {
  return {
    projectName: '云浮市智慧警务综合平台',
    description: '警务数据汇聚、分析与指挥调度',
    ...PROFESSIONAL_APPLICATION,
    ...over,
  };
}

/** The configuration `npm start` would load for this data directory, on a free loopback port. */
function configFor(dataDir: string, env: Record<string, string> = {}) {
  return { ...loadConfig({ ...env, DATA_DIR: dataDir, HOST: '127.0.0.1' }), port: 0 };
}

export type Problem = {
  status: number;
  detail: string;
  errors?: Array<{ field: string; reason: string }>;
};

/**
 * G-6: the Unit's 责任科室 (`token`, e.g. gongan.section) approves a submitted application, with what the
 * unit-section-review form submits; the application then goes on to the Bureau.
 */
export async function sectionApproves(s: Stack, token: string, projectId: string): Promise<void> {
  type Item = { elementId: string; userTaskKey: string };
  const items = await until(
    async () => (await s.api(token, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Item[],
    (x) => x.some((i) => i.elementId === 'Task_SectionReview'),
  );
  const task = items.find((i) => i.elementId === 'Task_SectionReview')!;
  const res = await s.api(token, 'POST', `/api/tasks/${task.userTaskKey}/complete`, {
    variables: { sectionDecision: 'approve', sectionOpinion: '同意报送' },
  });
  if (res.statusCode !== 200) throw new Error(`the section's approval was refused: ${res.body}`);
}

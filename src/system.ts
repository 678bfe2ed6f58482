// The composition: the one place that puts an engine and the business service in one process. `npm start`
// (src/main.ts), the engine-backed API tests (test/api-process/stack.ts) and the demo (src/demo.ts) all start the
// system through `startSystem`, so what they run is what production runs.
//   - `camunda` unset: the embedded Zeebe-compatible engine on DATA_DIR/engine.sqlite, processes/ deployed, and the
//     Camunda 8 REST API on /v2 of the same server as the business API.
//   - `camunda` set: no embedded engine; processes/ are deployed to that Camunda 8 through the client, and the
//     business API and the workers talk to it.
// Either way the business API and the job workers reach the engine only through the official client, and what a
// crash left half done between the engine and the store is settled at start (src/app/commands/reconcile.ts).
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { createWorkers } from '../workers/all.ts';
import { createMailer } from '../workers/mailer.ts';
import { CamundaProcessGateway } from './app/camunda-gateway.ts';
import { reconcile } from './app/commands/reconcile.ts';
import { MailSender, type MailSenderOptions } from './app/mail-sender.ts';
import { buildServer } from './app/server.ts';
import { createCamundaClient } from './camunda/client.ts';
import type { CamundaClientConfig } from './camunda/config.ts';
import { deployResources } from './camunda/deploy-resources.ts';
import {
  type AnyWorkerDefinition,
  type RunningWorkers,
  startWorkers,
  withOverrides,
} from './camunda/worker-runtime.ts';
import { type AppConfig, auditTrailConfig } from './config.ts';
import { loadRegulation, type Regulation } from './domain/index.ts';
import { EngineClock } from './engine/clock.ts';
import { Engine, type EngineOptions } from './engine/engine.ts';
import type { BasicCredentials } from './engine/rest/auth.ts';
import { camundaRestApi } from './engine/rest/plugin.ts';
import { readDeployableResources } from './modeling/catalogue.ts';
import { DocumentStorage } from './store/documents.ts';
import { Store } from './store/store.ts';
import { startWorkerThread } from './worker-thread/host.ts';

/** Camunda 8's searches are eventually consistent (exported to secondary storage); the embedded engine's are not. */
const CAMUNDA_CONSISTENCY_MS = 5_000;

export interface SystemOptions {
  /** Camunda mode: this Camunda 8 instead of the embedded engine (CAMUNDA_REST_ADDRESS and its credentials). */
  camunda?: CamundaClientConfig | null;
  /** Basic-auth users of the embedded /v2; without any, /v2 is open on loopback only. */
  v2Users?: BasicCredentials[];
  /** Default: pino at the configuration's log level. */
  logger?: Logger;
  /** Where the business server's request logs go (tests capture them); default stdout. */
  logStream?: { write(line: string): void };
  /** The embedded engine's clock starts stopped at this instant (tests, the demo); default: the wall clock. */
  pinClockAt?: number;
  /**
   * What the business API and the workers read as now. Default: the embedded engine's clock, or the wall clock in
   * Camunda mode (tests that pin Camunda's clock pass theirs).
   */
  clock?: () => number;
  /** Deploy processes/ at start (default true); false leaves the engine as it is. */
  deploy?: boolean;
  /**
   * Where every worker of workers/all.ts runs, always through an official client of its own:
   *   - 'thread' (`npm start`): in a worker thread (src/worker-thread/), off the event loop of the engine and the
   *     HTTP server, with its own store connection; restarted with backoff if it dies. It reads the engine's clock
   *     (or the system clock in Camunda mode), so it takes no `clock` and no `workerOverrides`.
   *   - 'client' (the default here, for tests and the demo): on this event loop, with in-process `workerOverrides`
   *     and the `clock` given.
   *   - 'none': no workers.
   */
  workers?: 'thread' | 'client' | 'none';
  /** Replaces the workers of these job types, or adds them (tests: an outage behind a worker); 'client' only. */
  workerOverrides?: AnyWorkerDefinition[];
  /**
   * 'thread' only: the file URL of a module loaded in the workers' thread whose default export, given the workers'
   * dependencies (workers/deps.ts), returns workers that replace or add to those of workers/all.ts (tests and
   * benchmarks: a slow or failing handler, the benchmark's job type).
   */
  threadWorkers?: string;
  /** The regulation (rule editions, deadlines, calendar) instead of config/'s: a test's county edition (SU-3); 'client' only. */
  regulation?: Regulation;
  /** Long-poll duration of the workers' activation requests; default the runtime's 10 s. */
  workerPollTimeoutMs?: number;
  /** How long the gateway's reads of its own writes wait for Camunda's search side; default 0 embedded, 5 s else. */
  consistencyMs?: number;
  /** The business API's gateway reaches this address instead (tests: an engine that cannot be reached). */
  gatewayAddress?: string;
  /** The outbox sender's retry timing (tests shorten the backoff); default src/app/mail-sender.ts's. */
  mailRetry?: Omit<MailSenderOptions, 'log'>;
  /** The embedded engine's SQLite durability (the demo plays a year with NORMAL); default FULL. */
  engineSynchronous?: EngineOptions['synchronous'];
}

/** What a running system is made of. */
export interface SystemParts {
  app: FastifyInstance;
  store: Store;
  /** The embedded engine, or null in Camunda mode. */
  engine: Engine | null;
  gateway: CamundaProcessGateway;
  /** How the business API and the workers reach the engine. */
  camunda: CamundaClientConfig;
  regulation: Regulation;
  documents: DocumentStorage;
  clock: () => number;
  logger: Logger;
  /** Issue 16: delivers the outbox's e-mails; null without SMTP_URL. */
  mail: MailSender | null;
}

export interface System extends SystemParts {
  /** http://host:port the server listens on. */
  url: string;
  /** null when started with `workers: 'none'`. */
  workers: RunningWorkers | null;
  /** Stops the workers (running handlers get up to `graceMs`), the server, the store and the engine. */
  close(graceMs?: number): Promise<void>;
}

export async function startSystem(config: AppConfig, options: SystemOptions = {}): Promise<System> {
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'yunfu' });
  const store = await openStore(config, logger);
  let engine: Engine | null = null;
  let app: FastifyInstance | null = null;
  let mail: MailSender | null = null;
  try {
    checkWorkerMode(options);
    engine = options.camunda ? null : await openEngine(config, options, logger);
    if (options.camunda && options.deploy !== false) await deployToCamunda(options.camunda, logger);
    const regulation = options.regulation ?? loadRegulation();
    const documents = new DocumentStorage(join(config.dataDir, 'documents'));
    const port = config.port === 0 ? await freePort(config.host) : config.port;
    const camunda = options.camunda ?? selfAddress(config.host, port, options.v2Users ?? []);
    const runningEngine = engine;
    const clock = options.clock ?? (runningEngine ? () => runningEngine.clock.now() : () => Date.now());
    const gateway = CamundaProcessGateway.fromConfig(
      options.gatewayAddress ? { ...camunda, restAddress: options.gatewayAddress } : camunda,
      { consistencyMs: options.consistencyMs ?? (engine ? 0 : CAMUNDA_CONSISTENCY_MS) },
    );
    mail = mailSender(config, options, store, logger);
    app = await buildServer({
      config,
      store,
      regulation,
      documentsDir: documents.dir,
      processes: gateway,
      mail,
      now: () => new Date(clock()),
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    if (engine) await mountV2(app, engine, config, options.v2Users ?? []);
    const url = await app.listen({ host: config.host, port });
    engine?.startScheduler();
    const parts: SystemParts = {
      app,
      store,
      engine,
      gateway,
      camunda,
      regulation,
      documents,
      clock,
      logger,
      mail,
    };
    // what a crash left in the outbox goes out now (it needs no engine); then every commit that queues mail wakes it
    mail?.start();
    await reconcileAtStart(parts);
    const workers = await startWorkersOf(config, options, parts);
    return { ...parts, url, workers, close: (graceMs) => closeSystem(parts, workers, graceMs) };
  } catch (e) {
    await app?.close().catch(() => {});
    await mail?.stop().catch(() => {});
    await store.close().catch(() => {});
    engine?.close();
    throw e;
  }
}

// The thread reads the engine's clock through its mirror and cannot call functions of this thread.
function checkWorkerMode(options: SystemOptions): void {
  if (options.workers !== 'thread') return;
  if (options.clock)
    throw new Error("workers: 'thread' reads the engine's clock; a custom clock needs 'client'");
  if (options.workerOverrides?.length)
    throw new Error("workerOverrides run in-process: they need workers: 'client'");
  if (options.regulation)
    throw new Error(
      "the workers' thread reads config/'s regulation; another regulation needs workers: 'client'",
    );
}

// Without SMTP_URL there is no sender and nothing is queued: mail queued while no server is configured would all go
// out, stale, on the day one is; the in-app notification is the record either way.
function mailSender(
  config: AppConfig,
  options: SystemOptions,
  store: Store,
  logger: Logger,
): MailSender | null {
  if (!config.smtpUrl) return null;
  return new MailSender(store.db, createMailer(config.smtpUrl, config.mailFrom), config.publicUrl ?? null, {
    // SQLite: this server alone holds the data directory, so a lease found at start is a dead process's
    soleSender: store.dialect === 'sqlite',
    ...options.mailRetry,
    log: logger.child({ component: 'mail' }),
  });
}

async function openStore(config: AppConfig, logger: Logger): Promise<Store> {
  return Store.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (e) => logger.warn({ err: e.message }, 'idle database connection lost'),
    audit: {
      ...auditTrailConfig(config),
      onError: (e) => logger.error({ err: e }, 'audit checkpoint not written'),
    },
  });
}

async function openEngine(config: AppConfig, options: SystemOptions, logger: Logger): Promise<Engine> {
  const clock = new EngineClock();
  // pinned before the engine opens, so that timers (the yearly campaign's start event) count from that instant
  if (options.pinClockAt !== undefined) clock.pin(options.pinClockAt);
  const engine = await Engine.open({
    file: join(config.dataDir, 'engine.sqlite'),
    clock,
    logger: logger.child({ component: 'engine' }),
    scheduler: false, // started once the server answers: start-up never waits on due timers
    ...(config.engineHistoryTtlDays ? { historyTimeToLive: config.engineHistoryTtlDays * 86_400_000 } : {}),
    ...(options.engineSynchronous ? { synchronous: options.engineSynchronous } : {}),
  });
  if (options.deploy === false) return engine;
  try {
    const resources = readDeployableResources();
    const deployment = await engine.deploy(resources);
    logger.info(
      { deploymentKey: deployment.deploymentKey, resources: resources.length },
      'deployed processes/',
    );
  } catch (e) {
    engine.close();
    throw e;
  }
  return engine;
}

// Camunda keeps unchanged resources at their version, so this is safe at every start; it waits while Camunda starts.
async function deployToCamunda(camunda: CamundaClientConfig, logger: Logger): Promise<void> {
  const deployed = await deployResources(createCamundaClient(camunda), {
    tenantId: camunda.tenantId,
    log: (m) => logger.warn(m),
  });
  logger.info(
    { deploymentKey: deployed.deploymentKey, definitions: deployed.definitions.length },
    'deployed processes/',
  );
}

async function mountV2(
  app: FastifyInstance,
  engine: Engine,
  config: AppConfig,
  users: BasicCredentials[],
): Promise<void> {
  await app.register(camundaRestApi, {
    prefix: '/v2',
    engine,
    auth: users.length > 0 ? { mode: 'basic', users } : { mode: 'none' },
    listenHost: config.host,
    // /v2 answers to the public host name too; behind TRUST_PROXY the loopback exemption goes by the forwarded
    // client that fastify works out (request.ip), never by the proxy's own loopback address.
    allowedHosts: config.publicUrl ? [new URL(config.publicUrl).host] : [],
    clientAddressOf: config.trustProxy ? (request) => request.ip : undefined,
  });
}

/** The embedded /v2 of this very server, as the client reaches it (over loopback when listening on all interfaces). */
function selfAddress(host: string, port: number, users: BasicCredentials[]): CamundaClientConfig {
  const selfHost = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  return {
    restAddress: `http://${selfHost.includes(':') ? `[${selfHost}]` : selfHost}:${port}`,
    auth: users[0] ? { strategy: 'BASIC', ...users[0] } : { strategy: 'NONE' },
    tenantId: null,
  };
}

// Settles what a crash left between the engine and the store (src/app/commands/reconcile.ts). It runs once the
// engine answers — the embedded one is served by this very server, so only after listen — and before the workers
// start; /api already answers meanwhile, which is safe: a project or task with a pending intent refuses a second
// submission or completion (409) until its intent is settled. A failure is logged; the next start retries.
async function reconcileAtStart(parts: SystemParts): Promise<void> {
  const { store, regulation, gateway, clock, logger } = parts;
  const reconciled = await reconcile(
    { store, regulation, now: () => new Date(clock()), processes: gateway },
    { log: logger.child({ component: 'reconcile' }), searchLagMs: parts.engine ? 0 : CAMUNDA_CONSISTENCY_MS },
  ).catch((err: unknown) => {
    logger.error({ err }, 'start-up reconciliation failed; it runs again at the next start');
    return null;
  });
  if (reconciled) logger.info(reconciled, 'reconciled');
}

async function startWorkersOf(
  config: AppConfig,
  options: SystemOptions,
  parts: SystemParts,
): Promise<RunningWorkers | null> {
  if (options.workers === 'none') return null;
  if (options.workers !== 'thread') return startClientWorkers(config, options, parts);
  return startWorkerThread({
    config,
    camunda: parts.camunda,
    engineClock: parts.engine?.clock ?? null,
    logger: parts.logger.child({ component: 'workers' }),
    ...(options.workerPollTimeoutMs ? { pollTimeoutMs: options.workerPollTimeoutMs } : {}),
    ...(options.threadWorkers ? { extraWorkers: options.threadWorkers } : {}),
  });
}

function startClientWorkers(config: AppConfig, options: SystemOptions, parts: SystemParts): RunningWorkers {
  const all = createWorkers({
    regulation: parts.regulation,
    now: parts.clock,
    store: parts.store,
    documents: parts.documents,
    mailer: config.smtpUrl ? createMailer(config.smtpUrl, config.mailFrom) : null,
    // PUB-1: a consolidated public project's lifecycle starts as a Unit's submission does, through the gateway.
    startProcess: (processId, variables, tenantId) =>
      parts.gateway.startProcess(processId, String(variables.projectId ?? ''), variables, tenantId),
  });
  const definitions = withOverrides(all, options.workerOverrides ?? []);
  return startWorkers(createCamundaClient(parts.camunda), definitions, {
    logger: parts.logger.child({ component: 'workers' }),
    ...(options.workerPollTimeoutMs ? { pollTimeoutMs: options.workerPollTimeoutMs } : {}),
    ...(options.threadWorkers ? { extraWorkers: options.threadWorkers } : {}),
  });
}

async function closeSystem(parts: SystemParts, workers: RunningWorkers | null, graceMs = 10_000) {
  if (workers) {
    const released = await workers.stop(graceMs);
    parts.logger.info(released, 'workers stopped');
  }
  await parts.app.close();
  await parts.mail?.stop();
  await parts.store.close();
  parts.engine?.close();
}

/** A port the OS says is free: the client's address must be known before the server that it names listens. */
async function freePort(host: string): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

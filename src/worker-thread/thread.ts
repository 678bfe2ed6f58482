// Runs in the workers' thread (started by src/worker-thread/host.ts): every job worker of workers/all.ts through an
// official client of its own, so that the client's CPU (polling, JSON, validation) and the handlers run beside the
// engine and the HTTP server instead of on their event loop, and their calls do not share the main client's cap of
// concurrent requests. What the handlers need from the app they get here as the process's main thread would give
// it: their own store connection (SQLite in WAL mode allows a second connection; PostgreSQL gets a pool of its
// own), the regulation, the documents directory, the mailer, a process starter (a gateway on this thread's own
// client) and the engine's clock through the shared mirror. Logs go to the main thread's logger.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createWorkers, type StoreWorkerDeps } from '../../workers/all.ts';
import { createMailer } from '../../workers/mailer.ts';
import { CamundaProcessGateway } from '../app/camunda-gateway.ts';
import { createCamundaClient } from '../camunda/client.ts';
import {
  type AnyWorkerDefinition,
  startWorkers,
  type WorkerLogger,
  withOverrides,
} from '../camunda/worker-runtime.ts';
import { auditTrailConfig } from '../config.ts';
import { loadRegulation } from '../domain/index.ts';
import { DocumentStorage } from '../store/documents.ts';
import { Store } from '../store/store.ts';
import type { HostMessage, LogLevel, ThreadInput, ThreadMessage } from './protocol.ts';
import { readClock } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('src/worker-thread/thread.ts runs only as a worker thread');
const input = workerData as ThreadInput;
const post = (m: ThreadMessage) => port.postMessage(m);

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const lowest = Math.max(0, LEVELS.indexOf(input.logLevel));

function send(level: LogLevel, obj: object, msg?: string): void {
  // every job logs at debug: posting those to a logger that drops them would cost the main thread a message each
  if (LEVELS.indexOf(level) < lowest) return;
  try {
    post({ kind: 'log', level, obj, ...(msg !== undefined ? { msg } : {}) });
  } catch {
    // an object that cannot be cloned (a function, a socket) is logged as its JSON
    post({ kind: 'log', level, obj: JSON.parse(JSON.stringify(obj) ?? '{}'), ...(msg ? { msg } : {}) });
  }
}

const logger: WorkerLogger = {
  debug: (obj, msg) => send('debug', obj, msg),
  info: (obj, msg) => send('info', obj, msg),
  warn: (obj, msg) => send('warn', obj, msg),
  error: (obj, msg) => send('error', obj, msg),
};

const { config, camunda } = input;
const clockBuffer = input.clock;
const now = clockBuffer ? () => readClock(clockBuffer) : () => Date.now();
// the audit keys sign what the workers write; the checkpoints are the main thread's to write
const store = await Store.open({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  onConnectionError: (e) => logger.warn({ err: e.message }, 'idle database connection lost'),
  audit: { ...auditTrailConfig(config), anchorDir: null },
});
const gateway = CamundaProcessGateway.fromConfig(camunda);
const deps: StoreWorkerDeps = {
  regulation: loadRegulation(),
  now,
  store,
  documents: new DocumentStorage(join(config.dataDir, 'documents')),
  mailer: config.smtpUrl ? createMailer(config.smtpUrl, config.mailFrom) : null,
  // PUB-1: a consolidated public project's lifecycle starts as a Unit's submission does, through the gateway.
  startProcess: (processId, variables, tenantId) =>
    gateway.startProcess(processId, String(variables.projectId ?? ''), variables, tenantId),
};
const extra = input.extraWorkers
  ? (
      (await import(input.extraWorkers)) as { default: (d: StoreWorkerDeps) => AnyWorkerDefinition[] }
    ).default(deps)
  : [];
const definitions = withOverrides(createWorkers(deps), extra);
const running = startWorkers(createCamundaClient(camunda), definitions, {
  logger,
  ...(input.pollTimeoutMs ? { pollTimeoutMs: input.pollTimeoutMs } : {}),
});

let reported = 0;
const reporter = setInterval(() => {
  const count = running.inFlight();
  if (count !== reported) post({ kind: 'inFlight', count });
  reported = count;
}, 250);
reporter.unref();

port.on('message', (m: HostMessage) => {
  if (m.kind !== 'stop') return;
  clearInterval(reporter);
  void running
    .stop(m.graceMs)
    .catch((e: unknown) => {
      logger.error({ err: String(e) }, 'workers did not stop cleanly');
      return { finished: 0, released: 0 };
    })
    .then(async (r) => {
      await store.close().catch((e: unknown) => logger.warn({ err: String(e) }, 'store not closed'));
      // the host ends the thread once it has this: the client keeps timers of its own alive
      post({ kind: 'stopped', ...r });
    });
});

post({ kind: 'ready', jobTypes: definitions.map((d) => d.type) });

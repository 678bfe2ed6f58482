// `npm run workers`: runs only the job workers, against the Camunda 8 named by CAMUNDA_REST_ADDRESS
// (real Camunda 8, or the /v2 of an app running the embedded engine). Configuration uses Camunda's own
// variable names and is validated before anything starts. SIGTERM / SIGINT: stop polling, let running
// handlers finish for WORKER_SHUTDOWN_GRACE_MS (default 10 s), release the rest, exit 0.

import { join } from 'node:path';
import pino from 'pino';
import { createCamundaClient } from '../src/camunda/client.ts';
import { CamundaConfigError, loadCamundaConfig } from '../src/camunda/config.ts';
import { startWorkers } from '../src/camunda/worker-runtime.ts';
import { auditTrailConfig, ConfigError, loadConfig } from '../src/config.ts';
import { loadRegulation } from '../src/domain/index.ts';
import { DocumentStorage } from '../src/store/documents.ts';
import { Store } from '../src/store/store.ts';
import { createWorkers, unhandledJobTypes } from './index.ts';
import { createMailer } from './mailer.ts';

async function main(): Promise<number> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'workers' });
  let config: ReturnType<typeof loadCamundaConfig>;
  try {
    config = loadCamundaConfig(process.env, { requireAddress: true });
  } catch (e) {
    if (e instanceof CamundaConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const graceRaw = process.env.WORKER_SHUTDOWN_GRACE_MS ?? '10000';
  if (!/^\d+$/.test(graceRaw)) {
    console.error(`WORKER_SHUTDOWN_GRACE_MS='${graceRaw}' is not a number of milliseconds`);
    return 2;
  }

  // The store-writing workers write where the business API reads: DATA_DIR / DATABASE_URL.
  let app: ReturnType<typeof loadConfig>;
  try {
    app = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // the audit keys sign the exports the workers assemble; the checkpoints are the business API's to write
  const store = await Store.open({
    databaseUrl: app.databaseUrl,
    dataDir: app.dataDir,
    audit: { ...auditTrailConfig(app), anchorDir: null },
  });
  const workers = createWorkers({
    regulation: loadRegulation(),
    now: () => Date.now(),
    store,
    documents: new DocumentStorage(join(app.dataDir, 'documents')),
    mailer: app.smtpUrl ? createMailer(app.smtpUrl, app.mailFrom) : null,
  });

  const client = createCamundaClient(config);
  const topology = await client.getTopology().catch((e: unknown) => e as Error);
  if (topology instanceof Error) {
    console.error(`Camunda at ${config.restAddress} does not answer GET /v2/topology: ${topology.message}`);
    return 1;
  }
  const missing = unhandledJobTypes(workers);
  if (missing.length > 0) logger.warn({ jobTypes: missing }, 'job types without a worker yet');

  const running = startWorkers(client, workers, { logger });
  logger.info(
    {
      camunda: config.restAddress,
      gatewayVersion: topology.gatewayVersion,
      jobTypes: workers.map((w) => w.type),
    },
    'workers started',
  );

  return await new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal, inFlight: running.inFlight() }, 'stopping workers');
      running.stop(Number(graceRaw)).then(
        (r) => {
          logger.info(r, 'workers stopped');
          resolve(0);
        },
        (e: unknown) => {
          logger.error({ err: String(e) }, 'workers did not stop cleanly');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

process.exitCode = await main();
// The SDK keeps timers (token refresh, back-pressure) alive; exit once the workers have stopped.
process.exit();

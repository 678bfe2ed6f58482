// `npm start`: the whole system in one process.
//   - CAMUNDA_REST_ADDRESS unset (the default): the embedded Zeebe-compatible engine on DATA_DIR/engine.sqlite,
//     with the processes/ deployed and the Camunda 8 REST API on /v2 of the same server as the business API.
//   - CAMUNDA_REST_ADDRESS set: no embedded engine; the business API and the workers talk to that Camunda 8.
// In both cases the job workers run here through the official client, exactly as `npm run workers` runs them.
import { join } from 'node:path';
import pino from 'pino';
import { createWorkers } from '../workers/all.ts';
import { createMailer } from '../workers/mailer.ts';
import { CamundaProcessGateway } from './app/camunda-gateway.ts';
import { reconcile } from './app/commands/reconcile.ts';
import { buildServer } from './app/server.ts';
import { createCamundaClient } from './camunda/client.ts';
import { type CamundaClientConfig, CamundaConfigError, loadCamundaConfig } from './camunda/config.ts';
import { deployResources } from './camunda/deploy-resources.ts';
import { startWorkers } from './camunda/worker-runtime.ts';
import { type AppConfig, auditTrailConfig, ConfigError, loadConfig } from './config.ts';
import { lockDataDirOrExit } from './data-dir-lock.ts';
import { loadRegulation } from './domain/index.ts';
import { Engine } from './engine/engine.ts';
import type { BasicCredentials } from './engine/rest/auth.ts';
import { camundaRestApi } from './engine/rest/plugin.ts';
import { readDeployableResources } from './modeling/catalogue.ts';
import { DocumentStorage } from './store/documents.ts';
import { Store } from './store/store.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function configure(): {
  config: AppConfig;
  camunda: CamundaClientConfig | null;
  v2Users: BasicCredentials[];
} {
  const problems: string[] = [];
  let config: AppConfig | null = null;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  let camunda: CamundaClientConfig | null = null;
  if (process.env.CAMUNDA_REST_ADDRESS) {
    try {
      camunda = loadCamundaConfig(process.env, { requireAddress: true });
    } catch (e) {
      if (!(e instanceof CamundaConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  // The embedded /v2 must never be a way around the business API's permissions: off loopback it needs users.
  const v2Users: BasicCredentials[] = [];
  const username = process.env.CAMUNDA_BASIC_AUTH_USERNAME;
  const password = process.env.CAMUNDA_BASIC_AUTH_PASSWORD;
  if (username && password) v2Users.push({ username, password });
  if (config && !camunda && !LOOPBACK.test(config.host) && v2Users.length === 0) {
    problems.push(
      `HOST='${config.host}' is not a loopback address: set CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD so that /v2 of the embedded engine requires them`,
    );
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return { config, camunda, v2Users };
}

async function main(): Promise<void> {
  let settings: ReturnType<typeof configure>;
  try {
    settings = configure();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const { config, v2Users } = settings;
  lockDataDirOrExit(config.dataDir, 'npm start');
  const logger = pino({ level: config.logLevel, name: 'yunfu' });
  const regulation = loadRegulation();

  const store = await Store.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (e) => logger.warn({ err: e.message }, 'idle database connection lost'),
    audit: {
      ...auditTrailConfig(config),
      onError: (e) => logger.error({ err: e }, 'audit checkpoint not written'),
    },
  });
  const documents = new DocumentStorage(join(config.dataDir, 'documents'));

  let engine: Engine | null = null;
  if (!settings.camunda) {
    engine = await Engine.open({
      file: join(config.dataDir, 'engine.sqlite'),
      logger: logger.child({ component: 'engine' }),
      scheduler: false, // started once the server answers: start-up never waits on due timers
    });
    const resources = readDeployableResources();
    const deployment = await engine.deploy(resources);
    logger.info(
      { deploymentKey: deployment.deploymentKey, resources: resources.length },
      'deployed processes/',
    );
  }
  if (settings.camunda) {
    // Camunda keeps unchanged resources at their version, so this is safe at every start; it waits while Camunda starts.
    const deployed = await deployResources(createCamundaClient(settings.camunda), {
      tenantId: settings.camunda.tenantId,
      log: (m) => logger.warn(m),
    });
    logger.info(
      { deploymentKey: deployed.deploymentKey, definitions: deployed.definitions.length },
      'deployed processes/',
    );
  }

  // Everything reaches the engine only through the official client: the embedded /v2 of this very server (over
  // loopback when it listens on all interfaces), or Camunda 8.
  const selfHost = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  const camunda: CamundaClientConfig = settings.camunda ?? {
    restAddress: `http://${selfHost.includes(':') ? `[${selfHost}]` : selfHost}:${config.port}`,
    auth: v2Users[0] ? { strategy: 'BASIC', ...v2Users[0] } : { strategy: 'NONE' },
    tenantId: null,
  };
  // Camunda 8's searches are eventually consistent (exported to secondary storage); the embedded engine's are not.
  const processes = CamundaProcessGateway.fromConfig(camunda, { consistencyMs: engine ? 0 : 5_000 });

  const app = await buildServer({ config, store, regulation, documentsDir: documents.dir, processes });
  if (engine) {
    await app.register(camundaRestApi, {
      prefix: '/v2',
      engine,
      auth: v2Users.length > 0 ? { mode: 'basic', users: v2Users } : { mode: 'none' },
      listenHost: config.host,
      // /v2 answers to the public host name too; behind TRUST_PROXY the loopback exemption goes by the forwarded
      // client that fastify works out (request.ip), never by the proxy's own loopback address.
      allowedHosts: config.publicUrl ? [new URL(config.publicUrl).host] : [],
      clientAddressOf: config.trustProxy ? (request) => request.ip : undefined,
    });
  }
  const url = await app.listen({ host: config.host, port: config.port });
  engine?.startScheduler();

  // Settle what a crash left between the engine and the store (src/app/commands/reconcile.ts). It runs once the
  // engine answers — the embedded one is served by this very server, so only after listen — and before the ready
  // line; /api already answers meanwhile, which is safe: a project or task with a pending intent refuses a second
  // submission or completion (409) until its intent is settled. A failure is logged; the next start retries.
  const reconciled = await reconcile(
    { store, regulation, now: () => new Date(), processes },
    { log: logger.child({ component: 'reconcile' }), searchLagMs: engine ? 0 : 5_000 },
  ).catch((err: unknown) => {
    logger.error({ err }, 'start-up reconciliation failed; it runs again at the next start');
    return null;
  });
  if (reconciled) logger.info(reconciled, 'reconciled');

  const clock = engine ? () => engine.clock.now() : () => Date.now();
  const workers = startWorkers(
    createCamundaClient(camunda),
    createWorkers({
      regulation,
      now: clock,
      store,
      documents,
      mailer: config.smtpUrl ? createMailer(config.smtpUrl, config.mailFrom) : null,
    }),
    { logger: logger.child({ component: 'workers' }) },
  );

  logger.info(
    {
      url,
      engine: engine ? `embedded (${join(config.dataDir, 'engine.sqlite')})` : camunda.restAddress,
      store: store.description,
    },
    'ready',
  );
  console.log(`\n云浮市政务信息化项目管理 is running at ${url}`);
  console.log(`  business API  ${url}/api   (OpenAPI: ${url}/docs)`);
  console.log(`  Camunda 8 REST API  ${engine ? `${url}/v2 (embedded engine)` : camunda.restAddress}`);
  console.log('  demo accounts: run `npm run demo` once (see README)\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const released = await workers.stop(10_000);
    logger.info(released, 'workers stopped');
    await app.close();
    await store.close();
    engine?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();

// `npm start`: the whole system in one process (src/system.ts composes it).
//   - CAMUNDA_REST_ADDRESS unset (the default): the embedded Zeebe-compatible engine on DATA_DIR/engine.sqlite,
//     with the processes/ deployed and the Camunda 8 REST API on /v2 of the same server as the business API.
//   - CAMUNDA_REST_ADDRESS set: no embedded engine; the business API and the workers talk to that Camunda 8.
// In both cases the job workers run in this process through an official client of their own, exactly as
// `npm run workers` runs them: on this event loop (JOB_WORKERS=event-loop, the default), on a worker thread of their
// own (JOB_WORKERS=thread, src/worker-thread/, issue #17), or not at all (JOB_WORKERS=off).
import { join } from 'node:path';
import { type CamundaClientConfig, CamundaConfigError, loadCamundaConfig } from './camunda/config.ts';
import { type AppConfig, ConfigError, loadConfig } from './config.ts';
import { lockDataDirOrExit } from './data-dir-lock.ts';
import type { BasicCredentials } from './engine/rest/auth.ts';
import { startSystem } from './system.ts';

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
  const { config, camunda, v2Users } = settings;
  lockDataDirOrExit(config.dataDir, 'npm start');
  const workers = { thread: 'thread', 'event-loop': 'client', off: 'none' } as const;
  const system = await startSystem(config, {
    camunda,
    v2Users,
    workers: workers[config.jobWorkers ?? 'event-loop'],
  });
  const { url, engine, logger } = system;

  logger.info(
    {
      url,
      engine: engine ? `embedded (${join(config.dataDir, 'engine.sqlite')})` : system.camunda.restAddress,
      store: system.store.description,
    },
    'ready',
  );
  console.log(`\n云浮市政务信息化项目管理 is running at ${url}`);
  console.log(`  business API  ${url}/api   (OpenAPI: ${url}/docs)`);
  console.log(`  Camunda 8 REST API  ${engine ? `${url}/v2 (embedded engine)` : system.camunda.restAddress}`);
  console.log('  demo accounts: run `npm run demo` once (see README)\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await system.close(10_000);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();

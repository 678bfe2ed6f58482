// `npm run demo`: a working system for a newcomer. Seeds the demo accounts (one per role, src/app/demo-seed.ts)
// and, on an empty engine, plays a year of the city's work on the real models with the real workers
// (src/demo/dataset.ts) into DATA_DIR / DATABASE_URL, on the system as `npm start` composes it (src/system.ts). Run it
// before `npm start`, not while it runs: both would drive the same engine file. Never part of production start-up.
import pino from 'pino';
import { createWorkers } from '../workers/all.ts';
import { passwordIssue } from './app/auth/passwords.ts';
import { seedDemo } from './app/demo-seed.ts';
import { ConfigError, loadConfig } from './config.ts';
import { lockDataDirOrExit } from './data-dir-lock.ts';
import { buildDemoDataset, type DemoSummary } from './demo/dataset.ts';
import { Store } from './store/store.ts';
import { startSystem } from './system.ts';

const password = process.env.DEMO_PASSWORD ?? 'Yunfu-demo-2026';
const accountsOnly = process.argv.includes('--accounts-only');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}

function bar(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY && done !== total && done % 25 !== 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${label}`;
  if (process.stderr.isTTY)
    process.stderr.write(`\r${line.slice(0, process.stderr.columns - 1).padEnd(process.stderr.columns - 1)}`);
  else process.stderr.write(`${line}\n`);
}

const weak = passwordIssue(password);
if (weak) {
  console.error(`DEMO_PASSWORD is too weak: ${weak}`);
  process.exit(2);
}

// The year of demo data drives the engine file: never beside a running npm start. Accounts only touch the business
// store, which takes concurrent writers, so seeding them into a running system stays possible.
if (accountsOnly) {
  const store = await Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await seedAccounts(store);
  } finally {
    await store.close();
  }
} else {
  lockDataDirOrExit(config.dataDir, 'npm run demo');
  await playYear();
}

async function seedAccounts(store: Store): Promise<void> {
  const created = await seedDemo(store, password);
  console.log(
    `demo accounts in ${store.description}: ${created.length > 0 ? created.join(', ') : 'already there'}`,
  );
  console.log(`password of every demo account: ${password} (DEMO_PASSWORD overrides it)`);
}

// The system as `npm start` starts it (src/system.ts), on a loopback port of its own and quiet, with the engine's
// clock stopped last October; the data set moves it forward to now. Its jobs are handled by the in-process runner
// (src/demo/in-process-workers.ts, the runtime's own handler call and outcome mapping) rather than the client's
// workers: after every step the data set needs to know that every job is done before it moves the clock, and
// long-polling workers give no such moment — the year would be slower and its outcome would depend on timing.
async function playYear(): Promise<void> {
  const until = Date.now();
  const system = await startSystem(
    { ...config, host: '127.0.0.1', port: 0, logLevel: 'warn' },
    {
      pinClockAt: until - 420 * 86_400_000,
      engineSynchronous: 'NORMAL',
      workers: 'none',
      logger: pino({ level: 'warn', name: 'yunfu-demo' }),
    },
  );
  try {
    await seedAccounts(system.store);
    const engine = system.engine!;
    if (engine.searchProcessInstances({ page: { limit: 1 } }).page.totalItems > 0) {
      console.log('the engine already has process instances: the demo data set is not added again');
      return;
    }
    console.log('playing a year of the city’s work on the real processes…');
    const summary = await buildDemoDataset({
      engine,
      store: system.store,
      regulation: system.regulation,
      processes: system.gateway,
      workers: (provided) =>
        createWorkers({
          ...provided,
          regulation: system.regulation,
          now: () => engine.clock.now(),
          store: system.store,
          documents: system.documents,
        }),
      until,
      onProgress: bar,
    });
    process.stderr.write('\n');
    report(summary);
  } finally {
    await system.close();
  }
}

function report(summary: DemoSummary): void {
  console.log(
    `demo data: ${summary.units} Units, ${summary.projects} projects, ${summary.actions} steps, ${summary.incidents} incident(s) for an administrator`,
  );
  if (summary.skipped.length > 0) {
    console.log(
      `steps with nothing to do (a task the path did not reach, e.g. 监理 below the threshold): ${summary.skipped.length}`,
    );
    if (process.env.DEMO_VERBOSE) for (const s of summary.skipped) console.log(`  ${s}`);
  }
}

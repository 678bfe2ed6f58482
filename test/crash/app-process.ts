// The real app (`npm start`: embedded engine, /v2, /api and the workers in one process) as a child process that a
// crash test starts, SIGKILLs and starts again on one long-lived DATA_DIR; and a seeded PRNG so a run can be replayed.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const DEMO_PASSWORD = 'Yunfu-demo-2026';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on('error', ko);
  });
}

/** `npm run demo -- --accounts-only` on the data dir. */
export function seedAccounts(dataDir: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/demo.ts', '--accounts-only'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`demo --accounts-only failed:\n${r.stdout}\n${r.stderr}`);
}

export interface RunningApp {
  child: ChildProcess;
  output: () => string;
  /** Milliseconds from spawn to the ready line (printed after the start-up reconciliation). */
  startMs: number;
}

export async function startApp(
  dataDir: string,
  port: number,
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const began = Date.now();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  while (!output.includes('is running at')) {
    if (Date.now() - began > timeoutMs || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the app did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, output: () => output, startMs: Date.now() - began };
}

export async function kill(app: RunningApp): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.kill('SIGKILL');
  await exited;
}

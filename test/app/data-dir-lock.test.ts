// One data directory, one process (issue 12 §4): a second `npm start` — or a full `npm run demo` — on the DATA_DIR
// of a running one exits at once naming the process that holds it (seeding only the accounts, which leaves the
// engine alone, still works); a lock left by a dead process does not block the next start; and the engine's key
// counter never goes down, so keys are never issued twice whatever the order of crashes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/data-dir-lock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { readDeployableResources } from '../../src/modeling/catalogue.ts';

const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'yunfu-lock-'));
  dirs.push(d);
  return d;
}

async function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on('error', ko);
  });
}

async function start(dataDir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 40_000;
  while (!output.includes('is running at')) {
    if (Date.now() > until || child.exitCode !== null)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

function runSync(script: string, dataDir: string, env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(1), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the data directory lock', () => {
  it('makes a second npm start, and npm run demo, on a running DATA_DIR exit at once naming the holder', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: first.child.pid, host: hostname(), command: 'npm start' });

    const t0 = Date.now();
    const second = runSync('src/main.ts', dataDir);
    expect(second.status).toBe(3);
    expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const demo = runSync('src/demo.ts', dataDir);
    expect(demo.status).toBe(3);
    expect(demo.stderr).toContain(`in use by process ${first.child.pid}`);
    // seeding only the accounts touches the business store alone, and stays possible beside a running system
    const accounts = runSync('src/demo.ts', dataDir, {}, ['--accounts-only']);
    expect(accounts.status, accounts.stderr).toBe(0);

    // the first process is untouched: still serving, its engine file not written by the others
    const url = /running at (\S+)/.exec(first.output())?.[1];
    expect((await fetch(`${url}/ready`)).status).toBe(200);

    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGTERM');
    await exited;
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('takes over a lock whose process is gone', async () => {
    const dataDir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({
        pid: deadPid,
        host: hostname(),
        startedAt: '2026-01-01T00:00:00Z',
        command: 'npm start',
      }),
    );
    const next = await start(dataDir);
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(next.child.pid);
    const exited = new Promise((r) => next.child.once('exit', r));
    next.child.kill('SIGTERM');
    await exited;
  }, 90_000);
});

describe('the engine key counter', () => {
  it('never goes down: a stale process writing its counter cannot make a later start reissue keys', async () => {
    const file = join(tempDir(), 'engine.sqlite');
    const resources = readDeployableResources();
    // two engines on one file: exactly what the lock prevents, forced here to prove the second line of defence
    const stale = await Engine.open({ file });
    const live = await Engine.open({ file });
    const deployed = await live.deploy(resources);
    stale.activateJobs({ type: 'nothing', maxJobsToActivate: 1, timeout: 1000 }); // a transaction that flushes
    live.close();
    stale.close();

    const next = await Engine.open({ file });
    try {
      const again = await next.deploy(resources);
      expect(BigInt(again.deploymentKey)).toBeGreaterThan(BigInt(deployed.deploymentKey));
    } finally {
      next.close();
    }
  }, 60_000);
});

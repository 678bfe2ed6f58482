// `npm start` behind a same-host reverse proxy (TRUST_PROXY) with a public name (PUBLIC_URL): the embedded /v2
// decides its loopback exemption by the forwarded client, not by the proxy's own loopback address, and answers to
// the public host name while still refusing any other (DNS rebinding). Issue 12 §1.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let child: ChildProcess;
let port: number;
let dataDir: string;
let output = '';

async function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
    s.on('error', ko);
  });
}

/** A GET with exactly these headers (fetch would not let a test set Host). */
function get(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, ko) => {
    const r = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    r.on('error', ko);
    r.end();
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yunfu-proxy-'));
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '127.0.0.0/8',
      PUBLIC_URL: 'https://govit.yunfu.example',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 60_000;
  while (!output.includes('is running at')) {
    if (Date.now() > until || child.exitCode !== null)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 70_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start behind a reverse proxy on the same host', () => {
  const host = () => `127.0.0.1:${port}`;

  it('serves /v2 without credentials to a client on this machine', async () => {
    expect(await get('/v2/topology', { host: host() })).toBe(200);
  });

  it('refuses /v2 to a remote client forwarded by the proxy, although the proxy itself is loopback', async () => {
    const status = await get('/v2/topology', { host: host(), 'x-forwarded-for': '203.0.113.9' });
    expect(status).toBe(401);
  });

  it('answers to the public host name and refuses any other name (DNS rebinding)', async () => {
    expect(await get('/v2/topology', { host: 'govit.yunfu.example' })).toBe(200);
    expect(await get('/v2/topology', { host: 'evil.example' })).toBe(403);
  });
});

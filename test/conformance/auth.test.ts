// /v2 authentication: open to loopback clients without credentials configured; with basic auth configured, a
// request without valid credentials is 401; without credentials, every client not on loopback is 401.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/engine/rest/auth.ts';
import { type EmbeddedServer, startEmbedded } from '../../src/engine/rest/standalone.ts';

let server: EmbeddedServer | null = null;
let dir = '';

async function start(host: string, users?: Array<{ username: string; password: string }>) {
  dir = mkdtempSync(join(tmpdir(), 'yunfu-auth-'));
  server = await startEmbedded({
    dataDir: dir,
    host,
    port: 0,
    logger: pino({ level: 'silent' }),
    processesDir: null,
    ...(users ? { users } : {}),
    listen: false,
  });
  return server.app;
}

afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('/v2 authentication', () => {
  it('is open on loopback when no credentials are configured', async () => {
    const app = await start('127.0.0.1');
    expect((await app.inject({ method: 'GET', url: '/v2/topology' })).statusCode).toBe(200);
  });

  it('with basic auth, refuses missing or wrong credentials with 401 problem details and accepts valid ones', async () => {
    const app = await start('127.0.0.1', [{ username: 'ops', password: 's3cret' }]);
    const missing = await app.inject({ method: 'GET', url: '/v2/topology' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toContain('Basic');
    expect(missing.json()).toMatchObject({ status: 401, title: 'UNAUTHORIZED' });
    const wrong = await app.inject({
      method: 'GET',
      url: '/v2/topology',
      headers: { authorization: basic('ops', 'nope') },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.inject({
      method: 'GET',
      url: '/v2/topology',
      headers: { authorization: basic('ops', 's3cret') },
    });
    expect(ok.statusCode).toBe(200);
  });

  // Decided per request from the client's address (issue 12 §1), not from the listen address: a remote
  // client is refused, a loopback one on the same server is not.
  it('without credentials configured, refuses every client that is not on loopback', async () => {
    const app = await start('0.0.0.0');
    const r = await app.inject({
      method: 'POST',
      url: '/v2/process-instances/search',
      payload: {},
      remoteAddress: '10.0.0.5',
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().detail).toContain('no credentials configured');
    const local = await app.inject({
      method: 'POST',
      url: '/v2/process-instances/search',
      payload: {},
      remoteAddress: '127.0.0.1',
    });
    expect(local.statusCode).toBe(200);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', 'example.org'].some(isLoopback)).toBe(false);
  });
});

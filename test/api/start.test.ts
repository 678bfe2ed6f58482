// The server as `npm start` will run it: a real socket, a store in DATA_DIR, a clean shutdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startApp } from '../../src/app/start.ts';

it('listens, answers /health and /ready over HTTP, and shuts down closing the store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-start-'));
  const running = await startApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: null,
      camundaRestAddress: null,
      logLevel: 'silent',
      smtpUrl: null,
      mailFrom: 'noreply@localhost',
    },
    {},
  );
  try {
    const address = running.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBeTruthy();
    expect(await (await fetch(`http://127.0.0.1:${port}/ready`)).json()).toEqual({
      status: 'UP',
      store: 'UP',
    });
    const unauth = await fetch(`http://127.0.0.1:${port}/api/me`);
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('content-type')).toContain('application/problem+json');
  } finally {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  await expect(running.store.ping()).rejects.toThrow();
});

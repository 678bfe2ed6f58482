// Issue 12 §5 against the running app over HTTP (a real socket, `npm start`'s startApp) and `npm run audit:verify`:
// the request id recorded is the server's, not the caller's; a keyless full rewrite of the stored trail is found; a
// forged export with a rewritten decision, re-signed with another key, is refused.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo-seed.ts';
import { type RunningApp, startApp } from '../../src/app/start.ts';
import type { AppConfig } from '../../src/config.ts';
import { listAudit } from '../../src/store/audit.ts';
import { forgeArchive, keylessRewrite, otherKeys } from '../store/audit-attacks.ts';
import { DEMO_PASSWORD, draft } from './harness.ts';

const run = promisify(execFile);

describe('the audit trail over HTTP, checked by `npm run audit:verify`', () => {
  let dataDir: string;
  let running: RunningApp;
  let base: string;
  let token: string;
  let auditToken: string;
  const verify = async (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        AUDIT_KEY_DIR: join(dataDir, 'keys'),
        AUDIT_ANCHOR_DIR: join(dataDir, 'anchors'),
      },
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: `${e.stdout}${e.stderr}`,
      }),
    );
  const login = async (username: string) => {
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 'yunfu', username, password: DEMO_PASSWORD }),
    });
    return ((await res.json()) as { token: string }).token;
  };

  /** The Unit creates a draft over HTTP; `requestId` is what its client sent as X-Request-Id. */
  const createProject = (requestId?: string) =>
    fetch(`${base}/api/projects`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify(draft()),
    });
  const projectIdOf = async (res: Response) => {
    expect(res.status).toBe(201);
    return ((await res.json()) as { project: { id: string } }).project.id;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yunfu-audit-http-'));
    const config: AppConfig = {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: null,
      camundaRestAddress: null,
      logLevel: 'silent',
      smtpUrl: null,
      mailFrom: 'noreply@localhost',
      auditKeyDir: join(dataDir, 'keys'),
      auditAnchorDir: join(dataDir, 'anchors'),
      auditCheckpointSeconds: 60,
    };
    running = await startApp(config);
    await seedDemo(running.store, DEMO_PASSWORD);
    base = running.url;
    token = await login('gongan.staff');
    auditToken = await login('audit');
  });
  afterAll(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records the request id the server chose, not the one the caller sent', async () => {
    const res = await createProject('chosen-by-client-1');
    const projectId = await projectIdOf(res);
    const served = res.headers.get('x-request-id');
    expect(served).toMatch(/^[0-9a-f-]{36}$/);
    const [created] = await listAudit(running.store.db, {
      tenantId: 'yunfu',
      action: 'project.create',
      projectId,
    });
    expect(created?.requestId).toBe(served);
    const recorded = (await listAudit(running.store.db, { tenantId: 'yunfu' })).map((e) => e.requestId);
    expect(recorded).not.toContain('chosen-by-client-1');
  });

  it('refuses a forged export with a rewritten decision, re-signed with another key', async () => {
    const projectId = await projectIdOf(await createProject());
    const res = await fetch(`${base}/api/projects/${projectId}/audit-export`, {
      headers: { authorization: `Bearer ${auditToken}` },
    });
    expect(res.status).toBe(200);
    const archive = Buffer.from(await res.arrayBuffer());
    const file = join(dataDir, 'export.tar');
    writeFileSync(file, archive);
    const ok = await verify('--archive', file);
    expect(ok.out).toContain('signed by the expected key');
    expect(ok.code).toBe(0);
    // the forger rewrites the project's category in its record and its trail (test/store/audit-tamper.test.ts
    // rewrites a 初核 decision the same way), recomputes every hash and re-signs
    const forged = await forgeArchive(archive, (t) => t.replaceAll('professional', 'basic'), otherKeys());
    writeFileSync(file, forged);
    const bad = await verify('--archive', file);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/TAMPERED signature\.json: signed by key \w+, not by the expected key/);
    expect(bad.out).toMatch(
      /TAMPERED trail entry \d+: entry \d+ \(project\.create\): the stored hash does not match/,
    );
  });

  it('finds a keyless full rewrite of the stored trail that the chain alone would accept', async () => {
    await projectIdOf(await createProject());
    const ok = await verify();
    expect(ok.out).toMatch(/yunfu: \d+ entries, chain intact/);
    expect(ok.code).toBe(0);
    await keylessRewrite(running.store, 'yunfu', (rows) => rows.filter((r) => r.action !== 'project.create'));
    const bad = await verify();
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/TAMPERED seq 1 \[altered\]/);
  });
});

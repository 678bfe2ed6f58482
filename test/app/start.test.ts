// `npm start` as a newcomer runs it: one process with the embedded engine, the Camunda REST API, the business API
// and the workers. Started as a child process on a free port with an empty DATA_DIR; driven with the official client.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { professionalDraft } from '../api-process/stack.ts';

const root = resolve(import.meta.dirname, '../..');
let child: ChildProcess;
let url: string;
let dataDir: string;
let output = '';

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

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yunfu-start-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 30_000;
  while (!output.includes('is running at')) {
    if (Date.now() > until || child.exitCode !== null)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 40_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on the embedded default', () => {
  it('serves the Camunda REST API, the business API and the health check on one port', async () => {
    expect(output).toContain(`running at ${url}`);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(await (await fetch(`${url}/ready`)).json()).toEqual({ status: 'UP', store: 'UP', engine: 'UP' });
    expect((await fetch(`${url}/v2/topology`)).status).toBe(200);
    expect((await fetch(`${url}/api/me`)).status).toBe(401);
    // the engine-backed routes are there (they answer 401 unauthenticated, not 404)
    expect((await fetch(`${url}/api/tasks`)).status).toBe(401);
  });

  it('has deployed every process and runs the workers: a 涉密 application is refused by them', async () => {
    const client = createLooseCamundaClient({ restAddress: url, auth: { strategy: 'NONE' }, tenantId: null });
    const definitions = await client.searchProcessDefinitions(
      { filter: { processDefinitionId: 'project-lifecycle' } },
      { consistency: { waitUpToMs: 0, pollIntervalMs: 100 } },
    );
    expect(definitions.items).toHaveLength(1);
    const created = await client.createProcessInstance({
      processDefinitionId: 'professional-project-initiation',
      variables: { projectId: 'YF-2026-0001', unitId: 'gongan', projectName: '测试', classified: true },
      awaitCompletion: true,
      requestTimeout: 20_000,
    } as never);
    expect((created as { variables: Record<string, unknown> }).variables).toMatchObject({
      initiationApproved: false,
      classified: true,
    });
    expect(String((created as { variables: Record<string, unknown> }).variables.refusalReason)).toContain(
      '涉密',
    );
  }, 30_000);

  it('a newcomer seeds the demo accounts, a Unit submits a project and the Bureau finds 初核 in its inbox', async () => {
    const demo = spawnSync(process.execPath, ['--import', 'tsx', 'src/demo.ts', '--accounts-only'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('gongan.staff');
    const login = async (username: string) => {
      const r = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 'yunfu', username, password: 'Yunfu-demo-2026' }),
      });
      expect(r.status, username).toBe(200);
      return ((await r.json()) as { token: string }).token;
    };
    const call = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const unit = await login('gongan.staff');
    const created = await call(unit, 'POST', '/api/projects', professionalDraft());
    expect(created.status).toBe(201);
    const { project } = (await created.json()) as { project: { id: string } };
    expect((await call(unit, 'POST', `/api/projects/${project.id}/submit`)).status).toBe(201);
    // G-6: the Unit's 责任科室 approves first; then the application goes to the Bureau.
    const section = await login('gongan.section');
    let review: { userTaskKey: string } | undefined;
    for (let i = 0; i < 50 && !review; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const inbox = (await (await call(section, 'GET', '/api/tasks?scope=groups')).json()) as {
        items: Array<{ userTaskKey: string; elementId: string }>;
      };
      review = inbox.items.find((t) => t.elementId === 'Task_SectionReview');
    }
    expect(review).toBeDefined();
    const signedOff = await call(section, 'POST', `/api/tasks/${review!.userTaskKey}/complete`, {
      variables: { sectionDecision: 'approve', sectionOpinion: '同意报送' },
    });
    expect(signedOff.status).toBe(200);
    const reviewer = await login('bureau.reviewer');
    let names: string[] = [];
    for (let i = 0; i < 50 && !names.includes('初核'); i++) {
      await new Promise((r) => setTimeout(r, 100)); // the workers check and classify the application first
      const inbox = (await (await call(reviewer, 'GET', '/api/tasks?scope=groups')).json()) as {
        items: Array<{ name: string }>;
      };
      names = inbox.items.map((t) => t.name);
    }
    expect(names).toContain('初核');
  }, 30_000);

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});

// Deploying processes/ to a Camunda 8 REST API (here the embedded engine's /v2, started empty): twice without
// changes gives the same keys and versions (Zeebe's duplicate check: same resource name and checksum keeps the
// latest version, https://github.com/camunda/camunda/commit/1ab92a67d21a4a08de4f4f89428801b2a3ace1a5); it waits for
// a Camunda that is still starting, and says clearly when it is refused or never answers.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client.ts';
import {
  DeploymentRefusedError,
  DeploymentUnavailableError,
  deployResources,
} from '../../src/camunda/deploy-resources.ts';
import { type EmbeddedServer, startEmbedded } from '../../src/engine/rest/standalone.ts';
import { readDeployableResources } from '../../src/modeling/catalogue.ts';

const dirs: string[] = [];
const servers: EmbeddedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function emptyEngine(port = 0): Promise<EmbeddedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-deploy-'));
  dirs.push(dataDir);
  const s = await startEmbedded({
    dataDir,
    host: '127.0.0.1',
    port,
    logger: pino({ level: 'silent' }),
    processesDir: null,
  });
  servers.push(s);
  return s;
}

const client = (restAddress: string) =>
  createCamundaClient({ restAddress, auth: { strategy: 'NONE' }, tenantId: null });

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('deploying processes/ to Camunda', () => {
  it('deploys every model, decision and form; deploying again unchanged keeps every key and version', async () => {
    const engine = await emptyEngine();
    const first = await deployResources(client(engine.address!));
    const resources = readDeployableResources();
    expect(first.definitions.filter((d) => d.kind === 'process').length).toBeGreaterThanOrEqual(
      resources.filter((r) => r.name.endsWith('.bpmn')).length,
    );
    expect(first.definitions.filter((d) => d.kind === 'form')).toHaveLength(
      resources.filter((r) => r.name.endsWith('.form')).length,
    );
    expect(first.definitions.some((d) => d.kind === 'decision')).toBe(true);
    expect(first.definitions.every((d) => d.version === 1)).toBe(true);

    const again = await deployResources(client(engine.address!));
    const view = (ds: typeof first.definitions) =>
      ds.map((d) => `${d.kind} ${d.id} v${d.version} ${d.key}`).sort();
    expect(view(again.definitions)).toEqual(view(first.definitions));
  });

  it('a changed model gets a new version; the unchanged ones keep theirs', async () => {
    const engine = await emptyEngine();
    const first = await deployResources(client(engine.address!));
    const resources = readDeployableResources().map((r) =>
      r.name === 'audit-request.bpmn'
        ? { ...r, content: r.content.replace('</bpmn:definitions>', '<!-- v2 -->\n</bpmn:definitions>') }
        : r,
    );
    const second = await deployResources(client(engine.address!), { resources });
    const version = (ds: typeof first.definitions, id: string) =>
      ds.find((d) => d.kind === 'process' && d.id === id)?.version;
    const changed = first.definitions.find((d) => d.resourceName === 'audit-request.bpmn')!.id;
    expect(version(second.definitions, changed)).toBe(2);
    expect(version(second.definitions, 'project-lifecycle')).toBe(1);
  });

  it('waits for a Camunda that is still starting, then deploys', async () => {
    const port = await freePort();
    const deploying = deployResources(client(`http://127.0.0.1:${port}`), {
      waitUpToMs: 30_000,
      initialDelayMs: 200,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await emptyEngine(port);
    const outcome = await deploying;
    expect(outcome.attempts).toBeGreaterThan(1);
    expect(outcome.definitions.length).toBeGreaterThan(0);
  });

  it('gives up with a clear error when Camunda never answers', async () => {
    const port = await freePort();
    const failure = await deployResources(client(`http://127.0.0.1:${port}`), {
      waitUpToMs: 1_500,
      initialDelayMs: 200,
    }).catch((e) => e);
    expect(failure).toBeInstanceOf(DeploymentUnavailableError);
    expect(String(failure.message)).toMatch(/did not accept the deployment of processes\/ within/);
  });

  it('a refused deployment (an invalid model) fails at once, naming the status and Camunda’s reason', async () => {
    const engine = await emptyEngine();
    const started = Date.now();
    const failure = await deployResources(client(engine.address!), {
      resources: [{ name: 'broken.bpmn', content: '<not-bpmn/>' }],
    }).catch((e) => e);
    expect(failure).toBeInstanceOf(DeploymentRefusedError);
    expect(failure.status).toBe(400);
    expect(failure.message).toMatch(/broken\.bpmn/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

// The embedded engine served over real HTTP, with the official client (@camunda8/sdk's orchestration-cluster
// client, strict request and response validation), for the modification and migration specs. The engine itself
// is at hand for its record stream (the history an operations view shows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { startEmbedded } from '../../src/engine/rest/standalone.ts';
import { bpmnFile } from '../conformance/fidelity.ts';
import { VALIDATION } from '../conformance/target.ts';

export interface ChangeServer {
  client: LooseCamundaClient;
  engine: Engine;
  /** Plain fetch against /v2 (for bodies the client refuses to send). */
  raw(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  deploy(name: string, xml: string): Promise<string>;
  close(): Promise<void>;
}

export async function startChangeServer(): Promise<ChangeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'yunfu-changes-'));
  const server = await startEmbedded({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    processesDir: null,
  });
  const client = createLooseCamundaClient(
    { restAddress: server.address!, auth: { strategy: 'NONE' }, tenantId: null },
    { validation: VALIDATION },
  );
  return {
    client,
    engine: server.engine,
    async raw(path, body, headers = {}) {
      const res = await fetch(`${server.address}/v2${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async deploy(name, xml) {
      const d = await client.createDeployment({ resources: [bpmnFile(name, xml)] });
      return String(d.processes[0]!.processDefinitionKey);
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The status and detail of a refused call (the client throws the problem it received). */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; detail: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { status?: number; detail?: string; body?: { detail?: string }; message?: string };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, detail: err.detail ?? err.body?.detail ?? err.message ?? '' };
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

// A real server on a real SQLite store in a temporary directory, with the demo accounts, a clock the test moves,
// and the log lines captured — requests go through fastify.inject (the whole HTTP stack, no socket).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { seedDemo } from '../../src/app/demo-seed.ts';
import { buildServer, type ServerOptions } from '../../src/app/server.ts';
import { Store } from '../../src/store/store.ts';

export const DEMO_PASSWORD = 'Demo-Passw0rd!';

export interface Harness {
  app: FastifyInstance;
  store: Store;
  dataDir: string;
  logs: string[];
  clock: { now: Date };
  /** Signs in and returns the bearer token. */
  login(username: string, tenantId?: string): Promise<string>;
  as(token: string): { authorization: string };
  close(): Promise<void>;
}

/** Server options over the harness's own; `config` is merged into the harness's (its DATA_DIR is kept). */
export type HarnessOptions = Partial<Omit<ServerOptions, 'config'>> & {
  config?: Partial<ServerOptions['config']>;
};

export async function startHarness(extra: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-api-'));
  const store = await Store.open({ databaseUrl: null, dataDir });
  await seedDemo(store, DEMO_PASSWORD);
  const logs: string[] = [];
  const clock = { now: new Date('2026-03-02T02:00:00.000Z') };
  const app = await buildServer({
    store,
    now: () => clock.now,
    logStream: { write: (line: string) => logs.push(line) },
    ...extra,
    config: { dataDir, logLevel: 'info', ...extra.config },
  });
  await app.ready();
  const harness: Harness = {
    app,
    store,
    dataDir,
    logs,
    clock,
    async login(username, tenantId = 'yunfu') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { tenantId, username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${tenantId}/${username}: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    as: (token) => ({ authorization: `Bearer ${token}` }),
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A valid professional-category draft (G-6) for the given Unit. */
export function draft(over: Record<string, unknown> = {}) {
  return {
    projectName: '智慧警务数据平台',
    description: '警务数据汇聚与分析',
    planYear: 2026,
    fundingSource: 'city-fiscal',
    classified: false,
    hasDataCatalogue: true,
    supportsIpv6: true,
    serviceLines: [
      { serviceType: 'software-development', subType: 'professional-software', amount: 600_000 },
      {
        serviceType: 'third-party',
        subType: 'supervision',
        amount: 50_000,
        relatedTo: 'professional-software',
      },
    ],
    ...over,
  };
}

export function problemOf(res: LightMyRequestResponse) {
  return res.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    requestId: string;
    errors?: Array<{ field: string; reason: string }>;
  };
}

/** A multipart/form-data body with one file, as a browser sends it. */
export function multipart(fileName: string, mediaType: string, content: Buffer, field = 'file') {
  const boundary = `----yunfu${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${mediaType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

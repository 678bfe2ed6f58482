// docs/camunda-compatibility.md lists every operation of Camunda 8.8's orchestration cluster REST API as
// implemented by the embedded engine or not (issue 15 §1). This keeps the list true: its rows are exactly the
// spec's operations (camunda-88-operations.ts, checked against the installed official client), and the rows
// marked "yes" are exactly the routes the /v2 plugin registers.
// Operation list of the spec: https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { camundaRestApi } from '../../src/engine/rest/plugin.ts';
import { CAMUNDA_88_OPERATIONS } from './camunda-88-operations.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLIENT_DIST = join(ROOT, 'node_modules', '@camunda8', 'orchestration-cluster-api', 'dist');

interface Row {
  operation: string;
  implemented: boolean;
}

/** The rows of the operations table: `| METHOD | `path` | yes/no | note |`. */
function tableRows(): Row[] {
  const text = readFileSync(join(ROOT, 'docs', 'camunda-compatibility.md'), 'utf8');
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (yes|no) \|/.exec(line);
    if (m) rows.push({ operation: `${m[1]} ${m[2]}`, implemented: m[3] === 'yes' });
  }
  return rows;
}

/** The operations the installed client calls: its generated sdk section, `var op = … .method({ … url: "…"`. */
function clientOperations(): string[] | undefined {
  if (!existsSync(CLIENT_DIST)) return undefined;
  const re =
    /var \w+ = \(options\) => \{\s*return \(options\??\.client \?\? client\)\.(\w+)\(\{(?:(?!\nvar )[\s\S])*?url: "([^"]+)"/g;
  const out: string[] = [];
  for (const name of readdirSync(CLIENT_DIST).filter((n) => /^chunk-.*\.js$/.test(n))) {
    const text = readFileSync(join(CLIENT_DIST, name), 'utf8');
    for (const m of text.matchAll(re)) out.push(`${m[1]!.toUpperCase()} ${m[2]}`);
  }
  return out;
}

let dir: string;
let engine: Engine;
const routes: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunfu-rest-table-'));
  engine = await Engine.open({ file: join(dir, 'engine.sqlite'), logger: pino({ level: 'silent' }) });
  const app = Fastify({ logger: false });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // fastify adds a HEAD route to every GET route; Camunda's spec has none
      if (method === 'HEAD' || !route.url.startsWith('/v2/')) continue;
      routes.push(`${method} ${route.url.slice(3).replace(/:(\w+)/g, '{$1}')}`);
    }
  });
  await app.register(camundaRestApi, {
    prefix: '/v2',
    engine,
    auth: { mode: 'none' },
    listenHost: '127.0.0.1',
  });
  await app.ready();
  await app.close();
});

afterAll(() => {
  engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const spec = CAMUNDA_88_OPERATIONS.map(([method, path]) => `${method} ${path}`);

describe('the REST compatibility table', () => {
  it('the checked-in operation list is the installed official client', () => {
    const client = clientOperations();
    if (client === undefined) return; // no node_modules: the checked-in list stands
    expect(client.length).toBeGreaterThan(100);
    expect([...client].sort()).toEqual([...spec].sort());
  });

  it('lists every operation of the spec exactly once, and nothing else', () => {
    const rows = tableRows().map((r) => r.operation);
    expect(new Set(rows).size, 'an operation is listed twice').toBe(rows.length);
    expect([...rows].sort()).toEqual([...spec].sort());
  });

  it('every route of the engine is in the spec and marked implemented', () => {
    expect(routes.length).toBeGreaterThan(30);
    const implemented = new Set(
      tableRows()
        .filter((r) => r.implemented)
        .map((r) => r.operation),
    );
    expect(routes.filter((r) => !implemented.has(r))).toEqual([]);
  });

  it('every operation marked implemented is a route of the engine', () => {
    const registered = new Set(routes);
    const missing = tableRows()
      .filter((r) => r.implemented && !registered.has(r.operation))
      .map((r) => r.operation);
    expect(missing).toEqual([]);
  });
});

// /v2 answers pathological input with 4xx problem details, never a 500 or a stalled server (issue 12 §2, §6):
// deep JSON, lone surrogates, non-UTF-8 bytes, backtracking-prone $like patterns, oversized deployments, and
// repeated wrong basic-auth passwords.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../src/engine/rest/auth.ts';
import { MAX_JSON_DEPTH } from '../../src/engine/rest/body.ts';
import { likeMatches } from '../../src/engine/rest/like.ts';
import { multipartBody, type RestServer, raw, startRest } from './rest-server.ts';

const INSTANT = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'conformance', 'conformance-instant.bpmn'),
);
const JSON_TYPE = { 'content-type': 'application/json' };

let server: RestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function deployInstant(s: RestServer) {
  await s.engine.deploy([{ name: 'conformance-instant.bpmn', content: INSTANT }]);
}

describe('/v2 JSON bodies', () => {
  it('refuses nesting deeper than the limit with 400 INVALID_ARGUMENT, also 100,000 levels deep', async () => {
    server = await startRest();
    await deployInstant(server);
    const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    for (const depth of [MAX_JSON_DEPTH, 100_000]) {
      const body = `{"processDefinitionId":"conformance-instant","variables":${nested(depth)}}`;
      const r = await raw(server.port, 'POST', '/v2/process-instances', JSON_TYPE, body);
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ title: 'INVALID_ARGUMENT' });
      expect(String(r.json().detail)).toContain(`${MAX_JSON_DEPTH} levels`);
    }
    const arrays = `{"processDefinitionId":"conformance-instant","variables":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`;
    expect((await raw(server.port, 'POST', '/v2/process-instances', JSON_TYPE, arrays)).status).toBe(400);
    // within the limit is fine
    const ok = `{"processDefinitionId":"conformance-instant","variables":${nested(MAX_JSON_DEPTH - 2)}}`;
    expect((await raw(server.port, 'POST', '/v2/process-instances', JSON_TYPE, ok)).status).toBe(200);
  });

  it('refuses a lone surrogate, escaped or raw, and bytes that are not UTF-8, with 400; a pair passes', async () => {
    server = await startRest();
    await deployInstant(server);
    const send = (body: string | Buffer) =>
      raw(server!.port, 'POST', '/v2/process-instances', JSON_TYPE, body);
    const escaped = await send('{"processDefinitionId":"conformance-instant","variables":{"x":"a\\ud800b"}}');
    expect(escaped.status).toBe(400);
    expect(String(escaped.json().detail)).toContain('lone UTF-16 surrogate');
    const inKey = await send('{"processDefinitionId":"conformance-instant","variables":{"\\udc00":1}}');
    expect(inKey.status).toBe(400);
    const bytes = Buffer.concat([
      Buffer.from('{"processDefinitionId":"conformance-instant","variables":{"x":"'),
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded in UTF-8: not valid UTF-8
      Buffer.from('"}}'),
    ]);
    const notUtf8 = await send(bytes);
    expect(notUtf8.status).toBe(400);
    expect(String(notUtf8.json().detail)).toContain('not UTF-8');
    const pair = await send(
      '{"processDefinitionId":"conformance-instant","variables":{"x":"\\ud83d\\ude00"}}',
    );
    expect(pair.status).toBe(200);
    expect(server.engine.searchProcessInstances({}).page.totalItems).toBe(1);
  });
});

describe('/v2 $like', () => {
  // Camunda: `*` any characters, `?` one, `\` escapes
  // (https://camunda.github.io/camunda-8-js-sdk/interfaces/index._internal_.AdvancedStringFilter.html)
  it('matches as Camunda documents it', () => {
    expect(likeMatches('rev*', 'reviewers')).toBe(true);
    expect(likeMatches('*view*', 'reviewers')).toBe(true);
    expect(likeMatches('r?viewers', 'reviewers')).toBe(true);
    expect(likeMatches('r?viewers', 'rviewers')).toBe(false);
    expect(likeMatches('reviewer', 'reviewers')).toBe(false);
    expect(likeMatches('a\\*b', 'a*b')).toBe(true);
    expect(likeMatches('a\\*b', 'axb')).toBe(false);
    expect(likeMatches('a\\?', 'ax')).toBe(false);
    expect(likeMatches('*a*b*a*', 'xxaxxbxxa')).toBe(true);
    expect(likeMatches('*a*b*a*', 'xxaxxbxx')).toBe(false);
    expect(likeMatches('*', '')).toBe(true);
    expect(likeMatches('??', '审批')).toBe(true);
    expect(likeMatches('a*a', 'a')).toBe(false);
  });

  it('answers a backtracking-prone pattern over a long value quickly (was 17.8 s for 20 characters)', async () => {
    server = await startRest();
    await deployInstant(server);
    server.engine.createProcessInstance({
      processDefinitionId: 'conformance-instant',
      variables: { long: 'a'.repeat(20_000) },
    });
    const started = performance.now();
    const r = await raw(
      server.port,
      'POST',
      '/v2/variables/search',
      JSON_TYPE,
      JSON.stringify({ filter: { value: { $like: '*a*a*a*a*a*a*a*a*a*b' } } }),
    );
    const ms = performance.now() - started;
    expect(r.status).toBe(200);
    expect(r.json().items).toEqual([]);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('/v2 deployment size', () => {
  const post = async (s: RestServer, files: Array<{ name: string; content: Buffer }>) => {
    const m = multipartBody(files);
    return raw(s.port, 'POST', '/v2/deployments', { 'content-type': m.contentType }, m.body);
  };

  it('refuses a resource over the per-resource limit with 413 naming the limit, and deploys nothing', async () => {
    server = await startRest({ maxResourceBytes: 64 * 1024, maxDeploymentBytes: 256 * 1024 });
    const r = await post(server, [{ name: 'big.bpmn', content: Buffer.alloc(65 * 1024, 0x20) }]);
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ status: 413, title: 'PAYLOAD_TOO_LARGE' });
    expect(String(r.json().detail)).toContain(String(64 * 1024));
    expect(server.engine.searchProcessDefinitions({}).page.totalItems).toBe(0);
  });

  it('refuses resources together over the deployment limit with 413 naming the limit', async () => {
    server = await startRest({ maxResourceBytes: 64 * 1024, maxDeploymentBytes: 256 * 1024 });
    const files = [0, 1, 2, 3, 4].map((i) => ({
      name: `p${i}.bpmn`,
      content: Buffer.alloc(60 * 1024, 0x20),
    }));
    const r = await post(server, files);
    expect(r.status).toBe(413);
    expect(String(r.json().detail)).toContain(String(256 * 1024));
    expect(server.engine.searchProcessDefinitions({}).page.totalItems).toBe(0);
  });

  it('by default refuses a resource over 4 MiB', async () => {
    server = await startRest();
    const r = await post(server, [{ name: 'big.bpmn', content: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20) }]);
    expect(r.status).toBe(413);
    expect(String(r.json().detail)).toContain(String(4 * 1024 * 1024));
  });
});

describe('/v2 basic-auth throttle', () => {
  const basic = (p: string) => ({ authorization: `Basic ${Buffer.from(`ops:${p}`).toString('base64')}` });

  it('after 5 failed attempts from an address, makes it wait (429, Retry-After), even with the right password', async () => {
    let now = 1_000_000;
    server = await startRest({
      auth: { mode: 'basic', users: [{ username: 'ops', password: 's3cret' }] },
      throttle: new FailureThrottle(() => now),
    });
    for (let i = 0; i < 6; i++) {
      expect((await raw(server.port, 'GET', '/v2/topology', basic(`wrong${i}`))).status).toBe(401);
    }
    const locked = await raw(server.port, 'GET', '/v2/topology', basic('s3cret'));
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toMatchObject({ status: 429, title: 'TOO_MANY_REQUESTS' });
    now += 1_001;
    expect((await raw(server.port, 'GET', '/v2/topology', basic('wrong'))).status).toBe(401);
    const longer = await raw(server.port, 'GET', '/v2/topology', basic('s3cret'));
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    now += 2_001;
    expect((await raw(server.port, 'GET', '/v2/topology', basic('s3cret'))).status).toBe(200);
    // success forgets the failures
    expect((await raw(server.port, 'GET', '/v2/topology', basic('wrong'))).status).toBe(401);
    expect((await raw(server.port, 'GET', '/v2/topology', basic('s3cret'))).status).toBe(200);
  });
});

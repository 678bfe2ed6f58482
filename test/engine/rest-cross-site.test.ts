// /v2 refuses state-changing requests a browser sends on behalf of another site (issue 12 §1), while the
// official client's deploy and Camunda Modeler's deploy keep working. Modeler deploys from Electron's Node side
// through @camunda8/sdk's CamundaRestClient (camunda/camunda-modeler app/lib/zeebe-api/camunda-client-factory.js,
// https://github.com/camunda/camunda-modeler/blob/main/app/lib/zeebe-api/camunda-client-factory.js): no Origin,
// no Sec-Fetch-*. Browsers send Origin on every cross-origin POST and Sec-Fetch-Site on every request
// (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Sec-Fetch-Site).
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { multipartBody, type RestServer, raw, startRest } from './rest-server.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'conformance');
const INSTANT = readFileSync(join(FIXTURES, 'conformance-instant.bpmn'));
const USER = readFileSync(join(FIXTURES, 'conformance-user.bpmn'));

let server: RestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const definitions = (s: RestServer) => s.engine.searchProcessDefinitions({}).page.totalItems;

const browserCrossSite = {
  origin: 'http://evil.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
};

describe('/v2 against cross-site requests', () => {
  it('accepts the official client deploy (createDeployment at strict validation)', async () => {
    server = await startRest();
    const client = createLooseCamundaClient(
      { restAddress: server.address, auth: { strategy: 'NONE' }, tenantId: null },
      { validation: 'req:strict,res:strict' },
    );
    const d = await client.createDeployment({
      resources: [new File([INSTANT], 'conformance-instant.bpmn', { type: 'application/xml' }) as never],
    });
    expect(d.deployments).toHaveLength(1);
    expect(definitions(server)).toBe(1);
  });

  it("accepts Camunda Modeler's deploy (@camunda8/sdk CamundaRestClient.deployResources)", async () => {
    server = await startRest();
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: server.address,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_OAUTH_DISABLED: true,
    });
    const rest = c8.getCamundaRestClient();
    const d = await rest.deployResources([{ name: 'conformance-instant.bpmn', content: INSTANT.toString() }]);
    expect(d.deployments).toHaveLength(1);
    expect(definitions(server)).toBe(1);
    c8.closeAllClients?.();
  });

  it('accepts a multipart deploy without Origin, as a Node client sends it', async () => {
    server = await startRest();
    const m = multipartBody([{ name: 'conformance-instant.bpmn', content: INSTANT }]);
    const r = await raw(server.port, 'POST', '/v2/deployments', { 'content-type': m.contentType }, m.body);
    expect(r.status).toBe(200);
    expect(definitions(server)).toBe(1);
  });

  it('refuses a browser-style cross-site multipart POST /v2/deployments with 403 and deploys nothing', async () => {
    server = await startRest();
    const m = multipartBody([{ name: 'x.bpmn', content: INSTANT }]);
    const r = await raw(
      server.port,
      'POST',
      '/v2/deployments',
      { ...browserCrossSite, 'content-type': m.contentType },
      m.body,
    );
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status: 403, title: 'FORBIDDEN' });
    // an older browser without Sec-Fetch-* still sends Origin
    const old = await raw(
      server.port,
      'POST',
      '/v2/deployments',
      { origin: 'http://evil.example', 'content-type': m.contentType },
      m.body,
    );
    expect(old.status).toBe(403);
    expect(definitions(server)).toBe(0);
  });

  it('refuses a cross-site empty-body POST …/cancellation with 403 and the instance stays active', async () => {
    server = await startRest();
    await server.engine.deploy([{ name: 'conformance-user.bpmn', content: USER }]);
    const { processInstanceKey } = server.engine.createProcessInstance({
      processDefinitionId: 'conformance-user',
      variables: {},
    });
    const path = `/v2/process-instances/${processInstanceKey}/cancellation`;
    const r = await raw(server.port, 'POST', path, { ...browserCrossSite, 'content-type': 'text/plain' }, '');
    expect(r.status).toBe(403);
    const sameSite = await raw(server.port, 'POST', path, { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    expect(server.engine.getProcessInstance(processInstanceKey).state).toBe('ACTIVE');
    // the same request without browser headers goes through
    const ok = await raw(server.port, 'POST', path, { 'content-type': 'application/json' }, '');
    expect(ok.status).toBe(204);
    expect(server.engine.getProcessInstance(processInstanceKey).state).toBe('TERMINATED');
  });

  it('refuses a DNS-rebinding Host (Host: evil.example:8080) even on GET, and accepts loopback hosts', async () => {
    server = await startRest();
    const evil = await raw(server.port, 'GET', '/v2/topology', { host: 'evil.example:8080' });
    expect(evil.status).toBe(403);
    expect(String(evil.json().detail)).toContain('evil.example:8080');
    const m = multipartBody([{ name: 'x.bpmn', content: INSTANT }]);
    const post = await raw(
      server.port,
      'POST',
      '/v2/deployments',
      { host: 'evil.example:8080', 'content-type': m.contentType },
      m.body,
    );
    expect(post.status).toBe(403);
    expect(definitions(server)).toBe(0);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      expect((await raw(server.port, 'GET', '/v2/topology', { host })).status).toBe(200);
    }
  });

  it('accepts allowedHosts and allowedOrigins, and same-origin requests', async () => {
    server = await startRest({
      allowedHosts: ['engine.yunfu.example'],
      allowedOrigins: ['https://ops.example'],
    });
    const host = { host: 'engine.yunfu.example' };
    expect((await raw(server.port, 'GET', '/v2/topology', host)).status).toBe(200);
    const body = JSON.stringify({ timestamp: 1_700_000_000_000 });
    const json = { 'content-type': 'application/json' };
    const allowed = await raw(
      server.port,
      'PUT',
      '/v2/clock',
      { ...json, origin: 'https://ops.example', 'sec-fetch-site': 'cross-site' },
      body,
    );
    expect(allowed.status).toBe(204);
    const sameOrigin = await raw(
      server.port,
      'PUT',
      '/v2/clock',
      { ...json, ...host, origin: 'http://engine.yunfu.example', 'sec-fetch-site': 'same-origin' },
      body,
    );
    expect(sameOrigin.status).toBe(204);
    const other = await raw(
      server.port,
      'PUT',
      '/v2/clock',
      { ...json, origin: 'https://ops.example.evil' },
      body,
    );
    expect(other.status).toBe(403);
    const nullOrigin = await raw(server.port, 'POST', '/v2/clock/reset', { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
  });
});

// A non-loopback address of this machine, to reach the server as a LAN client does.
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

describe('/v2 Host check for a server on all interfaces', () => {
  it.skipIf(!lanAddress)('accepts the IP address the request arrived at as Host, but no other', async () => {
    server = await startRest(
      { auth: { mode: 'basic', users: [{ username: 'ops', password: 'pw' }] } },
      '0.0.0.0',
    );
    const auth = { authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}` };
    const get = (host: string) =>
      raw(server!.port, 'GET', '/v2/topology', { ...auth, host }, undefined, lanAddress);
    expect((await get(`${lanAddress}:${server.port}`)).status).toBe(200);
    expect((await get(`198.51.100.1:${server.port}`)).status).toBe(403);
    expect((await get(`evil.example:${server.port}`)).status).toBe(403);
    // and a LAN client without credentials is not exempt
    const anonymous = await raw(server.port, 'GET', '/v2/topology', {}, undefined, lanAddress);
    expect(anonymous.status).toBe(401);
  });
});

describe('/v2 loopback exemption by client address', () => {
  it('ignores X-Forwarded-For unless trustProxy is set', async () => {
    server = await startRest();
    const r = await raw(server.port, 'GET', '/v2/topology', { 'x-forwarded-for': '203.0.113.9' });
    expect(r.status).toBe(200);
  });

  it('behind a trusted proxy, exempts only forwarded clients that are themselves on loopback', async () => {
    server = await startRest({ trustProxy: ['127.0.0.1'] });
    const remote = await raw(server.port, 'GET', '/v2/topology', { 'x-forwarded-for': '203.0.113.9' });
    expect(remote.status).toBe(401);
    // a client cannot make itself loopback by sending its own X-Forwarded-For first
    const spoofed = await raw(server.port, 'GET', '/v2/topology', {
      'x-forwarded-for': '127.0.0.1, 203.0.113.9',
    });
    expect(spoofed.status).toBe(401);
    const local = await raw(server.port, 'GET', '/v2/topology', { 'x-forwarded-for': '127.0.0.1' });
    expect(local.status).toBe(200);
  });

  it('with trustProxy true, the last X-Forwarded-For entry is the client', async () => {
    server = await startRest({ trustProxy: true });
    const remote = await raw(server.port, 'GET', '/v2/topology', {
      'x-forwarded-for': '127.0.0.1, 198.51.100.7',
    });
    expect(remote.status).toBe(401);
  });
});

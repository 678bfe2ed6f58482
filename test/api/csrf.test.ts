// Cross-site request forgery against /api, in the shapes the issue reported: the administrator's cancel from a page
// on another port of the same host, from a sibling sub-domain, as a form-encoded POST, and with no Origin but
// Sec-Fetch-Site: same-site — each carrying the victim's session cookie, as the browser attaches it (SameSite
// ignores ports and sub-domains). Real HTTP on a socket; headers as browsers send them:
//   Origin on every non-GET/HEAD request: https://fetch.spec.whatwg.org/#origin-header
//   Sec-Fetch-Site values: https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { DEMO_PASSWORD, draft } from './harness.ts';
import { type Listening, listen, sessionCookie } from './http.ts';

let h: Listening;
let proxied: Listening;
const CANCEL = '/api/ops/instances/2251799813685249/cancel';

async function signIn(app: Listening, username: string, origin: string, host?: string): Promise<string> {
  const res = await app.send('POST', '/api/session', {
    headers: {
      'content-type': 'application/json',
      origin,
      'sec-fetch-site': 'same-origin',
      ...(host ? { host } : {}),
    },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return sessionCookie(res);
}

// The operations routes exist only with an engine gateway; no engine answers at this address, so a request that
// passes the cross-site check ends in 503 — and one that does not never gets that far.
const noEngine = () =>
  CamundaProcessGateway.fromConfig(
    { restAddress: 'http://127.0.0.1:9', auth: { strategy: 'NONE' }, tenantId: null },
    { consistencyMs: 0 },
  );

beforeAll(async () => {
  h = await listen({ processes: noEngine() });
  // Behind a TLS-terminating proxy that forwards to the app under its own name.
  proxied = await listen({
    processes: noEngine(),
    config: { publicUrl: 'https://govit.yunfu.gov.cn' },
  });
});
afterAll(async () => {
  await h?.close();
  await proxied?.close();
});

describe('cross-site requests to /api', () => {
  it("refuses the administrator's cancel from a page on another port of the same host, with the admin's cookie", async () => {
    const cookie = await signIn(h, 'bureau.admin', h.url);
    const attack = await h.send('POST', CANCEL, {
      headers: {
        cookie,
        origin: 'http://127.0.0.1:9999',
        'sec-fetch-site': 'same-site',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ reason: 'csrf' }),
    });
    expect(attack.status).toBe(403);
    expect(attack.json()).toMatchObject({ type: '/problems/forbidden' });
    expect(attack.json().detail).toContain('http://127.0.0.1:9999');
    // the same request from the app's own page gets past the check, to the engine (which does not answer here)
    const own = await h.send('POST', CANCEL, {
      headers: { cookie, origin: h.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'own page' }),
    });
    expect(own.status).toBe(503);
  });

  it('refuses a form-encoded POST from another origin before it reaches the route, and changes nothing', async () => {
    const cookie = await signIn(h, 'gongan.staff', h.url);
    const before = (await h.send('GET', '/api/projects', { headers: { cookie } })).json();
    const attack = await h.send('POST', '/api/projects', {
      headers: {
        cookie,
        origin: 'http://127.0.0.1:9999',
        'sec-fetch-site': 'same-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'projectName=x',
    });
    expect(attack.status).toBe(403);
    const json = await h.send('POST', '/api/projects', {
      headers: { cookie, origin: 'http://127.0.0.1:9999', 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
    });
    expect(json.status).toBe(403);
    const after = (await h.send('GET', '/api/projects', { headers: { cookie } })).json();
    expect(after).toEqual(before);
    // and the same draft from the app's own page is created
    const own = await h.send('POST', '/api/projects', {
      headers: { cookie, origin: h.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
    });
    expect(own.status).toBe(201);
  });

  it('refuses a request with no Origin that the browser marks Sec-Fetch-Site: same-site', async () => {
    const cookie = await signIn(h, 'bureau.admin', h.url);
    const attack = await h.send('DELETE', '/api/session', {
      headers: { cookie, 'sec-fetch-site': 'same-site' },
    });
    expect(attack.status).toBe(403);
    // the session is still there: the forged sign-out did nothing
    expect((await h.send('GET', '/api/me', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a cookie-authenticated change that names no origin at all, but serves bearer-token clients', async () => {
    const cookie = await signIn(h, 'bureau.admin', h.url);
    const bare = await h.send('DELETE', '/api/session', { headers: { cookie } });
    expect(bare.status).toBe(403);
    expect(bare.json().detail).toContain('Authorization: Bearer');
    const login = await h.send('POST', '/api/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gongan.staff', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const created = await h.send('POST', '/api/projects', {
      headers: { authorization: `Bearer ${login.json().token}`, 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
    });
    expect(created.status).toBe(201);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const res = await h.send('POST', '/api/session', {
      headers: {
        'content-type': 'application/json',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify({ username: 'bureau.admin', password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('with PUBLIC_URL set, accepts only that origin: a sibling sub-domain is refused; the cookie is Secure', async () => {
    const publicUrl = 'https://govit.yunfu.gov.cn';
    const host = 'govit.yunfu.gov.cn';
    const login = await proxied.send('POST', '/api/session', {
      headers: {
        'content-type': 'application/json',
        origin: publicUrl,
        'sec-fetch-site': 'same-origin',
        host,
      },
      body: JSON.stringify({ username: 'bureau.admin', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).join('\n');
    expect(setCookie).toMatch(/yunfu_session=[^;]+;.*Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = sessionCookie(login);
    const sibling = await proxied.send('POST', CANCEL, {
      headers: {
        cookie,
        host,
        origin: 'https://evil.yunfu.gov.cn',
        'sec-fetch-site': 'same-site',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(sibling.status).toBe(403);
    // the app's own address as the proxy forwards it (http, another host) is not the public origin either
    const internal = await proxied.send('POST', CANCEL, {
      headers: { cookie, host, origin: `http://${host}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(internal.status).toBe(403);
    const own = await proxied.send('POST', CANCEL, {
      headers: {
        cookie,
        host,
        origin: publicUrl,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(own.status).toBe(503);
  });
});

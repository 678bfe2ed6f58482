// Authentication: local accounts with scrypt hashes, expiring sessions (bearer token or cookie), logout (the sign-in
// throttle is in login-throttle.test.ts), and no secrets in the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Harness, problemOf, startHarness } from './harness.ts';

describe('signing in and out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('signs in with a password and answers who I am, by bearer token or by the session cookie', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'gongan.staff', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const { token, account } = res.json();
    expect(account).toMatchObject({
      tenantId: 'yunfu',
      username: 'gongan.staff',
      roles: ['unit-staff'],
      unitId: 'gongan',
      unitName: '云浮市公安局',
      groups: ['unit-gongan'],
    });
    const cookie = res.cookies.find((c) => c.name === 'yunfu_session');
    expect(cookie).toMatchObject({ value: token, httpOnly: true, sameSite: 'Strict' });
    const byBearer = await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) });
    expect(byBearer.json().username).toBe('gongan.staff');
    const byCookie = await h.app.inject({ method: 'GET', url: '/api/me', cookies: { yunfu_session: token } });
    expect(byCookie.json().username).toBe('gongan.staff');
  });

  it("names the 责任科室's own candidate group for a section account, as the task list checks it (G-6)", async () => {
    const token = await h.login('gongan.section');
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) });
    expect(me.json().groups).toEqual(['unit-gongan', 'unit-section-gongan']);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'bureau.admin', password: 'not-it' },
    });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nobody', password: 'not-it' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(problemOf(wrong).detail).toBe(problemOf(unknown).detail);
  });

  it('refuses every request without a session, and one with an expired session', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/projects' })).statusCode).toBe(401);
    const token = await h.login('jiaoyu.staff');
    expect((await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) })).statusCode).toBe(
      200,
    );
    const start = h.clock.now;
    try {
      h.clock.now = new Date(start.getTime() + 8 * 3600_000); // the session lasts 8 hours
      const expired = await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) });
      expect(expired.statusCode).toBe(401);
      expect(problemOf(expired).detail).toMatch(/会话已过期/);
    } finally {
      h.clock.now = start;
    }
  });

  it('ends the session on logout', async () => {
    const token = await h.login('gongan.section');
    const out = await h.app.inject({ method: 'DELETE', url: '/api/session', headers: h.as(token) });
    expect(out.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) })).statusCode).toBe(
      401,
    );
  });

  it('writes no password, token or cookie to the log, and puts the request id on every line and in problems', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'finance', password: DEMO_PASSWORD },
      headers: { 'x-request-id': 'trace-0123456789' },
    });
    const token = res.json().token as string;
    await h.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: h.as(token),
      cookies: { yunfu_session: token },
    });
    const bad = await h.app.inject({ method: 'GET', url: '/api/projects?page=0', headers: h.as(token) });
    expect(bad.headers['x-request-id']).toBe(problemOf(bad).requestId);
    const all = h.logs.join('');
    expect(all).not.toContain(DEMO_PASSWORD);
    expect(all).not.toContain(token);
    const lines = h.logs.map((l) => JSON.parse(l));
    // the caller's id is kept for correlation, but the id the server records is its own
    const traced = lines.filter((l) => l.clientRequestId === 'trace-0123456789');
    expect(traced.length).toBeGreaterThanOrEqual(2);
    expect(traced.every((l) => typeof l.reqId === 'string' && l.reqId !== 'trace-0123456789')).toBe(true);
    expect(lines.filter((l) => l.req || l.res).every((l) => typeof l.reqId === 'string')).toBe(true);
  });
});

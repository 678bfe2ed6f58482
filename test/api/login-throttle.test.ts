// Sign-in throttling over real HTTP: per-account delays that grow but never lock the owner out (nobody can lock an
// account by failing on purpose), a per-client limit that does not shut out other clients, and the client address
// taken from X-Forwarded-For only when TRUST_PROXY names the proxy (https://fastify.dev/docs/latest/Reference/Server/#trustproxy).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../src/app/auth/login-throttle.ts';
import { DEMO_PASSWORD } from './harness.ts';
import { type Listening, listen } from './http.ts';

let h: Listening | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const signIn = (app: Listening, username: string, password: string, headers: Record<string, string> = {}) =>
  app.send('POST', '/api/session', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });

function later(app: Listening, seconds: number): void {
  app.clock.now = new Date(app.clock.now.getTime() + seconds * 1000);
}

describe('sign-in throttling', () => {
  it('makes guesses at one account wait ever longer, up to a cap, and tells the person how long', async () => {
    h = await listen();
    for (let i = 0; i < DEFAULT_THROTTLE.freeFailures; i++)
      expect((await signIn(h, 'citygov', 'guess')).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = await signIn(h, 'citygov', DEMO_PASSWORD); // even the right password waits its turn
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      expect(refused.json()).toMatchObject({
        type: '/problems/too-many-requests',
        detail: `尝试次数过多，请 ${wait} 秒后再试`,
      });
      waits.push(wait);
      later(h, wait);
      expect((await signIn(h, 'citygov', 'guess')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('lets the owner in after at most the cap although someone keeps failing on their name, and then resets', async () => {
    h = await listen({ config: { trustProxy: ['127.0.0.1'] } });
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    const owner = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 12; i++) {
      await signIn(h, 'finance', 'guess', attacker);
      later(h, 31);
    }
    expect((await signIn(h, 'finance', 'guess', attacker)).status).toBe(401);
    const waiting = await signIn(h, 'finance', DEMO_PASSWORD, owner);
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(DEFAULT_THROTTLE.maxDelaySeconds);
    later(h, DEFAULT_THROTTLE.maxDelaySeconds);
    expect((await signIn(h, 'finance', DEMO_PASSWORD, owner)).status).toBe(200);
    // the success cleared the account's failures: a slip of the owner's is an ordinary 401 again
    expect((await signIn(h, 'finance', 'typo', owner)).status).toBe(401);
    expect((await signIn(h, 'finance', DEMO_PASSWORD, owner)).status).toBe(200);
    // and other accounts were never affected
    expect((await signIn(h, 'expert', DEMO_PASSWORD, attacker)).status).toBe(200);
  });

  it('limits one client address across accounts without shutting out other clients behind the proxy', async () => {
    h = await listen({
      config: { trustProxy: ['127.0.0.1'] },
      throttle: { ...DEFAULT_THROTTLE, maxAddressFailures: 10 },
    });
    const sprayer = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 10; i++) expect((await signIn(h, `nobody-${i}`, 'guess', sprayer)).status).toBe(401);
    const refused = await signIn(h, 'supervisor', DEMO_PASSWORD, sprayer);
    expect(refused.status).toBe(429);
    expect(refused.json().detail).toBe('尝试次数过多，请 15 分钟后再试');
    // a colleague behind the same proxy, another client address, signs in
    expect((await signIn(h, 'supervisor', DEMO_PASSWORD, { 'x-forwarded-for': '203.0.113.10' })).status).toBe(
      200,
    );
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the sender: a client cannot pick a fresh address per try', async () => {
    h = await listen({ throttle: { ...DEFAULT_THROTTLE, maxAddressFailures: 10 } });
    for (let i = 0; i < 10; i++)
      await signIn(h, `nobody-${i}`, 'guess', { 'x-forwarded-for': `203.0.113.${i}` });
    const refused = await signIn(h, 'supervisor', DEMO_PASSWORD, { 'x-forwarded-for': '198.51.100.1' });
    expect(refused.status).toBe(429);
  });

  it('by default tolerates far more failures from one address than one office forgets passwords', () => {
    expect(DEFAULT_THROTTLE.maxAddressFailures).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_THROTTLE.maxDelaySeconds).toBeLessThanOrEqual(60);
  });
});

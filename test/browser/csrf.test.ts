// Cross-site request forgery in a real browser (issue 12 §1): the administrator is signed in to the app as
// `npm start` runs it; a page on another port of the same host — same-site, so Chromium attaches the SameSite=Strict
// session cookie (shown with a GET of /api/me) — tries the administrator's "cancel process instance" with a no-cors fetch and with an
// auto-submitted form. Both reach the server with the cookie and are refused by the Origin check; the instance stays
// active, and the same cancel from the app's own page works. Also: a throttled sign-in shows how long to wait.
//   SameSite and "site" (ports do not count): https://developer.mozilla.org/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value
//   Sec-Fetch-Site: https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  PASSWORD,
  type RunningApp,
  signIn,
  startApp,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let attacker: Server;
let attackerUrl = '';
let instanceKey = '';

async function instanceState(): Promise<string> {
  const res = await app.v2('GET', `/process-instances/${instanceKey}`);
  return (res.json as { state: string }).state;
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('cross-site requests in chromium', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    const started = await app.v2('POST', '/process-instances', {
      processDefinitionId: 'annual-plan-filing',
      variables: { tenantId: 'yunfu', planYear: 2028 },
    });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    instanceKey = String((started.json as { processInstanceKey: string }).processInstanceKey);
    const target = `${app.url}/api/ops/instances/${instanceKey}/cancel`;
    // The attacker's pages, served from another port of 127.0.0.1.
    attacker = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/me')
        res.end(
          `<script>fetch(${JSON.stringify(`${app.url}/api/me`)}, { mode: 'no-cors', credentials: 'include' })</script>`,
        );
      else if (req.url === '/fetch')
        res.end(
          `<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include' })</script>`,
        );
      else
        res.end(
          `<form method="POST" action="${target}" enctype="text/plain"><input name="x" value="y"></form><script>document.forms[0].submit()</script>`,
        );
    });
    await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', ok));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
    browser = await launchBrowser();
    page = await browser.newPage();
    await signIn(page, app.url, 'bureau.admin');
  }, 90_000);

  afterAll(async () => {
    attacker?.close();
    await browser?.close();
    await app?.stop();
  });

  /** Opens the attacker's page; resolves with the app's answer to the request to `endsWith` (the body when the
   * browser keeps it: a navigation's, not an opaque no-cors response's). */
  async function attack(path: string, endsWith: string): Promise<{ status: number; body: string | null }> {
    const evil = await browser.newPage();
    try {
      const seen = evil.waitForResponse((r) => r.url().endsWith(endsWith));
      await evil.goto(`${attackerUrl}${path}`);
      const response = await seen;
      const status = response.status();
      return { status, body: await response.text().catch(() => null) };
    } finally {
      await evil.close();
    }
  }

  it("refuses the administrator's cancel sent by a page on another port, although the cookie goes with it", async () => {
    // the session cookie goes with a request from another port: SameSite=Strict does not stop it (same site)
    const me = await attack('/me', '/api/me');
    expect(me.status).toBe(200);
    const cancel = `/instances/${instanceKey}/cancel`;
    for (const path of ['/fetch', '/form']) {
      const res = await attack(path, cancel);
      expect(res.status, path).toBe(403);
      if (path === '/form')
        expect(JSON.parse(res.body ?? '{}').detail).toContain(`请求来源 ${attackerUrl} 不是本系统`);
    }
    expect(await instanceState()).toBe('ACTIVE');
  }, 60_000);

  it('lets the same cancel through from the app’s own page', async () => {
    await page.goto(app.url);
    const status = await page.evaluate(async (key) => {
      const res = await fetch(`/api/ops/instances/${key}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: '浏览器测试：本站页面取消' }),
      });
      return res.status;
    }, instanceKey);
    expect(status).toBe(200);
    expect(await instanceState()).toBe('TERMINATED');
  }, 30_000);

  it('tells a throttled person on the sign-in page how many seconds to wait', async () => {
    const login = await browser.newPage();
    try {
      await login.goto(`${app.url}/#/login`);
      await login.getByLabel('用户名').fill('finance');
      await login.getByLabel('密码').fill(PASSWORD);
      // someone else keeps failing on this account, waiting out each delay: after six failures the next try waits 8 s
      await login.evaluate(async () => {
        let failures = 0;
        while (failures < 6) {
          const res = await fetch('/api/session', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ tenantId: 'yunfu', username: 'finance', password: 'wrong-guess' }),
          });
          if (res.status === 401) failures++;
          else await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000 + 100));
        }
      });
      await login.getByRole('button', { name: '登录' }).click();
      await login.getByText(/尝试次数过多，请 [1-8] 秒后再试/).waitFor({ timeout: 10_000 });
    } finally {
      await login.close();
    }
  }, 30_000);
});

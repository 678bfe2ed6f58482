// The browser tests' stack: the real app as a newcomer runs it (`node --import tsx src/main.ts` on a fresh
// DATA_DIR and a free loopback port: embedded engine, /v2, /api, workers, pages), the demo accounts seeded by
// `src/demo.ts`, and Debian's chromium driven by playwright-core with a fresh profile. Every request the browser
// makes is recorded, so a test can prove that none leaves 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = join(ROOT, 'test-results', 'browser');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'Yunfu-demo-2026';

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? ok(out) : fail(new Error(`${args.join(' ')} exited ${code}: ${out}`)),
    );
  });
}

export interface RunningApp {
  url: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Seeds the demo Units and accounts (`src/demo.ts --accounts-only`) into this app's DATA_DIR. */
  seed(): Promise<void>;
  /** POST/GET on the embedded engine's /v2 (loopback: no credentials), as an integration behind the API would. */
  v2(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export async function startApp(): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-browser-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DEMO_PASSWORD: PASSWORD,
  };
  delete env.CAMUNDA_REST_ADDRESS;
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the app did not start in 60 s:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the app exited with ${code}:\n${log}`));
    });
  });
  // Keep draining the output so the child never blocks on a full pipe.
  child.stdout!.removeAllListeners('data');
  child.stdout!.on('data', () => {});

  return {
    url,
    dataDir,
    env,
    // Only the Units and accounts: the year of demo data would drive the engine file the running app holds.
    seed: async () => {
      await run(['--import', 'tsx', 'src/demo.ts', '--accounts-only'], env);
    },
    v2: async (method, path, body) => {
      const res = await fetch(`${url}/v2${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser requested, across all pages. */
  requests: string[];
  /** Uncaught page errors and console errors other than the HTTP statuses the pages expect (401 before sign-in). */
  errors: string[];
  newPage(width?: number): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'yunfu-chromium-'));
  mkdirSync(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => {
    requests.push(r.url());
  });
  const watch = (page: Page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|404|409|422)/.test(m.text()))
        errors.push(`console: ${m.text()}`);
    });
    // confirm() before a submission, prompt() for a cancellation reason.
    page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? '浏览器测试：取消' : undefined));
  };
  for (const page of context.pages()) watch(page);
  return {
    context,
    requests,
    errors,
    newPage: async (width = 1280) => {
      const page = await context.newPage();
      watch(page);
      await page.setViewportSize({ width, height: 900 });
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page; resolves once the shell shows the account. */
export async function signIn(page: Page, url: string, username: string, tenant = 'yunfu'): Promise<void> {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('所属地区').selectOption(tenant);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** How far the page is wider than the viewport (0: no horizontal overflow). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string: this file is type-checked without the DOM library.
  return Number(
    await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
}

/** Polls `read` until `ok` holds (the workers and the engine run asynchronously). */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the shell has rendered the route with its data (<main aria-busy> is set until then). */
export async function settled(p: Page): Promise<void> {
  await p.locator('main:not([aria-busy])').waitFor({ state: 'attached' });
  await p.locator('main h1').first().waitFor();
}

/** Reloads the current route until `text` shows (the engine and the workers run asynchronously). */
export async function waitForText(p: Page, text: string, timeoutMs = 20_000): Promise<void> {
  await until(
    async () => {
      // The shell re-renders the route; <main aria-busy> is set until the view has its data.
      await p.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
      await settled(p);
      return p.getByText(text, { exact: false }).count();
    },
    (n) => n > 0,
    timeoutMs,
  );
}

// Without Debian's chromium (a developer machine that has not run .ci/run) the suite is skipped; in CI, where .ci/run

/**
 * Types into a form-js field and pauses as a person does between fields. (form-js debounces a text field's change
 * by 300 ms and lost what was typed when the form rendered in between; the task page now turns that debounce off —
 * form-zh.js, proven by send-backs.test.ts, which types without pausing.)
 */
export async function fillFormField(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.page().waitForTimeout(400);
}

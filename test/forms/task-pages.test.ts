// PRO-2 in the pages, in chromium against the app as `npm start` runs it: 初核 returns the application; the Unit
// opens 补正申请材料 and finds its service lines already in the form (subtypes shown in Chinese), corrects an amount
// and submits; 初核 is back with the Bureau. Then 造价审核 fails and the Unit answers with 根据造价审核意见修改方案;
// 造价审核 is back with the cost reviewer. The project is created and submitted through /api (the pages' own
// walk of that is test/browser/pages.test.ts); every task here is done on its task page.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalDraft } from '../api-process/stack.ts';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  PASSWORD,
  type RunningApp,
  shot,
  signIn,
  signOut,
  startApp,
  until,
} from '../browser/support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let projectId = '';

async function api(token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Signs in, waits for the task of the project in the list and opens its page. */
async function openTask(user: string, task: string): Promise<void> {
  await signIn(page, app.url, user);
  await page.goto(`${app.url}/#/tasks`);
  const link = page.locator('tr', { hasText: projectId }).getByRole('link', { name: task, exact: true });
  await until(
    async () => {
      await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
      await page.locator('main:not([aria-busy])').waitFor({ state: 'attached' });
      return link.count();
    },
    (n) => n === 1,
    30_000,
  );
  await link.click();
  await page.locator('.fjs-form').waitFor();
}

/**
 * Types into a form-js field as a person does. form-js debounces a text field's change (about 300 ms): a value
 * typed into the next field within that time is overwritten when the first change re-renders the form.
 */
async function type(label: string, value: string, nth = 0): Promise<void> {
  await page.getByLabel(label).nth(nth).fill(value);
  await page.waitForTimeout(400);
}

async function submitTask(task: string): Promise<void> {
  await page.getByRole('button', { name: '提交办理' }).click();
  const refused = page.locator('.form-errors:not([hidden])');
  await Promise.race([page.getByRole('heading', { name: '任务列表' }).waitFor(), refused.waitFor()]);
  if (await refused.count()) {
    const fields = await page.locator('.fjs-form-field-error').allTextContents();
    await shot(page, `forms-refused-${task}`);
    throw new Error(`${task} refused: ${await refused.textContent()} ${fields.join(' ')}`);
  }
  expect(await page.locator('#toast').textContent()).toBe(`已办理“${task}”`);
  await signOut(page);
}

/** The Unit's account files its annual plan (once) and submits a new professional project through `/api`. */
async function submitProject(): Promise<void> {
  const session = await api(null, 'POST', '/session', {
    tenantId: 'yunfu',
    username: 'gongan.staff',
    password: PASSWORD,
  });
  const token = session.json.token as string;
  const plans = await api(token, 'GET', '/annual-plans?planYear=2027');
  if ((plans.json as unknown as unknown[]).length === 0) {
    // G-6: outside a campaign the Unit's 责任科室 files the plan itself
    const section = await api(null, 'POST', '/session', {
      tenantId: 'yunfu',
      username: 'gongan.section',
      password: PASSWORD,
    });
    await api(section.json.token as string, 'POST', '/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
  }
  const created = await api(token, 'POST', '/projects', professionalDraft());
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  projectId = (created.json.project as { id: string }).id;
  const submitted = await api(token, 'POST', `/projects/${projectId}/submit`);
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(201);
}

/** G-6: the Unit's 责任科室 approves the submitted application on its task page; then it goes to the Bureau. */
async function sectionSignsOff(): Promise<void> {
  await openTask('gongan.section', '责任科室审核立项申请');
  await page.getByRole('radio', { name: '同意报送', exact: true }).check();
  await type('审核意见（退回的写明理由）', '同意报送。');
  await submitTask('责任科室审核立项申请');
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'a return for correction and a revision in the pages',
  () => {
    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      browser = await launchBrowser();
      page = await browser.newPage();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    it('初核 returns for correction; the Unit corrects its pre-filled lines on the page and 初核 is back', async () => {
      await submitProject();
      await sectionSignsOff();
      await openTask('bureau.reviewer', '初核');
      await page.getByRole('radio', { name: '退回补正', exact: true }).check();
      await type('初核意见', '监理费用偏高，请核减并说明。');
      await submitTask('初核');

      await openTask('gongan.staff', '补正申请材料');
      const form = page.locator('.fjs-form');
      expect(await form.textContent()).toContain('监理费用偏高，请核减并说明。');
      // The lines the project holds, subtypes and the served system in Chinese.
      expect(await page.getByLabel('金额（元）').count()).toBe(3);
      expect(await page.getByLabel('金额（元）').nth(0).inputValue()).toBe('1000000');
      const text = await form.textContent();
      expect(text).toContain('软件开发服务／专业软件开发服务');
      expect(text).toContain('第三方服务／监理');
      expect(text).toContain('第三方服务／测评');
      expect(text).toContain('专业软件');
      await type('金额（元）', '20000', 1);
      // No total to type: the totals are the lines' sums (IM-3, IM-4), shown to 初核 as 1,050,000 元.
      await type('项目方案概述', '警务数据汇聚、分析与指挥调度；核减监理费用。');
      await type('补正说明', '监理费用按市场价核减为 2 万元。');
      await shot(page, 'forms-01-correction');
      await submitTask('补正申请材料');
      expect(browser.errors).toEqual([]);

      await openTask('bureau.reviewer', '初核');
      // Issue 16: amounts in 元 with separators and the 万元 figure beside.
      expect(await page.locator('.fjs-form').textContent()).toContain('1,050,000 元（105 万元）');
      await page.getByRole('radio', { name: '通过', exact: true }).check();
      await type('初核意见', '补正后符合立项条件。');
      await submitTask('初核');
    }, 180_000);

    it('造价审核 fails; the Unit revises the plan on the page and 造价审核 is back', async () => {
      // Its own project, passed through 初核 on the page: this test runs alone (`vitest -t`).
      await submitProject();
      await sectionSignsOff();
      await openTask('bureau.reviewer', '初核');
      await page.getByRole('radio', { name: '通过', exact: true }).check();
      await type('初核意见', '符合立项条件。');
      await submitTask('初核');

      await openTask('cost.reviewer', '造价审核');
      await page.getByRole('radio', { name: '不通过', exact: true }).check();
      await type('审定金额（元）', '950000');
      await type('造价审核意见', '软件开发工作量偏高，建议核减 10 万元。');
      await submitTask('造价审核');

      await openTask('gongan.staff', '根据造价审核意见修改方案');
      expect(await page.locator('.fjs-form').textContent()).toContain('软件开发工作量偏高');
      // the project's own lines, pre-filled: 1,000,000 of software development, 30,000 of 监理 and 30,000 of 测评
      expect(await page.getByLabel('金额（元）').nth(1).inputValue()).toBe('30000');
      await type('金额（元）', '900000', 0);
      // The totals follow from the lines: 960,000 in all, 900,000 of it application software.
      await type('项目方案概述', '按造价审核意见核减软件开发工作量。');
      await type('修改说明', '软件开发费用核减为 90 万元。');
      await shot(page, 'forms-02-revision');
      await submitTask('根据造价审核意见修改方案');

      await openTask('cost.reviewer', '造价审核');
      expect(await page.locator('.fjs-form').textContent()).toContain('960,000 元（96 万元）');
      expect(browser.errors).toEqual([]);
    }, 180_000);
  },
);

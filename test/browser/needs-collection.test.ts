// PUB-1, G-5 in a real browser, against the app as `npm start` runs it: bureau.admin opens a public needs collection
// for two Units on its page (需求征集), each Unit answers in its own task through the rendered Camunda form
// (state-public-needs.form), the Bureau sees the answers on its page and consolidates them through its task's form
// (consolidate-public-plan.form) into a public project, which appears in the 项目库. Screenshots go to
// test-results/browser/.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Browser,
  CHROMIUM,
  fillFormField,
  launchBrowser,
  type RunningApp,
  settled,
  shot,
  signIn,
  signOut,
  startApp,
  until,
  waitForText,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;

/** Picks an option of a form-js select (a dropdown of its own, not a native <select>), as a person clicks it. */
async function pickOption(p: Page, label: string, option: string): Promise<void> {
  const input = p.locator('input.fjs-select-hidden-input').and(p.getByLabel(label));
  const count = await input.count();
  if (count !== 1) throw new Error(`${count} fields labelled ${label}`);
  await input.locator('xpath=..').click();
  await p.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
  await p.waitForTimeout(400);
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the Bureau’s public needs collection in chromium (PUB-1)',
  () => {
    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      browser = await launchBrowser();
    }, 90_000);
    beforeEach(async () => {
      await browser.context.clearCookies();
      page = await browser.newPage();
    });
    afterEach(async () => {
      await page.close();
      const origin = new URL(app.url).origin;
      expect(browser.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual(
        [],
      );
      expect(browser.errors).toEqual([]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    /** Opens the signed-in person's task by its name and waits for its Camunda form. */
    const openTask = async (name: string) => {
      await page.goto(`${app.url}/#/tasks`);
      const link = page.getByRole('link', { name, exact: true });
      await until(
        async () => {
          await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
          await settled(page);
          return link.count();
        },
        (n) => n >= 1,
      );
      await link.first().click();
      await page.locator('.fjs-form').waitFor();
    };
    const submitTask = async (name: string) => {
      await page.getByRole('button', { name: '提交办理' }).click();
      await page.getByRole('heading', { name: '任务列表' }).waitFor();
      expect(await page.locator('#toast').textContent()).toBe(`已办理“${name}”`);
    };

    it('the Bureau opens a collection for two Units, both answer, and the Bureau consolidates a public project', async () => {
      await signIn(page, app.url, 'bureau.admin');
      await page.getByRole('link', { name: '需求征集' }).click();
      await page.getByRole('heading', { name: '公共类需求征集' }).waitFor();
      await fillFormField(page.getByLabel('提出期限（工作日）'), '10');
      await page.getByLabel('向全部市直单位征集').uncheck();
      await page.getByLabel('云浮市公安局').check();
      await page.getByLabel('云浮市教育局').check();
      await shot(page, 'needs-01-open');
      await page.getByRole('button', { name: '发起征集' }).click();
      await waitForText(page, '已答复 0/2');
      const table = page.locator('table', { hasText: '各单位答复' }).first();
      expect(await table.locator('tbody tr').allTextContents()).toEqual([
        expect.stringContaining('待答复'),
        expect.stringContaining('待答复'),
      ]);
      await signOut(page);

      // Each Unit answers in its own task.
      await signIn(page, app.url, 'gongan.staff');
      await openTask('提出公共类服务需求');
      await page.getByRole('radio', { name: '有需求' }).check();
      await fillFormField(
        page.getByLabel('需求说明（服务内容、规模、期望时间）'),
        '警务视频云存储扩容 200 核。',
      );
      await fillFormField(page.getByLabel('估算金额（元）'), '800000');
      await shot(page, 'needs-02-unit-answers');
      await submitTask('提出公共类服务需求');
      await signOut(page);
      await signIn(page, app.url, 'jiaoyu.staff');
      await openTask('提出公共类服务需求');
      await page.getByRole('radio', { name: '无需求' }).check();
      await submitTask('提出公共类服务需求');
      await signOut(page);

      // The Bureau sees both answers, then consolidates in its task.
      await signIn(page, app.url, 'bureau.admin');
      await page.goto(`${app.url}/#/needs`);
      await waitForText(page, '已答复 2/2');
      expect(await page.locator('table', { hasText: '各单位答复' }).first().textContent()).toContain(
        '警务视频云存储扩容 200 核。',
      );
      await shot(page, 'needs-03-answers');
      await openTask('需求汇总、方案编制与预算编报');
      expect(await page.locator('.fjs-form').textContent()).toContain('警务视频云存储扩容 200 核。');
      await page.getByRole('radio', { name: '形成一个公共类服务项目（提交后可继续汇总下一个）' }).check();
      await pickOption(page, '项目归属单位（提出该需求的单位）', '云浮市公安局');
      await fillFormField(page.getByLabel('项目名称'), '全市政务云扩容');
      await fillFormField(
        page.getByLabel('项目方案概述（建设内容、服务方式、预期效果）'),
        '扩容政务云计算与存储资源。',
      );
      await page.getByLabel('已同步编制政务数据共享资源目录（PRO-1、AC-2）').check();
      await page.getByLabel('项目支持 IPv6（AC-2）').check();
      await pickOption(page, '服务类型', '基础设施服务');
      await pickOption(page, '服务子类', '基础设施服务／政务云');
      await fillFormField(page.getByRole('textbox', { name: '金额（元）', exact: true }), '800000');
      await shot(page, 'needs-04-consolidate');
      await submitTask('需求汇总、方案编制与预算编报');
      await openTask('需求汇总、方案编制与预算编报');
      await page.getByRole('radio', { name: '汇总结束，不再形成项目' }).check();
      await submitTask('需求汇总、方案编制与预算编报');

      await page.goto(`${app.url}/#/needs`);
      const link = page.getByRole('link', { name: /全市政务云扩容/ });
      await until(
        async () => {
          await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
          await settled(page);
          return link.count();
        },
        (n) => n === 1,
      );
      await shot(page, 'needs-05-project');
      await link.click();
      await waitForText(page, '全市政务云扩容');
      await waitForText(page, '公共类');
      await signOut(page);
    }, 240_000);
  },
);

// P-1 and issue 16 in chromium, against the app as `npm start` runs it: a Unit that has filed its 2027 plan is not
// offered the plan form for 2027 again — the page says it is filed, with its number, and links to the filing; the
// filing opens with its summary and projects; the Unit's staff is told the 责任科室 files a supplement; the section
// adds a 补充备案 there, numbered apart, and the filing lists it while the plan itself stays as filed.
// Screenshots: test-results/browser/plans-*.png.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSteps, apiSteps } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  type RunningApp,
  settled,
  shot,
  signIn,
  signOut,
  startApp,
} from './support.ts';

interface Plan {
  id: string;
  planYear: number;
  filingNumber: string;
  summary: string;
  supplements: Array<{ filingNumber: string; summary: string }>;
}

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let plan: Plan;
const planYear = new Date().getFullYear() + 1;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'a filed annual plan and its 补充备案 (P-1)',
  () => {
    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      steps = apiSteps(app);
      // Outside a campaign the Unit's 责任科室 files the plan itself (G-6).
      plan = (await steps.call('gongan.section', 'POST', '/annual-plans', {
        planYear,
        summary: `${planYear} 年度建设视频图像智能分析平台。`,
        projects: [{ name: '视频图像智能分析平台', estimatedAmount: 800_000 }],
      })) as Plan;
      browser = await launchBrowser();
      page = await browser.newPage();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    it('the staff is not offered the filed year again: the page names the filing and opens it', async () => {
      await signIn(page, app.url, 'gongan.staff');
      await page.getByRole('link', { name: '年度规划' }).click();
      await settled(page);
      const filed = page.getByRole('status').filter({ hasText: '已备案' });
      expect(await filed.textContent()).toContain(
        `本单位 ${planYear} 年度规划已备案（${plan.filingNumber}），不能重复报送。`,
      );
      expect(await page.getByLabel('规划概述').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: '报送备案' }).isDisabled()).toBe(true);
      // Another year is offered as before.
      await page.getByLabel('规划年度').fill(String(planYear + 1));
      expect(await page.getByLabel('规划概述').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: '报送备案' }).isDisabled()).toBe(false);
      await page.getByLabel('规划年度').fill(String(planYear));
      await shot(page, 'plans-1-already-filed');

      await filed.getByRole('link', { name: '查看备案及补充备案' }).click();
      await settled(page);
      expect(await page.locator('main h1').textContent()).toBe(`${planYear} 年度政务信息化规划备案`);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain(plan.filingNumber);
      expect(main).toContain('视频图像智能分析平台');
      expect(main).toContain('800,000');
      expect(main).toContain('补充备案须经本单位责任科室审核，由责任科室在此报送（G-6）。');
      expect(await page.getByRole('button', { name: '报送补充备案' }).count()).toBe(0);
      await signOut(page);
    }, 60_000);

    it('the 责任科室 adds a 补充备案: numbered apart, listed under the filing, the plan unchanged', async () => {
      await signIn(page, app.url, 'gongan.section');
      await page.goto(`${app.url}/#/plans`);
      await page.getByRole('link', { name: plan.filingNumber }).click();
      await settled(page);
      await page.getByRole('button', { name: '报送补充备案' }).click();
      expect(await page.locator('form .form-errors').textContent()).toContain('请更正标出的内容');
      await page.getByLabel('补充内容').fill('补充：政务外网接入升级纳入本年度规划。');
      await page.getByLabel('项目 1 名称').fill('政务外网接入升级');
      await page.getByLabel('项目 1 估算金额（元）').fill('150000');
      await page.getByRole('button', { name: '报送补充备案' }).click();
      await page.locator('#toast', { hasText: '已补充备案，备案号' }).waitFor();
      await settled(page);
      await page.locator('.supplements li').first().waitFor();
      await shot(page, 'plans-2-supplement');

      const detail = (await steps.call('finance', 'GET', `/annual-plans/${plan.id}`)) as Plan;
      expect(detail.summary).toBe(plan.summary);
      expect(detail.filingNumber).toBe(plan.filingNumber);
      expect(detail.supplements.map((s) => s.summary)).toEqual(['补充：政务外网接入升级纳入本年度规划。']);
      const [supplement] = detail.supplements;
      expect(supplement!.filingNumber).not.toBe(plan.filingNumber);
      const item = (await page.locator('.supplements li').first().textContent()) ?? '';
      expect(item).toContain(supplement!.filingNumber);
      expect(item).toContain('政务外网接入升级');
      expect(item).toContain('150,000');
      await signOut(page);
    }, 60_000);
  },
);

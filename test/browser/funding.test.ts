// G-3 in chromium against the app as `npm start` runs it: a Unit adds two funding lines on the application page
// (市级财政资金 and 中央（国家）资金), a draft with no city funds is refused with the rule's reason next to the
// funding lines, and the saved draft shows both lines with their amounts.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  CHROMIUM,
  fillFormField,
  launchBrowser,
  type RunningApp,
  shot,
  signIn,
  startApp,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('funding lines on the application page', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('adds two funding lines, is refused without city funds, and saves a co-funded draft', async () => {
    await signIn(page, app.url, 'gongan.staff');
    await page.getByRole('link', { name: '新建项目' }).click();
    await fillFormField(page.getByLabel('项目名称 *'), '云浮市中央资金配套警务平台');
    await page.getByLabel('否，非涉密项目').check();
    await page.getByLabel('服务类型').selectOption('software-development');
    await page.getByLabel('服务子类').selectOption('professional-software');
    await fillFormField(page.getByLabel('金额（元）'), '800000');

    // Two funding lines; first without any city funds: G-3 refuses, its reason next to the funding lines.
    await page.getByLabel('资金来源', { exact: true }).selectOption('provincial-fiscal');
    await fillFormField(page.getByLabel('出资额（元）'), '500000');
    await page.getByRole('button', { name: '＋ 添加一项资金来源' }).click();
    await page.getByLabel('资金来源', { exact: true }).nth(1).selectOption('national-fiscal');
    await fillFormField(page.getByLabel('出资额（元）').nth(1), '300000');
    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.locator('#fundingLines-err:not([hidden]), .form-errors:not([hidden])').first().waitFor();
    expect(await page.locator('form').textContent()).toContain('没有市级财政资金');

    await page.getByLabel('资金来源', { exact: true }).first().selectOption('city-fiscal');
    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.getByRole('heading', { name: '云浮市中央资金配套警务平台' }).waitFor();
    const shown = await page.locator('main').textContent();
    expect(shown).toContain('市级财政资金 500,000 元；中央（国家）资金 300,000 元');
    await shot(page, 'funding-lines-draft');

    const projectId = String(await page.evaluate('location.hash')).replace('#/projects/', '');
    const res = await page.evaluate(
      async (id) => (await fetch(`/api/projects/${id}`, { credentials: 'same-origin' })).json(),
      projectId,
    );
    expect((res as { fundingLines: unknown }).fundingLines).toEqual([
      { source: 'city-fiscal', amount: 500_000 },
      { source: 'national-fiscal', amount: 300_000 },
    ]);
    expect(browser.errors).toEqual([]);
  }, 120_000);
});

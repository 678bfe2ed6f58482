// Issue 16, honest dates, from the seats of the people who type them, in chromium against the app as `npm start`
// runs it. The Unit's staff files a delay on the project page: `03/20/2027` is refused with a message beside the
// field and nothing is sent, `2027年9月30日` is filed as that day. The API refuses a day that is not on the
// calendar with a 400 naming the field. The Bureau's reviewer registers the delay on the task page: the requested
// day reads 2027年9月30日 18:00, a typed `03/20/2027` or `2028/13/45` is refused with a message and blocks the
// submission (form-js's picker alone made 2027-01-01 and 2029-02-14 of them), `2027/10/8` is taken as 8 October.
// On the way, the Unit's project page names its rules as 云府办〔2024〕8号《…》 (the edition in force when it was initiated), not by the edition's id, and
// says who acts next on its filing: the Bureau's reviewers, since when, and the working days they have.
// Screenshots: test-results/browser/dates-*.png.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSteps, apiSteps } from './api-steps.ts';
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
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let projectId = '';

/** The delivery dates the Unit's delay filings put into the project's process (none until one is filed). */
const requestedDates = async () =>
  (
    (await app.v2('POST', '/variables/search', { filter: { name: 'requestedDeliveryDate' } })).json as {
      items: Array<{ value: string }>;
    }
  ).items.map((v) => JSON.parse(v.value) as string);

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('dates as people type them', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    steps = apiSteps(app);
    projectId = await steps.implementingWithChangeFiling();
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the API refuses a delivery date that is not a day, naming the field', async () => {
    for (const requestedDeliveryDate of [
      '2027-02-30T18:00:00+08:00',
      '2028-13-45T18:00:00+08:00',
      '03/20/2027',
    ]) {
      const problem = (await steps.call(
        'gongan.staff',
        'POST',
        `/projects/${projectId}/filings`,
        { kind: 'delay', delayReason: '设备到货延迟。', requestedDeliveryDate },
        400,
      )) as { errors: Array<{ field: string }> };
      expect(problem.errors.map((e) => e.field)).toEqual(['requestedDeliveryDate']);
    }
    expect(await requestedDates()).toEqual([]);
  });

  it('the Unit’s delay filing refuses 03/20/2027 on the page and files 2027年9月30日 as that day', async () => {
    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    // The rules the project is under, as people cite the measures rather than the edition's id.
    const facts = await page.locator('main').textContent();
    expect(facts).toContain('云府办〔2024〕8号《云浮市市级政务信息化项目管理办法》');
    expect(facts).not.toContain('yunfu-v1');
    // Its amounts in 元 with separators and the 万元 figure beside.
    expect(facts).toContain('800,000 元（80 万元）');
    await page.getByLabel('备案类型').selectOption('delay');
    await fillFormField(page.getByLabel('延期原因'), '设备到货延迟。');
    await fillFormField(page.getByLabel('申请的新交付日期'), '03/20/2027');
    await page.getByRole('button', { name: '提交备案' }).click();
    await page.getByText('“03/20/2027”不是有效日期', { exact: false }).first().waitFor();
    await shot(page, 'dates-01-unit-refused');
    expect(await requestedDates()).toEqual([]);

    await fillFormField(page.getByLabel('申请的新交付日期'), '2027年9月30日');
    await page.getByRole('button', { name: '提交备案' }).click();
    expect(await until(requestedDates, (d) => d.length === 1)).toEqual(['2027-09-30T18:00:00+08:00']);
    // G-6: the Unit's 责任科室 signs the filing off; only then does it reach the Bureau.
    await steps.complete('gongan.section', projectId, 'Task_SectionReviewDelayFiling', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送。',
    });
    // Who acts next: the Bureau's reviewers, since when, and the working days they have.
    const progress = page.locator('section', { has: page.getByRole('heading', { name: '当前进展' }) });
    await until(
      async () => {
        await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
        await settled(page);
        return progress.textContent();
      },
      (text) => Boolean(text?.includes('登记延期备案并确定新交付日期')),
    );
    const next = await progress.textContent();
    expect(next).toMatch(
      // SU-2: the Bureau's group as the edition in force today names the Bureau (云府办〔2024〕8号)
      /登记延期备案并确定新交付日期\s*剩余 \d+ 个工作日\s*由市政务服务和数据管理局审核人员办理，自 \d{4}年\d+月\d+日 \d{2}:\d{2} 起，\d{4}年\d+月\d+日 18:00到期/,
    );
    expect(next).not.toContain('以上环节由相应审核部门办理');
    await shot(page, 'dates-01b-unit-who-acts-next');
    await signOut(page);
  });

  it('the Bureau registers it on the task page: a typed date that is not a day is refused and not submitted', async () => {
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    const link = page
      .locator('tr', { hasText: projectId })
      .getByRole('link', { name: '登记延期备案并确定新交付日期', exact: true });
    await until(
      async () => {
        await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
        await settled(page);
        return link.count();
      },
      (n) => n === 1,
    );
    await link.click();
    const form = page.locator('.fjs-form');
    await form.waitFor();
    expect(await form.textContent()).toContain('2027年9月30日 18:00');
    expect(await form.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    const date = page.getByLabel('备案确定的新交付日期');
    for (const typed of ['03/20/2027', '2028/13/45']) {
      await fillFormField(date, typed);
      await date.press('Tab');
      await page.getByText(`“${typed}”不是有效日期`, { exact: false }).first().waitFor();
    }
    await fillFormField(page.getByLabel('备案登记意见'), '同意延期。');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.waitForTimeout(500);
    await shot(page, 'dates-02-bureau-refused');
    // Still the task page: nothing was sent.
    expect(await page.locator('.form-errors').textContent()).toContain('“2028/13/45”不是有效日期');
    expect(await form.count()).toBe(1);
    // The text stays as typed: not read by the picker as another day behind the message.
    expect(await date.inputValue()).toBe('2028/13/45');

    await fillFormField(date, '2027/10/8');
    await date.press('Tab');
    await page.waitForTimeout(400);
    expect(await page.locator('.form-errors').isVisible()).toBe(false);
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    const variables = await until(
      async () =>
        (await app.v2('POST', '/variables/search', { filter: { name: 'deliveryDate' } })).json as {
          items: Array<{ value: string }>;
        },
      (r) => r.items.some((v) => v.value.includes('2027-10-08')),
    );
    expect(variables.items.map((v) => v.value)).not.toContainEqual(
      expect.stringMatching(/2027-01-01|2029-02-14/),
    );
    expect(browser.errors).toEqual([]);
  });
});

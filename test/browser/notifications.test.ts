// Issue 16, the notification centre from the seats of the people concerned, in chromium against the app as
// `npm start` runs it. The Bureau's reviewer returns the 市公安局's application for correction on the task page
// (initial-check.form rendered by form-js); the Unit's staff then sees the unread count in the header, the notice
// in the list — decision, opinion and the correction deadline as a Chinese date, no ISO date — beside the notice
// of another project's 初核 passed, marks the first read, then all, and the count is gone; the project's timeline
// shows 退回补正 and the opinion at 初核, and the automated steps (计算补正期限…) only when asked for. Another Unit's staff is not told. Screenshots:
// test-results/browser/notifications-*.png.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMails, listOutbox, markMailFailed } from '../../src/store/mail-outbox.ts';
import { Store } from '../../src/store/store.ts';
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
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let projectId = '';
let passedId = '';

const badge = () => page.locator('.notify-link .notify-count');

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the notification centre (issue 16)', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    steps = apiSteps(app);
    projectId = await steps.submitted();
    // A second project whose 初核 the reviewer passes (through /api, with the form's values): a second notice.
    passedId = await steps.initialCheckPassed();
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the Bureau reviewer returns the application for correction on the task page', async () => {
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    const row = page.locator('tr', { hasText: projectId });
    await row.getByRole('link', { name: '初核' }).click();
    await page.locator('.fjs-form').waitFor();
    await page.getByRole('radio', { name: '退回补正', exact: true }).check();
    await fillFormField(page.getByLabel('初核意见'), '请补充等保测评方案并核减监理费用。');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    expect(await page.locator('#toast').textContent()).toBe('已办理“初核”');
    await signOut(page);
  }, 60_000);

  it("the Unit's staff sees the count, reads the notice with its deadline in Chinese, and marks all read", async () => {
    // The deadline the engine holds on the Unit's correction task, as /api gives it to the Unit.
    const correction = (
      (await steps.call('gongan.staff', 'GET', `/tasks?projectId=${projectId}`)) as {
        items: Array<{ elementId: string; dueDate: string }>;
      }
    ).items.find((t) => t.elementId === 'Task_CorrectApplication');
    expect(correction?.dueDate).toBeTruthy();
    const due = new Date(correction!.dueDate);
    const zh = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    }).formatToParts(due);
    const part = (t: string) => Number(zh.find((p) => p.type === t)!.value);
    const dueDay = `${part('year')}年${part('month')}月${part('day')}日`;

    await signIn(page, app.url, 'gongan.staff');
    await badge().waitFor();
    const before = Number(await badge().textContent());
    expect(before).toBe(2);
    expect(await page.locator('.notify-link').getAttribute('aria-label')).toBe(`通知，${before} 条未读`);
    await shot(page, 'notifications-01-unit-header');

    await page.locator('.notify-link').click();
    await settled(page);
    const notice = page.locator('li.notification', { hasText: '初核：退回补正' });
    await notice.waitFor();
    const text = String(await notice.textContent());
    expect(text).toContain('初核意见：请补充等保测评方案并核减监理费用。');
    expect(text).toContain(`请于${dueDay}`);
    expect(text).toContain('前补正申请材料');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await notice.locator('.badge').textContent()).toBe('未读');
    await shot(page, 'notifications-02-unit-list');

    const passed = page.locator('li.notification', { hasText: passedId });
    expect(await passed.locator('strong').textContent()).toContain('初核：通过');

    await notice.getByRole('button', { name: '标为已读' }).click();
    await page
      .locator('li.notification.unread', { hasText: '初核：退回补正' })
      .waitFor({ state: 'detached' });
    await page.locator('.notify-count', { hasText: '1' }).waitFor();
    expect(await passed.locator('.badge').textContent()).toBe('未读');

    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.locator('#toast', { hasText: '已将 1 条通知标为已读' }).waitFor();
    await badge().waitFor({ state: 'hidden' });
    // the list redraws after the toast: wait for it, then nothing is unread
    await page.locator('li.notification.unread').first().waitFor({ state: 'detached' });
    expect(await page.locator('li.notification.unread').count()).toBe(0);
    expect(await page.locator('li.notification').count()).toBe(2);
    expect(await page.getByRole('button', { name: '全部标为已读' }).isDisabled()).toBe(true);
    await shot(page, 'notifications-03-unit-all-read');

    // the project's timeline shows the decision at 初核, not the automated steps (those on request)
    await notice.getByRole('link', { name: '查看项目' }).click();
    await settled(page);
    const timeline = page.locator('ol.timeline');
    const step = timeline.locator('li', { hasText: '初核：完成' });
    await step.waitFor();
    expect(await step.locator('.tl-choice').textContent()).toBe('退回补正');
    expect(await step.locator('.tl-decision').textContent()).toContain(
      '初核意见：请补充等保测评方案并核减监理费用',
    );
    expect(await timeline.locator('li', { hasText: '计算补正期限' }).count()).toBe(0);
    expect(await timeline.locator('li', { hasText: '计算初核期限' }).count()).toBe(0);
    await shot(page, 'notifications-03b-unit-timeline');
    await page.getByLabel('显示全部流程步骤（包括自动处理的每一步）').check();
    expect(await timeline.locator('li', { hasText: '计算补正期限' }).count()).toBeGreaterThan(0);
    await signOut(page);
  }, 60_000);

  it("another Unit's staff is not told about the 市公安局's project", async () => {
    await signIn(page, app.url, 'jiaoyu.staff');
    await page.goto(`${app.url}/#/notifications`);
    await settled(page);
    expect(await page.locator('li.notification', { hasText: projectId }).count()).toBe(0);
    expect(await page.locator('li.notification', { hasText: '初核：退回补正' }).count()).toBe(0);
    await shot(page, 'notifications-04-other-unit');
    await signOut(page);
    expect(browser.errors).toEqual([]);
  });

  it('the staff sets the address its notices are e-mailed to; a malformed one is named beside the field', async () => {
    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/notifications`);
    await settled(page);
    const email = page.getByLabel('接收通知的电子邮箱');
    await email.fill('staff at gongan');
    await page.getByRole('button', { name: '保存邮箱' }).click();
    await page.locator('.field-error', { hasText: '请填写有效的电子邮箱' }).waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('staff@gongan.test');
    await page.getByRole('button', { name: '保存邮箱' }).click();
    await page.locator('#toast', { hasText: '通知将同时发送到 staff@gongan.test' }).waitFor();
    await shot(page, 'notifications-05-email');
    expect(((await steps.call('gongan.staff', 'GET', '/me')) as { email: string }).email).toBe(
      'staff@gongan.test',
    );
    // the refusal of the malformed address is the one failed request the console saw
    expect(browser.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    browser.errors.length = 0;
    await signOut(page);
  });

  it('the Bureau’s administrator sees a mail that could not be delivered and sends it again with a reason', async () => {
    // The situation, as the outbox leaves it after the mail server refused every attempt (test/api/mail-admin.test.ts
    // produces it over real SMTP): one failed mail with the server's last answer.
    const store = await Store.open({ databaseUrl: null, dataDir: app.dataDir });
    let mailId = '';
    try {
      await store.transaction(async (tx) => {
        await enqueueMails(tx, {
          tenantId: 'yunfu',
          to: ['staff@gongan.test'],
          subject: '初核：退回补正',
          body: '项目的初核已办理。',
          createdAt: new Date().toISOString(),
        });
      });
      mailId = (await listOutbox(store.db, 'yunfu'))[0]!.id;
      await markMailFailed(store.db, mailId, '550 mailbox unavailable', null);
    } finally {
      await store.close();
    }
    await signIn(page, app.url, 'bureau.admin');
    await page.goto(`${app.url}/#/ops`);
    await settled(page);
    const row = page.locator(`tr[data-mail-id="${mailId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('550 mailbox unavailable');
    await shot(page, 'notifications-06-failed-mail');
    await row.getByRole('button', { name: '重新发送：初核：退回补正' }).click();
    await row.getByLabel('重新发送给 staff@gongan.test 的原因').fill('收件人邮箱已更正');
    await row.getByRole('button', { name: '确认重新发送' }).click();
    await page.locator('#toast', { hasText: '已重新发送给 staff@gongan.test' }).waitFor();
    await page.locator(`tr[data-mail-id="${mailId}"]`).waitFor({ state: 'detached' });
    await signOut(page);
    expect(browser.errors).toEqual([]);
  });
});

// Issue #15 §3 in a real browser, against the app as `npm start` runs it: the Bureau reviewer searches the task list
// by project name, sets a task's priority and follow-up date and sorts the list by priority, and hands the task to
// a colleague of the same group through the dialog; the expert opens the project they review (and its plan), and
// reads the task's history (who completed 初核, what they decided) and its variables. What comes before each part
// is done through /api by the same people (api-steps.ts). Screenshots go to test-results/browser/.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/auth/passwords.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { Store } from '../../src/store/store.ts';
import { type ApiSteps, apiSteps, PROJECT } from './api-steps.ts';
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
  waitForText,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;

type Task = { userTaskKey: string; projectId: string; elementId: string; assignee: string | null };

/** A 专业类 project named `name`, submitted by the Unit, its 初核 in the Bureau reviewer's inbox. */
async function awaitingInitialCheck(name: string): Promise<string> {
  const created = (await steps.call('gongan.staff', 'POST', '/projects', {
    projectName: name,
    description: '',
    planYear: 2027,
    fundingSource: 'city-fiscal',
    classified: false,
    hasDataCatalogue: true,
    supportsIpv6: true,
    serviceLines: [
      { serviceType: 'software-development', subType: 'professional-software', amount: 800_000 },
    ],
  })) as { project: { id: string } };
  const id = created.project.id;
  await steps.call('gongan.staff', 'POST', `/projects/${id}/submit`);
  // G-6: the Unit's 责任科室 sends it on to the Bureau
  await steps.complete('gongan.section', id, 'Task_SectionReview', {
    sectionDecision: 'approve',
    sectionOpinion: '同意报送。',
  });
  await until(
    async () =>
      ((await steps.call('bureau.reviewer', 'GET', `/tasks?projectId=${id}`)) as { items: Task[] }).items,
    (items) => items.some((i) => i.elementId === 'Task_InitialCheck'),
  );
  return id;
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the reviewers’ task list in chromium', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    // a second reviewer of the Bureau, the colleague a task is handed to
    const store = await Store.open({ databaseUrl: null, dataDir: app.dataDir });
    const passwordHash = await hashPassword(PASSWORD);
    await store.transaction((tx) =>
      createAccount(tx, {
        tenantId: 'yunfu',
        username: 'bureau.reviewer2',
        displayName: '市政数局审核员二',
        passwordHash,
        roles: ['bureau-reviewer'],
      }),
    );
    await store.close();
    steps = apiSteps(app);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the Bureau reviewer searches by project name, sets priority and follow-up, sorts, and hands a task on', async () => {
    const estate = await awaitingInitialCheck('云浮市不动产登记平台');
    const traffic = await awaitingInitialCheck('云浮市智慧交通平台');
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    await page.locator('tr', { hasText: traffic }).waitFor();
    await page.getByLabel('项目').fill('不动产');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/q=/);
    await page.locator('tr', { hasText: estate }).waitFor();
    expect(await page.locator('tr', { hasText: traffic }).count()).toBe(0);
    await waitForText(page, '共 1 项任务');
    await shot(page, 'tasklist-01-search');

    // the 交通 project's 初核: priority 90 and a follow-up date, on its page
    await page.goto(`${app.url}/#/tasks`);
    await page.locator('tr', { hasText: traffic }).getByRole('link', { name: '初核' }).click();
    await page.getByLabel('优先级（0–100）').fill('90');
    await page.getByLabel('跟进日期', { exact: true }).fill('2026-12-07');
    await page.getByRole('button', { name: '保存' }).click();
    await waitForText(page, '紧急（90）');
    await waitForText(page, '2026年12月7日');
    const key = page.url().split('/').pop()!;
    const me = (await steps.call('bureau.reviewer', 'GET', `/tasks/${key}`)) as {
      task: { priority: number; followUpDate: string };
    };
    expect(me.task).toMatchObject({ priority: 90, followUpDate: '2026-12-07T01:00:00.000Z' });

    // sorted by priority, the 交通 task comes first
    await page.goto(`${app.url}/#/tasks`);
    await page.getByLabel('排序').selectOption('priority');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/sort=priority/);
    await page.locator('tbody tr').first().filter({ hasText: traffic }).waitFor();
    expect(await page.locator('tbody tr').first().textContent()).toContain('紧急（90）');
    await shot(page, 'tasklist-02-sorted-by-priority');

    // handed to the colleague through the dialog
    await page.locator('tr', { hasText: traffic }).getByRole('link', { name: '初核' }).click();
    await page.getByRole('button', { name: '转交同事' }).click();
    const dialog = page.getByRole('dialog', { name: '转交任务' });
    await dialog.getByLabel('转交给').waitFor();
    // the colleagues of the task's group, the reviewer themself not among them
    expect(await dialog.locator('option').allTextContents()).toEqual([
      '市政数局审核员二（bureau.reviewer2）',
    ]);
    await dialog.getByLabel('转交给').selectOption({ label: '市政数局审核员二（bureau.reviewer2）' });
    await shot(page, 'tasklist-03-assign-dialog');
    await dialog.getByRole('button', { name: '确认转交' }).click();
    await waitForText(page, '此任务已由市政数局审核员二认领，只能查看。');
    const theirs = (await steps.call('bureau.reviewer2', 'GET', '/tasks?scope=mine')) as { items: Task[] };
    expect(theirs.items.map((t) => t.projectId)).toEqual([traffic]);
    await signOut(page);
  });

  it('the expert opens the project they review, its plan, the task’s history and its variables', async () => {
    const projectId = await steps.draft();
    await steps.upload('gongan.staff', projectId, '项目建设方案.pdf', 'project-plan');
    await steps.call('gongan.staff', 'POST', `/projects/${projectId}/submit`);
    await steps.complete('gongan.section', projectId, 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送。',
    });
    await steps.complete('bureau.reviewer', projectId, 'Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '材料齐全，同意通过初核。',
    });
    await signIn(page, app.url, 'expert');
    await page.goto(`${app.url}/#/tasks`);
    const row = page.locator('tr', { hasText: projectId });
    await row.getByRole('link', { name: '专家论证' }).click();
    // 办理记录: who completed 初核 and what they decided
    const history = page.getByRole('tabpanel', { name: '办理记录' });
    await history.locator('tr', { hasText: '初核' }).waitFor();
    expect(await history.locator('tr', { hasText: '初核' }).textContent()).toContain('市政数局审核员');
    // In the words of 初核's form, not its variable names and codes (issue 16).
    expect(await history.textContent()).toContain('初核结论：通过');
    expect(await history.textContent()).not.toContain('initialCheckDecision');
    expect(await history.textContent()).toContain('材料齐全，同意通过初核');
    await page.getByRole('tab', { name: '任务变量' }).click();
    const variables = page.getByRole('tabpanel', { name: '任务变量' });
    await variables.getByText('projectName').waitFor();
    expect(await variables.textContent()).toContain(PROJECT);
    expect(await variables.textContent()).not.toContain('totalInvestment');
    await shot(page, 'tasklist-04-expert-task-variables');

    // the project they review, read-only, with its plan
    await page.getByRole('link', { name: new RegExp(projectId) }).click();
    await page.getByRole('heading', { name: PROJECT }).waitFor();
    await waitForText(page, '项目建设方案.pdf');
    expect(await page.textContent('body')).not.toContain('资源不存在或无权查看');
    await shot(page, 'tasklist-05-expert-project');
    await signOut(page);
    expect(browser.errors).toEqual([]);
  });

  it('the Bureau reviewer filters by tab, process and Unit, and sees what was done under 已办', async () => {
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    await page.locator('tbody tr').first().waitFor();
    // 未认领: the task handed to the colleague is not among them, the other 初核 is
    await page.getByRole('link', { name: '未认领' }).click();
    await page.waitForURL(/scope=unassigned/);
    await waitForText(page, '共 1 项任务');
    expect(await page.locator('tbody tr').first().textContent()).toContain('云浮市不动产登记平台');
    // by process and by Unit
    await page.getByLabel('流程').selectOption('annual-plan-filing');
    await page.getByRole('button', { name: '筛选' }).click();
    await waitForText(page, '没有符合条件的待办任务。');
    await page.getByLabel('流程').selectOption('professional-project-initiation');
    await page.getByLabel('单位').selectOption('jiaoyu');
    await page.getByRole('button', { name: '筛选' }).click();
    await waitForText(page, '没有符合条件的待办任务。');
    await page.getByLabel('单位').selectOption('gongan');
    await page.getByRole('button', { name: '筛选' }).click();
    await waitForText(page, '共 1 项任务');
    // 已办: the 初核 completed for the expert's project, with when it was completed
    await page.getByRole('link', { name: '已办' }).click();
    await page.waitForURL(/scope=done/);
    const done = page.locator('tbody tr', { hasText: '初核' });
    await done.first().waitFor();
    expect(await done.first().locator('[data-label="办结时间"]').textContent()).toMatch(/\d{4}年/);
    expect(await page.locator('tbody tr').getByRole('button').count()).toBe(0);
    await shot(page, 'tasklist-06-done');
    await signOut(page);
    expect(browser.errors).toEqual([]);
  });
});

// PRO-2 from the Unit's seat, in chromium against the app as `npm start` runs it (issue 10's proof: "a return for
// correction answered by the Unit; a failed cost review answered by a revision"). 初核 returns the 市公安局's
// application (800,000 元 of professional software) for correction; the Unit's staff opens 补正申请材料 on the task
// page, finds its current service line there — the G-4 subtype shown by its Chinese name in a select — adds the
// 监理 line the Bureau asked for with form-js's own “新增一项”, and submits: the application is back at 初核 and the
// 项目库 holds the total of the lines. Then 造价审核 fails; the staff revises the plan in 根据造价审核意见修改方案,
// bringing the software line down to 499,999 元, and the plan is back at 造价审核 with the totals of the lines and
// no third-party testing required (IM-4). The reviewers' own steps are done through /api with their forms' values.
// Screenshots: test-results/browser/send-back-*.png.
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
  shot,
  signIn,
  signOut,
  startApp,
  until,
} from './support.ts';

interface Task {
  userTaskKey: string;
  elementId: string;
}
interface Project {
  totalInvestment: number;
  softwareDevCost: number;
  serviceLines: Array<{ subType: string; amount: number }>;
}

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let projectId = '';

/** The open tasks `who` holds on the project, as /api lists them. */
const tasksOf = async (who: string) =>
  ((await steps.call(who, 'GET', `/tasks?projectId=${projectId}`)) as { items: Task[] }).items;
/** Waits until `who` holds a task `elementId` on the project other than the ones in `before`. */
const nextTask = (who: string, elementId: string, before: string[] = []) =>
  until(
    () => tasksOf(who),
    (items) => items.some((i) => i.elementId === elementId && !before.includes(i.userTaskKey)),
  );
const project = async () => (await steps.call('finance', 'GET', `/projects/${projectId}`)) as Project;

/** Signs in as the Unit's staff and opens the project's task `name` from the task list. */
async function openUnitTask(name: string): Promise<void> {
  await signIn(page, app.url, 'gongan.staff');
  await page.goto(`${app.url}/#/tasks`);
  await page.locator('tr', { hasText: projectId }).getByRole('link', { name }).click();
  await page.locator('.fjs-form').waitFor();
}

/** The n-th service line of the form's dynamic list. */
const line = (n: number) => page.locator('.fjs-repeat-row-container').nth(n);
/** The select labelled `label` of the n-th line (form-js draws its own list, not a <select>). */
const select = (label: string, n: number) =>
  line(n)
    .locator('.fjs-form-field-select')
    .filter({ has: page.locator('label', { hasText: new RegExp(`^${label}`) }) });
/** The name the select shows for its value. */
const shown = (label: string, n: number) => select(label, n).locator('.fjs-select-display').textContent();
/** Opens the select's list and picks the option named `option`, as a person does. */
async function choose(label: string, n: number, option: string): Promise<void> {
  await select(label, n).locator('.fjs-input-group').click();
  await page
    .locator('.fjs-dropdownlist-item')
    .filter({ hasText: new RegExp(`^${option}$`) })
    .click();
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the Unit answers the Bureau in its forms (PRO-2)',
  () => {
    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      steps = apiSteps(app);
      // one line of 800,000 元 of software: the Bureau returns it for its missing 监理 line
      projectId = await steps.submitted([
        { serviceType: 'software-development', subType: 'professional-software', amount: 800_000 },
      ]);
      await steps.complete('bureau.reviewer', projectId, 'Task_InitialCheck', {
        initialCheckDecision: 'return',
        initialCheckOpinion: '方案未列监理费用，请补充第三方监理服务内容。',
      });
      browser = await launchBrowser();
      page = await browser.newPage();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    it('补正申请材料 opens with the current line; the Unit adds the 监理 line and the application is back at 初核', async () => {
      // Returned: the Bureau holds no 初核 of the project until the Unit answers.
      expect((await tasksOf('bureau.reviewer')).filter((t) => t.elementId === 'Task_InitialCheck')).toEqual(
        [],
      );
      await openUnitTask('补正申请材料');
      expect(await page.locator('.fjs-form').textContent()).toContain(
        '方案未列监理费用，请补充第三方监理服务内容。',
      );
      // Pre-filled with the application's line: the subtype by its G-4 name, the amount as the Unit entered it.
      expect(await shown('服务类型', 0)).toBe('软件开发服务');
      expect(await shown('服务子类', 0)).toBe('软件开发服务／专业软件开发服务');
      expect(Number((await line(0).getByLabel('金额（元）').inputValue()).replace(/\D/g, ''))).toBe(800_000);

      await page.getByRole('button', { name: '新增一项' }).click();
      await choose('服务类型', 1, '第三方服务');
      await choose('服务子类', 1, '第三方服务／监理');
      await choose('所服务的系统', 1, '专业软件');
      await fillFormField(line(1).getByLabel('金额（元）'), '60000');
      await fillFormField(page.getByLabel('项目方案概述'), '公安视频图像智能分析平台建设，含第三方监理。');
      await fillFormField(page.getByLabel('补正说明'), '补充第三方监理服务 6 万元。');
      await shot(page, 'send-back-1-correction');
      await page.getByRole('button', { name: '提交办理' }).click();
      await page.getByRole('heading', { name: '任务列表' }).waitFor();
      expect(await page.locator('#toast').textContent()).toBe('已办理“补正申请材料”');
      await signOut(page);

      // Checked again and back at 初核, not withdrawn; the 项目库 holds the lines and their total.
      await nextTask('bureau.reviewer', 'Task_InitialCheck');
      const p = await until(project, (x) => x.totalInvestment === 860_000);
      expect(p.serviceLines.map((l) => [l.subType, l.amount])).toEqual([
        ['professional-software', 800_000],
        ['supervision', 60_000],
      ]);
      expect(p.softwareDevCost).toBe(800_000);
    }, 90_000);

    it('造价审核 fails; the Unit revises to 499,999 of software and the plan is back at 造价审核 with the lines’ totals', async () => {
      await steps.complete('bureau.reviewer', projectId, 'Task_InitialCheck', {
        initialCheckDecision: 'pass',
        initialCheckOpinion: '材料齐全，同意通过初核。',
      });
      await steps.complete('cost.reviewer', projectId, 'Task_CostReview', {
        costReviewPassed: false,
        reviewedAmount: 559_999,
        costReviewReport: '软件开发工作量偏高，建议核减至 499,999 元。',
      });
      expect((await tasksOf('cost.reviewer')).filter((t) => t.elementId === 'Task_CostReview')).toEqual([]);

      await openUnitTask('根据造价审核意见修改方案');
      expect(await page.locator('.fjs-form').textContent()).toContain(
        '软件开发工作量偏高，建议核减至 499,999 元。',
      );
      expect(await shown('服务子类', 1)).toBe('第三方服务／监理');
      // The task's 办理记录 says what was decided before, in the forms' words: no variable names, no JSON.
      const record = (await page.locator('#task-history').textContent()) ?? '';
      expect(record).toContain(
        '服务内容（G-4 服务类型）：软件开发服务／专业软件开发服务，金额（元） 800,000；第三方服务／监理，所服务的系统 专业软件，金额（元） 60,000',
      );
      expect(record).toContain('造价审核结论：不通过');
      expect(record).not.toMatch(/costReviewPassed|serviceLines|"amount"/);
      // Typed the moment the form shows, then the amount at once: nothing typed is lost when form-js renders again.
      await page.getByLabel('修改说明').fill('按造价审核意见核减软件开发费用。');
      await line(0).getByLabel('金额（元）').fill('499999');
      expect(await page.getByLabel('修改说明').inputValue()).toBe('按造价审核意见核减软件开发费用。');
      await shot(page, 'send-back-2-revision');
      await page.getByRole('button', { name: '提交办理' }).click();
      await page.getByRole('heading', { name: '任务列表' }).waitFor();
      expect(await page.locator('#toast').textContent()).toBe('已办理“根据造价审核意见修改方案”');
      await signOut(page);

      const review = (await nextTask('cost.reviewer', 'Task_CostReview')).find(
        (t) => t.elementId === 'Task_CostReview',
      )!;
      const p = await until(project, (x) => x.softwareDevCost === 499_999);
      expect(p.totalInvestment).toBe(559_999);
      expect(p.serviceLines.map((l) => l.amount)).toEqual([499_999, 60_000]);
      // What the cost reviewer's task page shows: the totals of the revised lines, not the ones first applied for.
      const detail = (await steps.call('cost.reviewer', 'GET', `/tasks/${review.userTaskKey}`)) as {
        variables: Record<string, unknown>;
      };
      expect(detail.variables).toMatchObject({
        totalInvestment: 559_999,
        softwareDevCost: 499_999,
      });
    }, 90_000);
  },
);

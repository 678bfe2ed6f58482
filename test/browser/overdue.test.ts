// Issue #16 ("Knowing") in a real browser, against the app as `npm start` runs it: two Units' projects wait for the
// Bureau's 初核; the engine's clock (PUT /v2/clock, which the business API reads as now) passes their due dates. The
// Bureau's administrator — who holds no task of their own — signs in, sees on the dashboard the tenant's overdue
// figure and the 全辖区总览 by step and by Unit, and follows the step's figure to the read-only list of exactly those
// tasks. What comes before is done through /api by the Units (api-steps.ts). Screenshots go to test-results/browser/.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSteps, apiSteps } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  type RunningApp,
  shot,
  signIn,
  startApp,
  until,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;

type Task = { userTaskKey: string; projectId: string; elementId: string; dueDate: string | null };

/** A 专业类 project of `unit`, submitted by its staff and signed off by its section: its 初核 waits for the Bureau. */
async function awaitingInitialCheck(unit: string, name: string): Promise<Task> {
  const created = (await steps.call(`${unit}.staff`, 'POST', '/projects', {
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
  await steps.call(`${unit}.staff`, 'POST', `/projects/${id}/submit`);
  await steps.complete(`${unit}.section`, id, 'Task_SectionReview', {
    sectionDecision: 'approve',
    sectionOpinion: '同意报送。',
  });
  const items = await until(
    async () =>
      ((await steps.call('bureau.reviewer', 'GET', `/tasks?projectId=${id}`)) as { items: Task[] }).items,
    (list) => list.some((i) => i.elementId === 'Task_InitialCheck' && i.dueDate !== null),
  );
  return items.find((i) => i.elementId === 'Task_InitialCheck')!;
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the tenant-wide overdue overview in chromium',
  () => {
    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      steps = apiSteps(app);
      browser = await launchBrowser();
      page = await browser.newPage();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    it('the Bureau’s administrator sees the tenant’s overdue tasks by step and Unit and follows a figure to them', async () => {
      const police = await awaitingInitialCheck('gongan', '云浮市智慧警务平台');
      const school = await awaitingInitialCheck('jiaoyu', '云浮市智慧教育平台');
      const latest = Math.max(Date.parse(police.dueDate!), Date.parse(school.dueDate!));
      // a day past both due dates, on the engine's clock (the business API reads the same clock)
      expect((await app.v2('PUT', '/clock', { timestamp: latest + 86_400_000 })).status).toBe(204);

      await signIn(page, app.url, 'bureau.admin');
      await page.goto(`${app.url}/#/dashboard`);
      const kpi = page.locator('[data-kpi="overdue"]');
      await kpi.waitFor();
      expect(await kpi.textContent()).toContain('2');
      expect(await kpi.textContent()).toContain('全辖区');
      const overview = page.locator('section', { has: page.getByRole('heading', { name: '全辖区总览' }) });
      const step = overview.locator('tr[data-step="Task_InitialCheck"]').first();
      expect(await step.textContent()).toContain('初核');
      expect(await step.getByRole('link').textContent()).toBe('2');
      expect(await overview.locator('tr[data-unit="gongan"]').textContent()).toContain('1');
      expect(await overview.locator('tr[data-unit="jiaoyu"]').textContent()).toContain('1');
      // the tenant's compliance beside the person's own deadlines: what the API counts, as the page draws it
      const { compliance } = (await steps.call('bureau.admin', 'GET', '/dashboard/overdue')) as {
        compliance: { onTime: number; completed: number };
      };
      expect(await page.getByText('全辖区期内办结任务按期').textContent()).toContain(
        `${compliance.onTime}/${compliance.completed}`,
      );
      await shot(page, 'overdue-01-dashboard');

      await step.getByRole('link').click();
      await page.waitForURL(/scope=overview/);
      expect(page.url()).toContain('elementId=Task_InitialCheck');
      await page.locator('tr', { hasText: police.projectId }).waitFor();
      await page.locator('tr', { hasText: school.projectId }).waitFor();
      expect(await page.locator('tbody tr').count()).toBe(2);
      await page.getByText('全辖区所有待办任务（只读）').waitFor();
      // read-only: the administrator is not of the reviewers' group, so nothing to claim
      expect(await page.getByRole('button', { name: /认领/ }).count()).toBe(0);
      await shot(page, 'overdue-02-list');

      // the task opens read-only: its form shown, nothing to claim or submit
      await page.locator('tr', { hasText: police.projectId }).getByRole('link', { name: '初核' }).click();
      await page.getByText('只读：此任务不属于您所在的候选组').waitFor();
      await page.locator('.fjs-form').waitFor();
      expect(await page.getByRole('button', { name: /认领|提交办理/ }).count()).toBe(0);
      await shot(page, 'overdue-03-task');
      expect(browser.errors).toEqual([]);
    });
  },
);

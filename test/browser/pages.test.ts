// The pages in a real browser, against the app as `npm start` runs it: the role-aware navigation, an administrator
// retrying an incident on the diagram once its cause is fixed, a Unit's annual plan and upload, the campaign board
// and the dashboard, keyboard use, no horizontal overflow at 390 px, every Camunda form drawn, and no request that
// leaves 127.0.0.1. The project's way through its lifecycle in the browser is lifecycle.test.ts. Each test runs
// alone: what comes before its part is done through /api by the same people (api-steps.ts), and each starts signed
// out on a fresh tab. Screenshots go to test-results/browser/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiSteps, apiSteps, PROJECT } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  horizontalOverflow,
  launchBrowser,
  ROOT,
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
let steps: ApiSteps;
let campaignKey = '';

// installs it, a missing browser fails instead of passing silently.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('pages in chromium', () => {
  beforeAll(async () => {
    app = await startApp();
    // The annual filing campaign (P-1) started before any Unit is registered: `yunfu.list-units` has nobody to
    // ask and fails without retries — an incident for the administrator.
    const started = await app.v2('POST', '/process-instances', {
      processDefinitionId: 'annual-plan-filing',
      variables: { tenantId: 'yunfu', planYear: 2027 },
    });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    campaignKey = String((started.json as { processInstanceKey: string }).processInstanceKey);
    await until(
      async () =>
        (
          await app.v2('POST', '/incidents/search', {
            filter: { processInstanceKey: campaignKey, state: 'ACTIVE' },
          })
        ).json as { items: unknown[] },
      (r) => r.items.length === 1,
    );
    // The cause is then fixed: the Units and the demo accounts are registered (`npm run demo`).
    await app.seed();
    steps = apiSteps(app);
    browser = await launchBrowser();
  }, 90_000);

  beforeEach(async () => {
    await browser.context.clearCookies();
    page = await browser.newPage();
  });
  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a Unit signs in and sees what its role allows, in Chinese', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await signIn(page, app.url, 'gongan.staff');
    // the header shows the account as soon as it is known; the projects page follows once its data has loaded
    await page.getByRole('heading', { level: 1, name: '云浮市公安局的项目' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      '我的项目',
      '年度规划',
      '任务列表',
      '统计看板',
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('云浮市公安局的项目');
    await shot(page, '01-unit-projects');
  });

  it('an administrator sees the incident on the diagram and retries it once the cause is fixed', async () => {
    await signIn(page, app.url, 'bureau.admin');
    await page.getByRole('link', { name: '流程运维' }).click();
    await page.getByText('有 1 个运行中的流程实例出现故障').waitFor();
    await page.getByRole('link', { name: campaignKey }).click();
    await page.locator('.diagram svg').first().waitFor();
    // bpmn-js marks the failed service task; the incident's message says why.
    await page.locator('.djs-element.yf-incident').first().waitFor();
    expect(await page.locator('.djs-element.yf-incident').getAttribute('data-element-id')).toBe(
      'Task_ListUnits',
    );
    expect(await page.locator('.incident-message').textContent()).toContain('没有登记任何市直单位');
    await shot(page, '08-incident-on-diagram');

    await page.getByRole('button', { name: '重试：Task_ListUnits' }).click();
    await page.getByText('此实例没有未解决的故障').waitFor();
    // The campaign goes on: each of the three Units now has its 报送 task (P-1).
    const tasks = await until(
      async () =>
        (
          await app.v2('POST', '/user-tasks/search', {
            filter: { processInstanceKey: campaignKey, elementId: 'Task_FileAnnualPlan', state: 'CREATED' },
          })
        ).json as { items: unknown[] },
      (r) => r.items.length === 3,
    );
    expect(tasks.items).toHaveLength(3);
    await waitForText(page, '当前节点');
    expect(await page.locator('.djs-element.yf-incident').count()).toBe(0);
    await shot(page, '09-incident-retried');
  });

  it('a Unit prepares its annual plan (P-1), its 责任科室 signs it off (G-6), and it uploads a document to its project', async () => {
    const projectId = await steps.draft();
    await signIn(page, app.url, 'gongan.staff');
    await page.getByRole('link', { name: '年度规划' }).click();
    await page.getByLabel('规划概述').fill('2027 年度建设视频图像智能分析平台，升级政务外网接入。');
    await page.getByLabel('联系电话').fill('0766-8888001');
    await page.getByLabel('项目 1 名称').fill(PROJECT);
    await page.getByLabel('项目 1 估算金额（元）').fill('800000');
    await page.getByRole('button', { name: '报送备案' }).click();
    // The campaign has gongan's 2027 plan open: the post completes its task and the plan waits for the section.
    await page.locator('#toast', { hasText: '责任科室审核' }).waitFor();
    const review = await until(
      async () =>
        ((await steps.call('gongan.section', 'GET', '/tasks')) as { items: Array<Record<string, unknown>> })
          .items,
      (items) => items.some((i) => i.elementId === 'Task_SectionReviewAnnualPlan'),
    );
    const key = review.find((i) => i.elementId === 'Task_SectionReviewAnnualPlan')!.userTaskKey;
    await steps.call('gongan.section', 'POST', `/tasks/${key}/complete`, {
      variables: { sectionDecision: 'approve', sectionOpinion: '同意报送。' },
    });
    await until(
      async () => (await steps.call('gongan.staff', 'GET', '/annual-plans?planYear=2027')) as unknown[],
      (plans) => plans.length === 1,
    );
    await page.reload();
    await page.locator('td[data-label="备案号"]').first().waitFor();

    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    await page.getByLabel('材料类型').selectOption('project-plan');
    await page.getByLabel('文件').setInputFiles({
      name: '项目方案.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
    });
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByRole('link', { name: '项目方案.pdf' }).waitFor();
    await shot(page, '10-unit-document-uploaded');
  });

  it('the campaign board and the dashboard draw what the API counts', async () => {
    // 市公安局 filed its 2027 plan (above, signed off by its section), the campaign runs past its incident, and a
    // project past 初核 is the only one in its stage.
    await steps.campaignUnderway(campaignKey);
    await steps.initialCheckPassed();
    await signIn(page, app.url, 'bureau.admin');
    await page.goto(`${app.url}/#/ops/campaign?planYear=2027`);
    await page.getByRole('heading', { name: '2027 年度政务信息化规划备案' }).waitFor();
    expect(await page.locator('.board-card').count()).toBe(3);
    // 市公安局 filed (on time or late, by the day the test runs); the two other Units have not.
    expect(await page.locator('.board-card', { hasText: '云浮市公安局' }).textContent()).toContain('备案号');
    expect(await page.locator('.status-pending .board-card, .status-overdue .board-card').count()).toBe(2);
    await shot(page, '11-campaign-board');
    await page.goto(`${app.url}/#/dashboard`);
    await page.locator('svg.chart').first().waitFor();
    expect(await page.locator('svg.chart').count()).toBe(5);
    const byStage = await page.locator('svg.chart').first().getAttribute('aria-label');
    expect(byStage).toMatch(/按阶段的项目数：.+ 1 个/);
    const stats = (await steps.call('bureau.admin', 'GET', '/statistics')) as {
      byStage: Array<{ label: string; count: number }>;
    };
    for (const row of stats.byStage) expect(byStage).toContain(`${row.label} ${row.count} 个`);
    await shot(page, '12-dashboard');
  });

  it('at 390 px wide no page overflows horizontally', async () => {
    const projectId = await steps.submitted();
    await steps.campaignUnderway(campaignKey);
    const narrow = await browser.newPage(390);
    await signIn(narrow, app.url, 'bureau.admin');
    const pages = [
      '#/projects',
      `#/projects/${projectId}`,
      '#/tasks',
      '#/ops',
      `#/ops/instances/${campaignKey}`,
      '#/ops/campaign',
      '#/dashboard',
      '#/plans',
    ];
    await narrow.goto(`${app.url}/#/projects`);
    await narrow.getByRole('button', { name: '退出' }).waitFor();
    const overflow: Record<string, number> = {};
    for (const route of pages) {
      await narrow.goto(`${app.url}/${route}`);
      await settled(narrow);
      overflow[route] = await horizontalOverflow(narrow);
      await shot(narrow, `390-admin-${route.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`);
    }
    await signOut(narrow);
    await signIn(narrow, app.url, 'gongan.staff');
    // The Unit's list has rows now (its 报送 task of the campaign), so the stacked table layout is checked too.
    for (const route of ['#/projects/new', `#/projects/${projectId}`, '#/plans', '#/tasks', '#/projects']) {
      await narrow.goto(`${app.url}/${route}`);
      await settled(narrow);
      overflow[`unit ${route}`] = await horizontalOverflow(narrow);
      await shot(narrow, `390-unit-${route.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`);
    }
    expect(overflow).toEqual(Object.fromEntries(Object.keys(overflow).map((k) => [k, 0])));
    await narrow.close();
  });

  it('works with the keyboard alone: skip link, sign-in, navigation', async () => {
    const kb = await browser.newPage();
    await kb.goto(`${app.url}/#/login`);
    await kb.getByLabel('用户名').waitFor();
    // The sign-in page puts the focus in the user name; Tab and Enter do the rest.
    expect(await kb.evaluate('document.activeElement.name')).toBe('username');
    await kb.keyboard.type('audit');
    await kb.keyboard.press('Tab');
    await kb.keyboard.type('Yunfu-demo-2026');
    await kb.keyboard.press('Enter');
    await kb.getByRole('button', { name: '退出' }).waitFor();
    // Audit reads every project and the evaluation results (SV-1) and has its own tasks (SV-3), but no operations
    // view and no 新建项目.
    const links = await kb.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents();
    expect(links).toEqual(['项目库', '年度规划', '任务列表', '统计看板', '评价结果']);
    await kb.goto(`${app.url}/#/projects`);
    await kb.locator('main h1').waitFor();
    expect(await kb.getByRole('link', { name: '新建项目' }).count()).toBe(0);
    // On a fresh load the skip link is the first stop and moves the focus into <main>.
    await kb.reload();
    await kb.locator('main h1').waitFor();
    await kb.keyboard.press('Tab');
    expect(await kb.evaluate('document.activeElement.className')).toBe('skip-link');
    await kb.keyboard.press('Enter');
    expect(await kb.evaluate('document.activeElement.id')).toBe('main');
    await kb.close();
  });

  it('every Camunda form of processes/ renders in the form viewer the task page uses', async () => {
    const forms = readdirSync(join(ROOT, 'processes'))
      .filter((f) => f.endsWith('.form'))
      .map((f) => JSON.parse(readFileSync(join(ROOT, 'processes', f), 'utf8')) as { id: string });
    expect(forms.length).toBeGreaterThan(40);
    await page.goto(`${app.url}/#/tasks`);
    await settled(page);
    // The same bundle and call as views/task.js, for each form with no data: every field is drawn, nothing throws.
    const result = (await page.evaluate(`(async (forms) => {
      const FormViewer = await new Promise((ok, fail) => {
        if (window.FormViewer) return ok(window.FormViewer);
        const s = document.createElement('script');
        s.src = '/assets/vendor/form-js/form-viewer.js';
        s.onload = () => ok(window.FormViewer);
        s.onerror = fail;
        document.head.append(s);
      });
      const out = {};
      for (const schema of forms) {
        const container = document.createElement('div');
        document.body.append(container);
        try {
          const form = new FormViewer.Form({ container });
          const { warnings } = await form.importSchema(schema, {});
          out[schema.id] = { fields: container.querySelectorAll('.fjs-form-field').length, warnings: warnings.length };
          form.destroy();
        } catch (e) {
          out[schema.id] = { error: String(e) };
        }
        container.remove();
      }
      return out;
    })(${JSON.stringify(forms)})`)) as Record<string, { fields?: number; warnings?: number; error?: string }>;
    const broken = Object.entries(result).filter(([, r]) => r.error || r.warnings || !r.fields);
    expect(broken).toEqual([]);
    expect(Object.keys(result)).toHaveLength(forms.length);
  });

  it('no request left 127.0.0.1 and no script failed', async () => {
    // At least a task's form and an instance's diagram were drawn (whatever ran before in this browser).
    const projectId = await steps.submitted();
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    await waitForText(page, projectId);
    await page.locator('tr', { hasText: projectId }).getByRole('link', { name: '初核' }).click();
    await page.locator('.fjs-form').waitFor();
    await signOut(page);
    await signIn(page, app.url, 'bureau.admin');
    for (const route of [
      '#/projects',
      `#/projects/${projectId}`,
      '#/ops',
      '#/ops/campaign',
      '#/dashboard',
      '#/plans',
    ]) {
      await page.goto(`${app.url}/${route}`);
      await page.reload(); // each page as a fresh load, as from a bookmark
      await settled(page);
    }
    await page.goto(`${app.url}/#/ops/instances/${campaignKey}`);
    await page.locator('.diagram svg').first().waitFor();
    const origin = new URL(app.url).origin;
    const foreign = browser.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(browser.requests.length).toBeGreaterThan(50);
    expect(browser.requests.some((u) => u.includes('/assets/vendor/form-js/form-viewer.js'))).toBe(true);
    expect(browser.requests.some((u) => u.includes('/assets/vendor/bpmn-js/bpmn-navigated-viewer.js'))).toBe(
      true,
    );
    expect(browser.errors).toEqual([]);
  });
});

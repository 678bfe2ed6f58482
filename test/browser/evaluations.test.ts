// SV-1 评价结果 in a real browser, as Finance reads it: a project of 公安局 is taken to its evaluation through /api
// by each role with what form-js submits for their task (test/forms/form-js.ts), the Bureau and Finance evaluate
// it, and Finance opens the page from the navigation — the Unit's row with its figures and the project with its
// grades, deadline and amounts, no horizontal overflow at 390 px. A Unit account has no such link.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTED, type Step, TO_EVALUATION } from '../api-process/lifecycle-steps.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { PROFESSIONAL_APPLICATION } from '../support/projects.ts';
import { type ApiSteps, apiSteps } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  horizontalOverflow,
  launchBrowser,
  type RunningApp,
  settled,
  shot,
  signIn,
  signOut,
  startApp,
  until,
} from './support.ts';

type Data = Record<string, unknown>;

const TO_EVALUATED: readonly Step[] = [
  ...TO_EVALUATION,
  [
    'bureau.reviewer',
    'Task_BureauEvaluation',
    { applicationEffectRating: 'good', applicationEffectComment: '运行良好' },
  ],
  [
    'finance',
    'Task_FinanceEvaluation',
    {
      fundUseCompliance: 'compliant',
      performanceRating: 'excellent',
      financeEvaluationComment: '绩效目标全部完成',
    },
  ],
];

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let formJs: FormJs;
let projectId = '';
const amounts: Data = {};

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the evaluation results page in chromium (SV-1)',
  () => {
    /** `who` completes `elementId` of the project with what form-js submits for `choices`. */
    const complete = async (who: string, elementId: string, choices: Data) => {
      const inbox = await until(
        async () => ((await steps.call(who, 'GET', '/tasks?scope=groups')) as { items: Data[] }).items,
        (items) => items.some((i) => i.projectId === projectId && i.elementId === elementId),
        30_000,
      );
      const key = String(
        inbox.find((i) => i.projectId === projectId && i.elementId === elementId)!.userTaskKey,
      );
      const task = (await steps.call(who, 'GET', `/tasks/${key}`)) as {
        form: { schema: Data };
        variables: Data;
      };
      const submitted = await formJs.submit(
        task.form.schema,
        fill(task.form.schema, task.variables, choices),
      );
      expect(submitted.errors, elementId).toEqual({});
      await steps.call(who, 'POST', `/tasks/${key}/complete`, { variables: submitted.data });
      return submitted.data;
    };

    beforeAll(async () => {
      app = await startApp();
      await app.seed();
      steps = apiSteps(app);
      formJs = await launchFormJs();
      await steps.call('gongan.section', 'POST', '/annual-plans', {
        planYear: 2027,
        summary: '2027 年度警务信息化规划',
      });
      // the 专业类 project of the /api path tests (1,060,000 元: supervised and third-party tested)
      const created = (await steps.call('gongan.staff', 'POST', '/projects', {
        projectName: '云浮市智慧警务综合平台',
        description: '警务数据汇聚、分析与指挥调度',
        ...PROFESSIONAL_APPLICATION,
      })) as { project: { id: string } };
      projectId = created.project.id;
      await steps.call('gongan.staff', 'POST', `/projects/${projectId}/submit`);
      let report = '';
      for (const [who, elementId, choices] of TO_EVALUATED) {
        const extra: Data =
          elementId === 'Task_VerifyAc2'
            ? {
                dataResources: [{ resourceName: '视频图像数据', catalogueNumber: 'YF-ML-2027-0301' }],
                dataResourcesVerified: 'pass',
                ipv6TestReportDocumentId: report,
                ipv6Verified: 'pass',
              }
            : {};
        // IM-4: the testing organisation's account uploads its report once the task is its, and names it
        const reported = REPORTED[elementId];
        if (reported) {
          const upload = () =>
            steps.upload(who, projectId, reported.fileName, 'assessment-report').catch(() => '');
          extra[reported.field] = await until(upload, (id) => id !== '', 30_000);
        }
        const data = await complete(who, elementId, { ...choices, ...extra });
        if (elementId === 'Task_CityGovernmentDecision') amounts.approved = data.approvedFundingAmount;
        if (elementId === 'Task_ConductProcurement') amounts.contract = data.contractAmount;
        if (elementId === 'Task_Implement')
          report = await steps.upload('gongan.staff', projectId, 'IPv6支持测试报告.pdf', 'assessment-report');
      }
      await until(
        async () =>
          ((await steps.call('finance', 'GET', '/evaluations')) as { projects: unknown[] }).projects,
        (p) => p.length === 1,
      );
      browser = await launchBrowser();
    }, 400_000);

    afterAll(async () => {
      await formJs?.close();
      await browser?.close();
      await app?.stop();
    });

    it('Finance opens 评价结果 from the navigation and reads the Unit’s figures and the project’s grades', async () => {
      page = await browser.newPage();
      await signIn(page, app.url, 'finance');
      await page.getByRole('link', { name: '评价结果' }).click();
      await settled(page);
      expect(await page.locator('main h1').textContent()).toBe('应用效果评价结果');
      const unitRow = page.locator('tr[data-unit="gongan"]');
      await expect(unitRow.locator('td').first().textContent()).resolves.toBe('1');
      const unitText = (await unitRow.textContent()) ?? '';
      expect(unitText).toContain('良好 1');
      expect(unitText).toContain('优秀 1');
      expect(unitText).toContain('1 / 0');
      const row = page.locator(`tr[data-project="${projectId}"]`);
      const text = (await row.textContent()) ?? '';
      for (const s of [
        '良好',
        '优秀',
        '符合资金管理规定',
        '按期',
        '数据局：运行良好',
        '财政局：绩效目标全部完成',
      ])
        expect(text).toContain(s);
      const yuan = (n: unknown) => `${new Intl.NumberFormat('zh-CN').format(Number(n))} 元`;
      expect(text).toContain(yuan(amounts.approved));
      expect(text).toContain(yuan(amounts.contract));
      await shot(page, 'evaluations-finance');
      await page.setViewportSize({ width: 390, height: 900 });
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 'evaluations-finance-390');
      expect(browser.errors).toEqual([]);
      await signOut(page);
      await signIn(page, app.url, 'gongan.staff');
      expect(await page.getByRole('link', { name: '评价结果' }).count()).toBe(0);
      await page.close();
    }, 120_000);
  },
);

// AC-3 in a real browser, from the Unit's seat (issue 11): a project of 公安局 is taken through /api, by each role
// with what form-js submits for its task, to a failed 第三方验收测评 entered by 省软件测评中心's account. The Unit's
// staff opens the project page: the timeline shows the result with its report number and a link to the report; the
// page offers 对测评结论提出异议 only for that result; an empty reason is refused on the page, naming the field, and
// the contest with its reasons goes to the Bureau, whose reviewer then holds 审查验收测评结论异议.
// Screenshots: test-results/browser/result-contest-*.png.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTED, type Step, TO_PRE_ACCEPTANCE } from '../api-process/lifecycle-steps.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { PROFESSIONAL_APPLICATION } from '../support/projects.ts';
import { type ApiSteps, apiSteps } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  type RunningApp,
  settled,
  shot,
  signIn,
  startApp,
  until,
} from './support.ts';

type Data = Record<string, unknown>;

const REPORT_NO = '粤软测验字〔2027〕第101号';
const TO_FAILED_TEST: readonly Step[] = [
  ...TO_PRE_ACCEPTANCE,
  ['bureau.reviewer', 'Task_VerifyAc2', {}],
  ['ceping.gdsoft', 'Task_SecurityAssessment', { securityAssessmentResult: 'pass' }],
  ['expert', 'Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }],
  [
    'ceping.gdsoft',
    'Task_AcceptanceTest',
    {
      acceptanceTestResult: 'fail',
      acceptanceTestReportNo: REPORT_NO,
      acceptanceTestIssues: '并发 500 用户时响应超时',
    },
  ],
];

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;
let formJs: FormJs;
let projectId = '';
let reportId = '';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'contesting a third party result in chromium (AC-3)',
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
      const created = (await steps.call('gongan.staff', 'POST', '/projects', {
        projectName: '云浮市智慧警务综合平台',
        description: '警务数据汇聚、分析与指挥调度',
        ...PROFESSIONAL_APPLICATION,
      })) as { project: { id: string } };
      projectId = created.project.id;
      await steps.call('gongan.staff', 'POST', `/projects/${projectId}/submit`);
      let ipv6 = '';
      for (const [who, elementId, choices] of TO_FAILED_TEST) {
        const extra: Data =
          elementId === 'Task_VerifyAc2'
            ? {
                dataResources: [{ resourceName: '视频图像数据', catalogueNumber: 'YF-ML-2027-0301' }],
                dataResourcesVerified: 'pass',
                ipv6TestReportDocumentId: ipv6,
                ipv6Verified: 'pass',
              }
            : {};
        // IM-4, AC-3: the testing organisation's account uploads its report once the task is its, and names it
        const reported = REPORTED[elementId];
        if (reported) {
          const upload = () =>
            steps.upload(who, projectId, reported.fileName, 'assessment-report').catch(() => '');
          extra[reported.field] = await until(upload, (id) => id !== '', 30_000);
          if (elementId === 'Task_AcceptanceTest') reportId = String(extra[reported.field]);
        }
        await complete(who, elementId, { ...choices, ...extra });
        if (elementId === 'Task_Implement')
          ipv6 = await steps.upload('gongan.staff', projectId, 'IPv6支持测试报告.pdf', 'assessment-report');
      }
      browser = await launchBrowser();
      page = await browser.newPage();
    }, 400_000);
    afterAll(async () => {
      await formJs?.close();
      await browser?.close();
      await app?.stop();
    });

    it('the Unit reads the failed result with its report and contests it with reasons on the project page', async () => {
      await signIn(page, app.url, 'gongan.staff');
      await page.goto(`${app.url}/#/projects/${encodeURIComponent(projectId)}`);
      await settled(page);
      // the result in the timeline: conclusion, report number, and the report itself as a link
      const result = page.locator('.timeline li', { hasText: '第三方验收测评：完成' });
      expect(await result.locator('.tl-choice').textContent()).toBe('未通过');
      expect(await result.textContent()).toContain(`验收测评报告编号：${REPORT_NO}`);
      const link = result.locator(`a[href="/api/documents/${reportId}"]`);
      expect(await link.textContent()).toBe(`第三方验收测评报告.pdf（${reportId}）`);
      // the contest is offered for the failed result only
      const form = page.locator('section', {
        has: page.getByRole('heading', { name: '对测评结论提出异议' }),
      });
      const select = form.getByLabel('提出异议的结论');
      expect(await select.locator('option').allTextContents()).toEqual(['第三方验收测评结论（未通过）']);
      await form.getByRole('button', { name: '提出异议' }).click();
      expect(await form.locator('.form-errors').textContent()).toContain('异议理由必填');
      // the field itself says what is missing
      expect(await form.textContent()).toContain('请写明异议理由');
      await shot(page, 'result-contest-empty');
      await form.getByLabel('异议理由').fill('超时系测评环境网络限速所致，生产环境压测报告已上传，请复核。');
      await form.getByRole('button', { name: '提出异议' }).click();
      await until(
        async () => page.locator('#toast').textContent(),
        (text) => (text ?? '').includes('异议已提交'),
      );
      await settled(page);
      // the rectification pauses: the form is gone, the timeline says what was contested and why
      expect(await page.getByRole('heading', { name: '对测评结论提出异议' }).count()).toBe(0);
      const contested = page.locator('.timeline li', { hasText: '对第三方验收测评结论提出异议' });
      expect(await contested.textContent()).toContain('异议理由：超时系测评环境网络限速所致');
      await shot(page, 'result-contest-sent');
      const inbox = await until(
        async () =>
          ((await steps.call('bureau.reviewer', 'GET', '/tasks?scope=groups')) as { items: Data[] }).items,
        (items) =>
          items.some((i) => i.projectId === projectId && i.elementId === 'Task_ReviewAcceptanceTestContest'),
      );
      expect(inbox.length).toBeGreaterThan(0);
      expect(browser.errors).toEqual([]);
    }, 120_000);
  },
);

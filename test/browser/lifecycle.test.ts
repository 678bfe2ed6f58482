// A project's way through its lifecycle in a real browser, against the app as `npm start` runs it: a Unit creates and
// submits it, its 责任科室 signs it off (G-6), a Bureau reviewer completes 初核 through the rendered Camunda form, and
// every person in turn takes it through approval, procurement, implementation and acceptance to evaluation, each
// through their task's form. Each test does one stretch of the way; what comes before is done through /api by the
// same people (api-steps.ts), so every test runs alone. Screenshots go to test-results/browser/.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { docxText } from '../support/docx.ts';
import { type ApiSteps, apiSteps, PROJECT } from './api-steps.ts';
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
  waitForText,
} from './support.ts';

type Data = Record<string, unknown>;

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;

// Skipped without Debian's chromium outside CI, as pages.test.ts is.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('a project’s lifecycle in chromium', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    steps = apiSteps(app);
    browser = await launchBrowser();
  }, 90_000);

  beforeEach(async () => {
    await browser.context.clearCookies();
    page = await browser.newPage();
  });
  // Each stretch stays on 127.0.0.1 and no script fails on its pages (pages.test.ts checks the same for its own).
  afterEach(async () => {
    await page.close();
    const origin = new URL(app.url).origin;
    expect(browser.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a Unit creates a project — refused field by field, 涉密 explained — and submits it', async () => {
    await signIn(page, app.url, 'gongan.staff');
    await page.getByRole('link', { name: '新建项目' }).click();
    await page.getByRole('button', { name: '创建草稿' }).click();
    // Nothing is sent: every missing field is named next to itself, and the first one has the focus.
    await page.getByText('请填写项目名称').waitFor();
    expect(await page.locator('.field-error:not([hidden])').allTextContents()).toEqual([
      '请填写项目名称',
      '请声明项目是否涉密',
      '请选择服务类型',
      '请选择服务子类',
      '请填写金额（元，非负整数）',
    ]);
    expect(await page.evaluate('document.activeElement.dataset.field')).toBe('projectName');
    await shot(page, '02-project-form-errors');

    await page.getByLabel('项目名称 *').fill(PROJECT);
    await page.getByLabel('是，涉密项目').check();
    expect(
      await page.getByRole('alert').filter({ hasText: '涉密项目请按涉密信息系统有关规定办理' }).count(),
    ).toBe(1);
    await page.getByLabel('否，非涉密项目').check();
    await page.getByLabel('服务类型').selectOption('software-development');
    await page.getByLabel('服务子类').selectOption('professional-software');
    await page.getByLabel('金额（元）').fill('800000');
    // A second line of a public service: the API refuses the mix with the domain's reason, kept on the page.
    await page.getByRole('button', { name: '＋ 添加一项服务内容' }).click();
    await page.getByLabel('服务类型').nth(1).selectOption('infrastructure');
    await page.getByLabel('服务子类').nth(1).selectOption('government-cloud');
    await page.getByLabel('金额（元）').nth(1).fill('50000');
    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.locator('.form-errors:not([hidden])').waitFor();
    expect(await page.locator('.form-errors').textContent()).toContain('公共类');
    await page.getByRole('button', { name: '删除第 2 项服务内容' }).click();

    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.getByRole('heading', { name: PROJECT }).waitFor();
    const projectId = String(await page.evaluate('location.hash')).replace('#/projects/', '');
    expect(projectId).toMatch(/^YF-\d{4}-\d{4}$/);
    // PRO-1: without the catalogue and the IPv6 commitment the draft cannot be submitted.
    expect(await page.getByRole('button', { name: '提交立项申请' }).isDisabled()).toBe(true);
    expect(await page.getByText('缺少政务数据共享资源目录（PRO-1）').count()).toBe(1);

    await page.getByRole('link', { name: '修改草稿' }).click();
    await page.getByLabel('已同步编制政务数据共享资源目录').check();
    await page.getByLabel('承诺项目支持 IPv6').check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('申请材料完整（PRO-1），可以提交').waitFor();
    await page.getByRole('button', { name: '提交立项申请' }).click();
    await page.locator('.stage').filter({ hasNotText: '草稿' }).first().waitFor();
    expect(await page.locator('h1 + .stage').textContent()).not.toBe('草稿');
    // G-6: the application waits for the Unit's 责任科室 before it goes to the Bureau.
    await waitForText(page, '责任科室审核立项申请：开始');
    await shot(page, '03-project-submitted');
    await signOut(page);

    await signIn(page, app.url, 'gongan.section');
    await page.goto(`${app.url}/#/tasks`);
    const row = page.locator('tr', { hasText: projectId });
    await row.getByRole('button', { name: '认领：责任科室审核立项申请' }).click();
    await page
      .locator('tr', { hasText: projectId })
      .getByRole('link', { name: '责任科室审核立项申请' })
      .click();
    await page.locator('.fjs-form').waitFor();
    await page.getByRole('radio', { name: '同意报送', exact: true }).check();
    await fillFormField(page.getByLabel('审核意见（退回的写明理由）'), '同意报送。');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    expect(await page.locator('#toast').textContent()).toBe('已办理“责任科室审核立项申请”');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await waitForText(page, '初核：开始');
    await signOut(page);
  });

  it('a Bureau reviewer completes 初核 through the rendered Camunda form', async () => {
    const projectId = await steps.submitted();
    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks`);
    const row = page.locator('tr', { hasText: projectId });
    await row.getByRole('link', { name: '初核' }).waitFor();
    expect(await row.locator('.due').textContent()).toMatch(/剩余 \d+ 个工作日|今日到期/);
    await shot(page, '04-reviewer-tasks');

    await row.getByRole('button', { name: '认领：初核' }).click();
    await page
      .locator('tr', { hasText: projectId })
      .getByRole('button', { name: '取消认领：初核' })
      .waitFor();
    await page.locator('tr', { hasText: projectId }).getByRole('link', { name: '初核' }).click();
    // The form is the Camunda Form `initial-check.form`, rendered by form-js with the task's data.
    await page.locator('.fjs-form').waitFor();
    expect(await page.locator('.fjs-form').textContent()).toContain(PROJECT);
    await page.getByRole('button', { name: '提交办理' }).click();
    expect(await page.locator('.fjs-form-field-error').allTextContents()).toEqual([
      '此项为必填项。',
      '此项为必填项。',
    ]);
    await page.getByRole('radio', { name: '通过', exact: true }).check();
    await fillFormField(page.getByLabel('初核意见'), '材料齐全，符合年度规划，同意通过初核。');
    await shot(page, '05-initial-check-form');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    expect(await page.locator('#toast').textContent()).toBe('已办理“初核”');
    expect(await page.locator('tr', { hasText: projectId }).getByRole('link', { name: '初核' }).count()).toBe(
      0,
    );

    await page.goto(`${app.url}/#/projects/${projectId}`);
    await waitForText(page, '初核：完成');
    await shot(page, '06-project-after-initial-check');
    await signOut(page);
  });

  it('the project is approved in the browser by each reviewer in turn, through their Camunda forms', async () => {
    // PRO-2..PRO-4 for a professional project: cost review and expert review, Finance, the Bureau's opinion, the Unit's funding
    // application, the City Government's decision — each person signs in, finds the task and fills its form.
    const projectId = await steps.initialCheckPassed();
    const reviews: Array<{ user: string; task: string; fill: () => Promise<void> }> = [
      {
        user: 'cost.reviewer',
        task: '造价审核',
        fill: async () => {
          await page.getByRole('radio', { name: '通过', exact: true }).check();
          await fillFormField(page.getByLabel('审定金额（元）'), '780000');
          await fillFormField(page.getByLabel('造价审核意见'), '造价合理，审定金额 78 万元。');
        },
      },
      {
        user: 'expert',
        task: '专家论证',
        fill: async () => {
          await page.getByRole('radio', { name: '通过', exact: true }).check();
          await fillFormField(page.getByLabel('专家论证意见'), '技术方案可行。');
        },
      },
      {
        user: 'finance',
        task: '资金审核',
        fill: async () => {
          await page.getByRole('radio', { name: '通过', exact: true }).check();
          await fillFormField(page.getByLabel('资金审核意见'), '同意按审定金额安排。');
          await fillFormField(page.getByLabel('资金安排初步意见（元）'), '780000');
        },
      },
      {
        // PRO-3: a person of the Bureau decides the 立项审批意见 with Finance's opinion in front of them
        user: 'bureau.admin',
        task: '综合财政意见审定立项审批意见',
        fill: async () => {
          await fillFormField(page.getByLabel('局立项审批意见'), '同意立项，按市财政局意见安排资金。');
        },
      },
      {
        user: 'gongan.staff',
        task: '报市政府申请资金',
        fill: async () => {
          await fillFormField(page.getByLabel('申请资金（元）'), '780000');
          await fillFormField(page.getByLabel('申请说明'), '按造价审核与资金审核意见申请。');
        },
      },
      {
        user: 'citygov',
        task: '市政府审批资金申请',
        fill: async () => {
          await page.getByRole('radio', { name: '同意安排资金' }).check();
          await fillFormField(page.getByLabel('安排资金（元）'), '780000');
          await fillFormField(page.getByLabel('审批意见'), '同意。');
        },
      },
    ];
    for (const step of reviews) {
      await signIn(page, app.url, step.user);
      await page.goto(`${app.url}/#/tasks`);
      const link = page
        .locator('tr', { hasText: projectId })
        .getByRole('link', { name: step.task, exact: true });
      await until(
        async () => {
          await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
          await settled(page);
          return link.count();
        },
        (n) => n === 1,
      );
      await link.click();
      await page.locator('.fjs-form').waitFor();
      await step.fill();
      await page.getByRole('button', { name: '提交办理' }).click();
      await page.getByRole('heading', { name: '任务列表' }).waitFor();
      expect(await page.locator('#toast').textContent()).toBe(`已办理“${step.task}”`);
      await signOut(page);
    }
    // Approved: the numbered approval opinion is issued and procurement is the Unit's (PC-2).
    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/tasks`);
    await waitForText(page, '开展政府采购并签订合同');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await waitForText(page, '开展政府采购并签订合同');
    expect(await page.locator('h1 + .stage').textContent()).toBe('采购中');
    await shot(page, '07-project-approved');
    // PRO-3: the numbered 立项审批意见 is among the project's materials; downloaded and opened, it says what was decided.
    const opinion = page.getByRole('link', { name: /立项审批意见-云政数审〔2026〕\d+号\.docx/ });
    await opinion.waitFor();
    const download = await page.request.get(`${app.url}${await opinion.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    const opinionText = docxText(Buffer.from(await download.body()));
    expect(opinionText).toContain('云浮市公安局：');
    expect(opinionText).toContain('五、本局意见：同意立项，按市财政局意见安排资金。');
    expect(opinionText).toMatch(/云政数审〔2026〕\d+号/);

    // Procurement (PC-2) in the same form viewer: a select, dates typed as a zh-CN browser shows them, a time.
    await page.getByRole('link', { name: '开展政府采购并签订合同' }).last().click();
    await page.locator('.fjs-form').waitFor();
    await page.getByRole('radio', { name: '采购成功，合同已签订' }).check();
    await page.locator('.fjs-form-field-select .fjs-input-group').click();
    await page.locator('.fjs-dropdownlist-item', { hasText: '公开招标' }).click();
    await fillFormField(page.getByLabel('采购项目编号（采购公告）'), 'YFCG-2026-118');
    await fillFormField(page.getByLabel('采购人（合同甲方）'), '云浮市公安局');
    await fillFormField(page.getByLabel('中标／成交供应商（合同乙方）'), '广东某信息技术有限公司');
    await fillFormField(page.getByLabel('供应商统一社会信用代码'), '91445300MA4UXXXX1X');
    await fillFormField(page.getByLabel('合同编号'), 'YFGA-HT-2026-031');
    await fillFormField(page.getByLabel('合同金额（元）'), '768000');
    await fillFormField(page.getByLabel('合同签订日期'), '2026/12/1');
    await page.keyboard.press('Enter');
    await fillFormField(page.getByLabel('合同约定交付日期'), '2027/6/30');
    await page.keyboard.press('Enter');
    // form-js reads a typed time on Enter (its own dropdown offers the same times).
    await page.getByLabel('交付时间').click();
    await page.keyboard.type('18:00');
    await page.keyboard.press('Enter');
    await shot(page, '07b-procurement-form');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();

    // Implementation (IM-8): the Unit raises a change filing from the project page; the Bureau gets it to register.
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await until(
      async () => {
        await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
        await settled(page);
        return page.locator('h1 + .stage').textContent();
      },
      (stage) => stage === '实施中',
    );
    await fillFormField(page.getByLabel('变更内容'), '增加视频结构化分析模块。');
    await fillFormField(page.getByLabel('变更原因'), '公安部新标准要求。');
    await page.getByRole('button', { name: '提交备案' }).click();
    await waitForText(page, '重大变更');
    await shot(page, '07c-change-filing');
    await signOut(page);
  }, 90_000);

  it('the project is implemented, tested, fails its acceptance, is rectified and accepted in the browser until it reaches evaluation', async () => {
    // IM-3..IM-5, IM-8 and AC-1..AC-3 for this project: 770,000 元 of application software development, so third-party
    // testing is required (IM-4, ≥ 500,000 元) and supervision is not (IM-3, total investment < 1,000,000 元) —
    // no 聘请监理单位 nor 监理确认实施完成. Each person signs in once for the tasks that are theirs in a row.
    const projectId = await steps.implementingWithChangeFiling();
    let current = '';
    const complete = async (user: string, task: string, fill: () => Promise<void>) => {
      if (current !== user) {
        if (current) await signOut(page);
        await signIn(page, app.url, user);
        current = user;
      }
      await page.goto(`${app.url}/#/tasks`);
      const link = page.locator('tr', { hasText: projectId }).getByRole('link', { name: task, exact: true });
      await until(
        async () => {
          await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
          await settled(page);
          return link.count();
        },
        (n) => n === 1,
      );
      await link.click();
      await page.locator('.fjs-form').waitFor();
      await fill();
      await page.getByRole('button', { name: '提交办理' }).click();
      await page.getByRole('heading', { name: '任务列表' }).waitFor();
      expect(await page.locator('#toast').textContent()).toBe(`已办理“${task}”`);
    };
    const pass = () => page.getByRole('radio', { name: '通过', exact: true }).check();

    // The change filed during implementation is registered by the Bureau (IM-8).
    await complete('bureau.reviewer', '登记重大变更备案', async () => {
      await fillFormField(page.getByLabel('备案登记意见'), '已登记，变更内容不改变项目建设目标。');
    });
    // PRO-3: its numbered 备案回执 is among the materials Finance reads on the project page; opened, it says so.
    await signOut(page);
    current = '';
    await signIn(page, app.url, 'finance');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    const receipt = page.getByRole('link', { name: /重大变更备案回执-云政数备〔2026〕\d+号\.docx/ });
    await receipt.waitFor();
    const download = await page.request.get(`${app.url}${await receipt.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    const receiptText = docxText(Buffer.from(await download.body()));
    expect(receiptText).toContain('一、变更内容：增加视频结构化分析模块。');
    expect(receiptText).toContain('三、登记意见：已登记，变更内容不改变项目建设目标。');
    await signOut(page);
    await complete('gongan.staff', '项目实施', async () => {
      await page.getByRole('radio', { name: '确认实施完成' }).check();
      await fillFormField(page.getByLabel('完成进度（%）'), '100');
      await fillFormField(page.getByLabel('进度情况'), '全部建设内容已完成。');
      await fillFormField(page.getByLabel('实施完成情况说明'), '平台已部署并试运行一个月。');
      // AC-3, IM-4: within the project's 测评 line of 30,000 元
      await fillFormField(page.getByLabel('委托测试、测评的费用合计', { exact: false }), '28000');
      // IM-4, AC-3: the Unit engages the organisations of the software test, the acceptance test and the security
      // assessment from the registry, by their Chinese names
      for (const [n, organisation] of [
        '广东省软件测评中心',
        '广东省软件测评中心',
        '云浮赛云软件检测有限公司',
      ].entries()) {
        await page.locator('.fjs-form-field-select').nth(n).locator('.fjs-input-group').click();
        await page.locator('.fjs-dropdownlist-item', { hasText: organisation }).click();
      }
    });
    // AC-2's evidence: the Unit's IPv6 test report among the project's documents, for the Bureau to verify.
    await steps.upload('gongan.staff', projectId, 'IPv6支持测试报告.pdf', 'assessment-report');
    // IM-4: a third-party result entered by the testing organisation's account — not the Unit's, whose inbox
    // does not have it. Once the task is its, the organisation opens the project, uploads its report (a 测评报告, the
    // only kind it is offered), reads the document's number from the list and names it in its result.
    await until(
      async () =>
        ((await steps.call('ceping.gdsoft', 'GET', '/tasks?scope=groups')) as { items: Data[] }).items,
      (items) => items.some((i) => i.projectId === projectId && i.elementId === 'Task_ThirdPartyTest'),
    );
    await signOut(page);
    await signIn(page, app.url, 'ceping.gdsoft');
    current = 'ceping.gdsoft';
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    // who acts next is named as the registry names the organisation, not by its group id
    expect(await page.locator('main').textContent()).toContain('由广东省软件测评中心办理');
    expect(await page.getByLabel('材料类型').locator('option').allTextContents()).toEqual(['测评报告']);
    await page.getByLabel('文件').setInputFiles({
      name: '应用软件第三方测试报告.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
    });
    await page.getByRole('button', { name: '上传', exact: true }).click();
    const uploaded = page.locator('ul.documents li', { hasText: '应用软件第三方测试报告.pdf' });
    await uploaded.waitFor();
    const testReport = ((await uploaded.locator('.document-id').textContent()) ?? '').replace(
      /^.*文档编号\s*/,
      '',
    );
    expect(testReport).toMatch(/^[0-9a-f-]{36}$/);
    await shot(page, '07c-testing-organisation-report');
    const unitInbox = (await steps.call('gongan.staff', 'GET', '/tasks?scope=groups')) as {
      items: Array<{ elementId: string }>;
    };
    expect(unitInbox.items.map((i) => i.elementId)).not.toContain('Task_ThirdPartyTest');
    await complete('ceping.gdsoft', '应用软件第三方测试', async () => {
      await fillFormField(page.getByLabel('测试机构资质'), 'CNAS L1234');
      await fillFormField(page.getByLabel('测试报告编号'), 'RJCS-2027-045');
      await fillFormField(page.getByLabel('测试报告文档编号'), testReport);
      await pass();
    });

    await complete('bureau.reviewer', '验收前置审核', async () => {
      await page.getByRole('radio', { name: '通过，可组织验收' }).check();
      await fillFormField(page.getByLabel('审核意见'), '符合“数字政府”建设标准，可组织验收。');
    });
    // AC-2 at acceptance, by the Bureau on evidence: the catalogue entries and the IPv6 test report it chose.
    await complete('bureau.reviewer', '核验数据资源编目与IPv6支持', async () => {
      await fillFormField(page.getByLabel('数据资源名称'), '视频图像解析数据');
      await fillFormField(page.getByLabel('目录编号'), 'YF-ML-2027-0301');
      await page.getByRole('radio', { name: '已全部纳入全市政务数据资源目录' }).check();
      await page.locator('.fjs-form-field-select .fjs-input-group').click();
      await page.locator('.fjs-dropdownlist-item', { hasText: 'IPv6支持测试报告.pdf' }).click();
      await fillFormField(page.getByLabel('IPv6测试报告编号'), 'IPV6-2027-009');
      await page.getByRole('radio', { name: '测试报告证明已支持IPv6' }).check();
      await shot(page, '07d-ac2-verification');
    });
    // The three assessments run in parallel (AC-3): the two tests are the engaged organisations' own records, each
    // with the report its account uploaded to the project; the expert review is the expert's.
    const reportBy = (who: string, fileName: string) =>
      until(
        () => steps.upload(who, projectId, fileName, 'assessment-report').catch(() => ''),
        (id) => id !== '',
      );
    const acceptanceReport = await reportBy('ceping.gdsoft', '第三方验收测评报告.pdf');
    await complete('ceping.gdsoft', '第三方验收测评', async () => {
      await fillFormField(page.getByLabel('验收测评报告编号'), 'YSCP-2027-012');
      await fillFormField(page.getByLabel('验收测评报告文档编号'), acceptanceReport);
      await pass();
    });
    const securityReport = await reportBy('ceping.saiyun', '信息安全测评报告.pdf');
    await complete('ceping.saiyun', '信息安全测评', async () => {
      await fillFormField(page.getByLabel('信息安全测评报告编号'), 'AQCP-2027-007');
      await fillFormField(page.getByLabel('信息安全测评报告文档编号'), securityReport);
      await pass();
    });
    await complete('expert', '专家评审', async () => {
      await fillFormField(page.getByLabel('评审专家组'), '组长：张某（某大学）；成员：李某、王某。');
      await fillFormField(page.getByLabel('专家评审意见书编号'), 'ZJPS-2027-003');
      await pass();
    });
    // AC-1: the first acceptance fails with its reasons; the Bureau orders rectification; the Unit rectifies.
    const organise = (decision: '通过' | '不通过', report: string, opinion: string) => async () => {
      await page.getByRole('radio', { name: '按立项批复的全部建设内容整体验收' }).check();
      await fillFormField(page.getByLabel('验收日期'), '2027/7/10');
      await page.keyboard.press('Enter');
      await fillFormField(page.getByLabel('验收组成员'), '市公安局、市政务服务数据管理局、专家组。');
      await fillFormField(page.getByLabel('验收报告编号'), report);
      await page.getByRole('radio', { name: decision, exact: true }).check();
      await fillFormField(page.getByLabel('验收意见'), opinion);
    };
    await complete('gongan.staff', '组织验收', async () => {
      await organise('不通过', 'YSBG-2027-001', '视频结构化分析模块未实现。')();
      await fillFormField(
        page.getByLabel('不通过理由（逐项写明未达到的建设内容或要求）'),
        '系统主要功能未实现：视频结构化分析。',
      );
      await shot(page, '07d-acceptance-failed');
    });
    await complete('bureau.reviewer', '决定验收不通过的处理', async () => {
      expect(await page.locator('.fjs-form').textContent()).toContain('系统主要功能未实现：视频结构化分析。');
      await page.getByRole('radio', { name: '限期整改后重新验收' }).check();
      await fillFormField(
        page.getByLabel('决定意见（整改的列明整改事项）'),
        '限期三十日补齐视频结构化分析模块。',
      );
    });
    await signOut(page);
    await signIn(page, app.url, 'gongan.staff');
    current = 'gongan.staff';
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await until(
      async () => {
        await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
        await settled(page);
        return page.locator('h1 + .stage').textContent();
      },
      (stage) => stage === '验收整改中',
    );
    await complete('gongan.staff', '按验收意见整改', async () => {
      await fillFormField(page.getByLabel('整改情况说明'), '已补齐视频结构化分析模块并完成测试。');
    });
    await complete('gongan.staff', '组织验收', async () => {
      await organise('通过', 'YSBG-2027-002', '整改后验收合格。')();
      await shot(page, '07d-acceptance-form');
    });
    // AC-3: a professional project's acceptance report is filed with the Bureau.
    await complete('bureau.reviewer', '登记验收报告备案', async () => {
      await fillFormField(page.getByLabel('备案登记意见'), '验收报告已备案。');
    });
    await signOut(page);

    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await until(
      async () => {
        await page.evaluate('dispatchEvent(new HashChangeEvent("hashchange"))');
        await settled(page);
        return page.locator('h1 + .stage').textContent();
      },
      (stage) => stage === '评价中',
    );
    expect(await page.locator('h1 + .stage').getAttribute('class')).toContain('stage-evaluation');
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('li', { hasText: '项目验收' }).count()).toBeGreaterThan(0);
    expect(await timeline.locator('li', { hasText: '登记验收报告备案：完成' }).count()).toBe(1);
    await shot(page, '07e-project-in-evaluation');
    await signOut(page);
  }, 180_000);
});

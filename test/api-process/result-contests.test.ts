// Issue #11 §3, AC-3 from the users' seats: the Unit sees a third party's result — its conclusion, its report number
// and its report document — and can contest it, not write it. While it rectifies a failed 第三方验收测评 its staff
// contests the result with reasons (POST /api/projects/{id}/result-contests, what the project page's 提出异议 sends);
// the contest reaches the Bureau's reviewer as a task with a form (G-5: the Bureau supervises the whole flow), who
// upholds the result (the Unit rectifies on and is told why) or orders the same organisation to test again (its
// account gets a new result task; the old result stays in the record). Contest and decision are in the audit trail
// and the timeline. A real 专业类 project on the real engine and workers, every task completed with exactly what
// form-js submits for its form.
// The contest is a message correlated to an interrupting message boundary event on the rectification task; Camunda
// 8.8 correlates it only while that task is active and answers 404 otherwise ("Correlate message",
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/correlate-message: not
// buffered; "Messages", https://docs.camunda.io/docs/components/concepts/messages/: a subscription is opened when the
// process awaits the message and closed when the element is left), which is what refuses a contest outside that step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { formTasks } from './form-tasks.ts';
import { reportFor, TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'jiaoyu.staff',
  'bureau.reviewer',
  'bureau.admin',
  'cost.reviewer',
  'expert',
  'finance',
  'citygov',
  'supervisor',
  'ceping.gdsoft',
  'ceping.saiyun',
  'audit',
];
/** Every step before the Unit engages its 监理, and from its implementation to the pre-acceptance review. */
const ENGAGE_AT = TO_PRE_ACCEPTANCE.findIndex(([, elementId]) => elementId === 'Task_EngageSupervisor');
const TO_ENGAGEMENT = TO_PRE_ACCEPTANCE.slice(0, ENGAGE_AT);
const AFTER_ENGAGEMENT = TO_PRE_ACCEPTANCE.slice(ENGAGE_AT + 1, -1);
const FIRST_REPORT_NO = '粤软测验字〔2027〕第101号';
const REASONS = '测评报告所列“并发响应超时”系测评环境网络限速所致，生产环境压测报告已随附，请复核。';

describe('AC-3: the Unit contests a third party result, the Bureau decides', () => {
  let s: Stack;
  let formJs: FormJs;
  let projectId = '';
  let firstReportId = '';
  const t: Record<string, string> = {};
  const tasks = formTasks(
    () => ({ s, formJs }),
    t,
    (i) => i.projectId === projectId,
  );
  const step = async (who: string, elementId: string, choices: Data = {}) => {
    const extra = await reportFor(s, t[who]!, projectId, elementId);
    return tasks.complete(who, await tasks.openTask(who, elementId), { ...choices, ...extra });
  };
  const contest = (who: string, body: Data) =>
    s.api(t[who]!, 'POST', `/api/projects/${projectId}/result-contests`, body);
  const inboxHas = async (who: string, elementId: string) =>
    (await tasks.inbox(who)).some((i) => i.elementId === elementId && i.projectId === projectId);
  const timeline = async (who: string) => {
    const res = await s.api(t[who]!, 'GET', `/api/projects/${projectId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Data[];
  };
  const completions = (items: Data[], elementId: string) =>
    items.filter((i) => i.elementId === elementId && i.kind === 'element-completed');
  const auditOf = async (action: string) => {
    const res = await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}&action=${action}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Data[];
  };

  /** From the engaged 监理 to a failed 第三方验收测评 (the other two assessments pass); the Unit then rectifies. */
  const toFailedAcceptanceTest = async () => {
    for (const [who, elementId, choices] of AFTER_ENGAGEMENT) await step(who, elementId, choices);
    // AC-2's evidence, the Unit's own document, among the project's documents before the Bureau verifies
    const body = multipart('IPv6支持测试报告.pdf', 'application/pdf', PDF);
    const ipv6 = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=assessment-report`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...body.headers },
      payload: body.payload,
    });
    expect(ipv6.statusCode, ipv6.body).toBe(201);
    await step('bureau.reviewer', 'Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
    await step('bureau.reviewer', 'Task_VerifyAc2', {
      dataResources: [{ resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0901' }],
      dataResourcesVerified: 'pass',
      ipv6TestReportDocumentId: ipv6.json().id,
      ipv6Verified: 'pass',
    });
    // the three assessments: the security assessment and the expert review pass, the acceptance test fails
    await step('ceping.gdsoft', 'Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
    await step('expert', 'Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' });
    const failed = await step('ceping.gdsoft', 'Task_AcceptanceTest', {
      acceptanceTestResult: 'fail',
      acceptanceTestReportNo: FIRST_REPORT_NO,
      acceptanceTestIssues: '并发 500 用户时响应超时',
    });
    firstReportId = String(failed.acceptanceTestReportDocumentId);
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of ACCOUNTS) t[name] = await s.login(name);
    const plan = await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    projectId = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    for (const [who, elementId, choices] of TO_ENGAGEMENT) await step(who, elementId, choices);
  }, 180_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('IM-3: the 监理 fee the Unit engages must lie within the project’s 监理 line, refused naming the field', async () => {
    const engage = await tasks.openTask('gongan.staff', 'Task_EngageSupervisor');
    // the form says where the fee must stay
    const fee = (engage.form.schema.components as Data[]).find((c) => c.key === 'supervisionFee');
    expect(fee?.label).toBe('监理费用（元，纳入项目总投资，不超过服务内容所列监理费用）');
    const feeOf = async (supervisionFee: number) =>
      (
        await formJs.submit(
          engage.form.schema,
          fill(engage.form.schema, engage.variables, { supervisorOrgId: 'jianli-yuehua', supervisionFee }),
        )
      ).data;
    // PROFESSIONAL_LINES hold 30,000 元 of 监理: one 元 more is outside the total investment
    const over = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${engage.key}/complete`, {
      variables: await feeOf(30_001),
    });
    expect(over.statusCode, over.body).toBe(400);
    expect((over.json() as Problem).errors).toEqual([
      {
        field: 'variables.supervisionFee',
        reason:
          '监理费用 30,001 元 超出项目服务内容中的监理费用 30,000 元：监理费用须在项目总投资之内（IM-3）',
      },
    ]);
    const recorded = await tasks.complete('gongan.staff', engage, {
      supervisorOrgId: 'jianli-yuehua',
      supervisionFee: 30_000,
    });
    expect(recorded.supervisionFee).toBe(30_000);
  });

  it('IM-3: an application that must have 监理 is refused without a 监理 line, naming serviceLines; with one it goes', async () => {
    const software = { serviceType: 'software-development', subType: 'professional-software' };
    const draft = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({
        projectName: '警务大数据平台二期',
        serviceLines: [{ ...software, amount: 1_000_000 }],
      }),
    );
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().project.id as string;
    const refused = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(refused.statusCode, refused.body).toBe(422);
    const [issue] = (refused.json() as Problem).errors ?? [];
    expect(issue?.field).toBe('serviceLines');
    expect(issue?.reason).toContain('投资总额 1,000,000 元，达到 1,000,000 元，必须实行监理');
    expect(issue?.reason).toContain('“第三方服务／监理”');
    // the Unit adds the 监理 line to its draft (what the draft form sends), and the application goes
    const supervision = {
      serviceType: 'third-party',
      subType: 'supervision',
      relatedTo: 'professional-software',
      amount: 40_000,
    };
    const edited = await s.api(t['gongan.staff']!, 'PATCH', `/api/projects/${id}`, {
      version: draft.json().project.version,
      serviceLines: [{ ...software, amount: 960_000 }, supervision],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const sent = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(sent.statusCode, sent.body).toBe(201);
  });

  it('AC-3: the Unit sees the failed result — its conclusion, report number and report — but has no way to write it', async () => {
    await toFailedAcceptanceTest();
    await tasks.openTask('gongan.staff', 'Task_RectifyAcceptanceTest');
    const [result] = completions(await timeline('gongan.staff'), 'Task_AcceptanceTest');
    expect(result?.decision).toMatchObject({ choice: '未通过' });
    const lines = (result!.decision as { lines: string[] }).lines;
    expect(lines).toContain(`验收测评报告编号：${FIRST_REPORT_NO}`);
    expect(lines.some((l) => l.endsWith(`：${firstReportId}`))).toBe(true);
    expect(lines).toContain('发现的问题（须整改事项）：并发 500 用户时响应超时');
    // the report itself: among the project's documents and readable by the Unit
    const docs = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}/documents`);
    expect((docs.json() as Data[]).map((d) => d.id)).toContain(firstReportId);
    const report = await s.api(t['gongan.staff']!, 'GET', `/api/documents/${firstReportId}`);
    expect(report.statusCode).toBe(200);
  });

  it('AC-3: a contest needs its reasons (400 naming the field), the step it feeds (409) and the project owner', async () => {
    const fields = (res: { statusCode: number; json(): unknown; body: string }) => {
      expect(res.statusCode, res.body).toBe(400);
      return ((res.json() as Problem).errors ?? []).map((e) => e.field);
    };
    for (const reasons of ['', '   \n'])
      expect(fields(await contest('gongan.staff', { result: 'acceptance-test', reasons }))).toContain(
        'reasons',
      );
    expect(fields(await contest('gongan.staff', { result: 'acceptance-test' }))).toContain('reasons');
    expect(fields(await contest('gongan.staff', { result: 'expert-review', reasons: REASONS }))).toContain(
      'result',
    );
    // the security assessment passed: no rectification of it runs, so nothing to contest
    const passed = await contest('gongan.staff', { result: 'security-assessment', reasons: REASONS });
    expect(passed.statusCode, passed.body).toBe(409);
    expect((passed.json() as Problem).detail).toContain('整改信息安全问题');
    // not the owner's: another Unit does not see the project, the organisation and the reviewer may not contest
    expect((await contest('jiaoyu.staff', { result: 'acceptance-test', reasons: REASONS })).statusCode).toBe(
      404,
    );
    for (const who of ['ceping.gdsoft', 'bureau.reviewer'])
      expect([403, 404]).toContain(
        (await contest(who, { result: 'acceptance-test', reasons: REASONS })).statusCode,
      );
    expect(await auditOf('project.result-contest')).toEqual([]);
    expect(await inboxHas('gongan.staff', 'Task_RectifyAcceptanceTest')).toBe(true);
  });

  it('AC-3, G-5: the contest goes to the Bureau with the reasons; upheld, the Unit rectifies on and is told why', async () => {
    const sent = await contest('gongan.staff', { result: 'acceptance-test', reasons: REASONS });
    expect(sent.statusCode, sent.body).toBe(202);
    // the rectification waits while the Bureau decides
    await until(
      () => inboxHas('gongan.staff', 'Task_RectifyAcceptanceTest'),
      (has) => !has,
    );
    const review = await tasks.openTask('bureau.reviewer', 'Task_ReviewAcceptanceTestContest');
    expect(review.variables).toMatchObject({
      contestReasons: REASONS,
      contestedResultName: '第三方验收测评',
      contestedReportNo: FIRST_REPORT_NO,
      contestedReportDocumentId: firstReportId,
    });
    expect(await inboxHas('gongan.staff', 'Task_ReviewAcceptanceTestContest')).toBe(false);
    expect(await inboxHas('ceping.gdsoft', 'Task_ReviewAcceptanceTestContest')).toBe(false);
    // G-5: the review has its deadline, 10 working days (contestReview), due at 18:00 Shanghai, in the inbox
    const listed = (await tasks.inbox('bureau.reviewer')).find((i) => String(i.userTaskKey) === review.key);
    expect(listed).toMatchObject({ workingDaysLeft: 10, overdue: false, dueDateProvisional: false });
    expect(String(listed?.dueDate)).toMatch(/T10:00:00\.000Z$/);
    // a decision without its reasons: form-js refuses, and sent anyway the server refuses, naming the field
    const bare = await formJs.submit(
      review.form.schema,
      fill(review.form.schema, review.variables, { contestDecision: 'uphold', contestDecisionReasons: '' }),
    );
    expect(Object.keys(bare.errors)).toEqual(['Field_ContestDecisionReasons']);
    const refused = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${review.key}/complete`, {
      variables: bare.data,
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect((refused.json() as Problem).errors?.map((e) => e.field)).toContain(
      'variables.contestDecisionReasons',
    );
    const upheld = '网络限速已在测评方案中约定，测评环境符合规范，结论成立。';
    await tasks.complete('bureau.reviewer', review, {
      contestDecision: 'uphold',
      contestDecisionReasons: upheld,
    });
    // the flow goes on as before: the Unit's rectification is back, and the Unit is told the decision and why
    await tasks.openTask('gongan.staff', 'Task_RectifyAcceptanceTest');
    const notices = (await s.api(t['gongan.staff']!, 'GET', '/api/notifications')).json() as Data[];
    const notice = notices.find((n) => String(n.title).startsWith('审查验收测评结论异议'));
    expect(notice?.title).toBe('审查验收测评结论异议：维持原测评结论，继续整改');
    expect(String(notice?.body)).toContain(`审查理由：${upheld.replace(/。$/, '')}`);
    // the record: the contest with its reasons and the decision with its reasons, in the audit trail and timeline
    const [contested] = await auditOf('project.result-contest');
    expect(contested).toMatchObject({ payload: { result: 'acceptance-test', reasons: REASONS } });
    expect(contested?.accountId).toBe((await s.api(t['gongan.staff']!, 'GET', '/api/me')).json().id);
    const decided = (await auditOf('task.complete')).filter(
      (e) => (e.payload as Data).elementId === 'Task_ReviewAcceptanceTestContest',
    );
    expect((decided[0]!.payload as { variables: Data }).variables).toMatchObject({
      contestDecision: 'uphold',
      contestDecisionReasons: upheld,
    });
    const items = await timeline('gongan.staff');
    expect(items.find((i) => i.kind === 'project.result-contest')).toMatchObject({
      title: '对第三方验收测评结论提出异议',
      detail: `异议理由：${REASONS}`,
    });
    expect(completions(items, 'Task_ReviewAcceptanceTestContest')[0]?.decision).toMatchObject({
      choice: '维持原测评结论，继续整改',
    });
  });

  it('AC-3: contested again, the Bureau orders a new test — the same organisation enters a new result, the old one stays on record', async () => {
    const sent = await contest('gongan.staff', {
      result: 'acceptance-test',
      reasons: '已补充提供生产环境压测原始数据，请求由原机构复测。',
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await tasks.complete(
      'bureau.reviewer',
      await tasks.openTask('bureau.reviewer', 'Task_ReviewAcceptanceTestContest'),
      {
        contestDecision: 'retest',
        contestDecisionReasons: '补充数据表明超时与测评环境有关，由原测评机构复测。',
      },
    );
    // the organisation engaged for it (省软件测评中心) gets the new result task, the other organisation not
    const retest = await tasks.openTask('ceping.gdsoft', 'Task_AcceptanceTest');
    expect(await inboxHas('ceping.saiyun', 'Task_AcceptanceTest')).toBe(false);
    expect(await inboxHas('gongan.staff', 'Task_RectifyAcceptanceTest')).toBe(false);
    const report = await reportFor(s, t['ceping.gdsoft']!, projectId, 'Task_AcceptanceTest');
    await tasks.complete('ceping.gdsoft', retest, {
      acceptanceTestResult: 'pass',
      acceptanceTestReportNo: '粤软测验字〔2027〕第132号',
      ...report,
    });
    // all three assessments passed: the Unit organises the acceptance (AC-1); no rectification is left to contest
    await tasks.openTask('gongan.staff', 'Task_OrganiseAcceptance');
    const late = await contest('gongan.staff', { result: 'acceptance-test', reasons: REASONS });
    expect(late.statusCode, late.body).toBe(409);
    // both results are in the record, the failed one with its own report
    const results = completions(await timeline('gongan.staff'), 'Task_AcceptanceTest');
    expect(results.map((r) => (r.decision as { choice: string }).choice)).toEqual(['未通过', '通过']);
    expect((results[0]!.decision as { lines: string[] }).lines).toContain(
      `验收测评报告编号：${FIRST_REPORT_NO}`,
    );
    expect((await auditOf('project.result-contest')).length).toBe(2);
  });
});

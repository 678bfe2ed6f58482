// Issue #11 §3, IM-4 from the users' seats: the application software's third-party test is the engaged
// organisation's result, not the Unit's. When 省软件测评中心's account enters a failed test, the Unit's staff sees
// the result and, while it fixes the defects, contests it with reasons (POST /api/projects/{id}/result-contests,
// result `software-test`); the contest is a message to an interrupting boundary event on 整改测试问题
// (processes/project-implementation.bpmn), which Camunda 8.8 correlates only while that task waits ("Correlate
// message", https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/correlate-message;
// "Messages", https://docs.camunda.io/docs/components/concepts/messages/).
// The Bureau's reviewer orders a new test: the same organisation's account gets the result task again, and the
// failed result stays in the record. Real 专业类 project, real engine and workers, form-js submissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { formTasks } from './form-tasks.ts';
import { reportFor, TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'bureau.reviewer',
  'bureau.admin',
  'cost.reviewer',
  'expert',
  'finance',
  'citygov',
  'supervisor',
  'ceping.gdsoft',
  'ceping.saiyun',
];
/** Every step before the engaged organisation enters the software test's result. */
const TO_SOFTWARE_TEST = TO_PRE_ACCEPTANCE.slice(
  0,
  TO_PRE_ACCEPTANCE.findIndex(([, elementId]) => elementId === 'Task_ThirdPartyTest'),
);
const REASONS = '测试所列“接口超时”系测试环境未接入政务外网所致，已提供接入后的复测记录。';

describe('IM-4: the Unit contests the software test result, the Bureau orders a retest', () => {
  let s: Stack;
  let formJs: FormJs;
  let projectId = '';
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
  const contest = (body: Data) =>
    s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/result-contests`, body);
  const inboxHas = async (who: string, elementId: string) =>
    (await tasks.inbox(who)).some((i) => i.elementId === elementId && i.projectId === projectId);

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
    for (const [who, elementId, choices] of TO_SOFTWARE_TEST) await step(who, elementId, choices);
  }, 180_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('IM-4: contested while the Unit fixes the defects, the same organisation tests again; the failed result stays on record', async () => {
    // before any result, nothing to contest
    expect((await contest({ result: 'software-test', reasons: REASONS })).statusCode).toBe(409);
    await step('ceping.gdsoft', 'Task_ThirdPartyTest', {
      softwareTestResult: 'fail',
      softwareTestReportNumber: '粤软测字〔2027〕第066号',
      softwareTestIssues: '接口超时',
    });
    await tasks.openTask('gongan.staff', 'Task_FixTestDefects');
    // the acceptance's results are not contestable during implementation; empty reasons are refused by field
    expect((await contest({ result: 'acceptance-test', reasons: REASONS })).statusCode).toBe(409);
    const empty = await contest({ result: 'software-test', reasons: ' ' });
    expect(empty.statusCode, empty.body).toBe(400);
    expect((empty.json() as Problem).errors?.map((e) => e.field)).toEqual(['reasons']);
    const sent = await contest({ result: 'software-test', reasons: REASONS });
    expect(sent.statusCode, sent.body).toBe(202);
    await until(
      () => inboxHas('gongan.staff', 'Task_FixTestDefects'),
      (has) => !has,
    );
    const review = await tasks.openTask('bureau.reviewer', 'Task_ReviewSoftwareTestContest');
    expect(review.variables).toMatchObject({
      contestReasons: REASONS,
      contestedResultName: '应用软件第三方测试',
      contestedReportNo: '粤软测字〔2027〕第066号',
      contestedIssues: '接口超时',
    });
    // G-5: the review has its deadline, 10 working days (contestReview), due at 18:00 Shanghai, in the inbox
    const listed = (await tasks.inbox('bureau.reviewer')).find((i) => String(i.userTaskKey) === review.key);
    expect(listed).toMatchObject({ workingDaysLeft: 10, overdue: false, dueDateProvisional: false });
    expect(String(listed?.dueDate)).toMatch(/T10:00:00\.000Z$/);
    const decided = await formJs.submit(
      review.form.schema,
      fill(review.form.schema, review.variables, {
        contestDecision: 'retest',
        contestDecisionReasons: '复测记录表明超时与测试环境有关，由原测试机构重新测试。',
      }),
    );
    expect(decided.errors).toEqual({});
    expect(
      (
        await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${review.key}/complete`, {
          variables: decided.data,
        })
      ).statusCode,
    ).toBe(404);
    await tasks.complete('bureau.reviewer', review, decided.data as Data);
    // the organisation engaged for the test (省软件测评中心) enters a new result; the other organisation has no task
    const retest = await tasks.openTask('ceping.gdsoft', 'Task_ThirdPartyTest');
    expect(await inboxHas('ceping.saiyun', 'Task_ThirdPartyTest')).toBe(false);
    await tasks.complete('ceping.gdsoft', retest, {
      softwareTestResult: 'pass',
      softwareTestReportNumber: '粤软测字〔2027〕第081号',
      ...(await reportFor(s, t['ceping.gdsoft']!, projectId, 'Task_ThirdPartyTest')),
    });
    // passed: the 监理 firm confirms completion next, and both results are in the Unit's timeline
    await tasks.openTask('supervisor', 'Task_SupervisorConfirmCompletion');
    const timeline = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}/timeline`);
    const items = timeline.json().items as Data[];
    const results = items.filter(
      (i) => i.elementId === 'Task_ThirdPartyTest' && i.kind === 'element-completed',
    );
    expect(results.map((r) => (r.decision as { choice: string }).choice)).toEqual(['未通过', '通过']);
    expect(items.find((i) => i.kind === 'project.result-contest')).toMatchObject({
      title: '对应用软件第三方测试结论提出异议',
      detail: `异议理由：${REASONS}`,
    });
    const notices = (await s.api(t['gongan.staff']!, 'GET', '/api/notifications')).json() as Data[];
    expect(notices.map((n) => n.title)).toContain('审查测试结论异议：异议成立，由原测评机构重新测评');
  });
});

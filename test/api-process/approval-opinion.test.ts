// PRO-3 from the users' seats: after Finance's 资金审核 a person of the Bureau (bureau.admin) decides the 立项审批意见,
// combining Finance's opinion, through /api with exactly what form-js submits for the form; the worker then issues
// the numbered document (云政数审〔year〕N号, the tenant's gap-free sequence), a DOCX kept as the project's
// approval-opinion document. The Unit, Finance and Audit each list and download it through the documents API and
// the test opens the DOCX (word/document.xml) and reads its Chinese text; Finance still cannot read other materials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { docxText } from '../support/docx.ts';
import { professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
interface TaskDetail {
  form: { formId: string; schema: Data };
  variables: Data;
}

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'bureau.reviewer',
  'bureau.admin',
  'cost.reviewer',
  'expert',
  'finance',
  'audit',
];

describe('PRO-3: the Bureau decides the 立项审批意见 and the numbered DOCX reaches the Unit, Finance and Audit', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};

  const openTask = async (who: string, projectId: string, elementId: string) => {
    const items = await until(
      async () => {
        const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Data[];
      },
      (x) => x.some((i) => i.elementId === elementId && i.projectId === projectId),
    );
    const item = items.find((i) => i.elementId === elementId && i.projectId === projectId)!;
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${item.userTaskKey}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key: String(item.userTaskKey), ...(detail.json() as TaskDetail) };
  };
  /** `who` completes the task with form-js's submission of the form filled with `choices`; returns what was sent. */
  const complete = async (who: string, projectId: string, elementId: string, choices: Data) => {
    const task = await openTask(who, projectId, elementId);
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${elementId} as ${who}: ${res.body}`).toBe(200);
    return { task, sent: submitted.data };
  };

  /** A professional project of 公安局 taken through 初核, 造价审核, 专家论证 and 资金审核 to the Bureau's decision. */
  const throughFinance = async () => {
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    await complete('gongan.section', projectId, 'Task_SectionReview', { sectionDecision: 'approve' });
    await complete('bureau.reviewer', projectId, 'Task_InitialCheck', { initialCheckDecision: 'pass' });
    await complete('cost.reviewer', projectId, 'Task_CostReview', {
      costReviewPassed: true,
      reviewedAmount: 1_000_000,
    });
    await complete('expert', projectId, 'Task_ExpertReview', { expertReviewPassed: true });
    await complete('finance', projectId, 'Task_FinanceReview', {
      financeApproved: true,
      financeOpinion: '同意安排市本级财政资金',
      preliminaryFundingAmount: 985_500,
    });
    return projectId;
  };

  const opinionDocuments = async (who: string, projectId: string) => {
    const res = await s.api(t[who]!, 'GET', `/api/projects/${projectId}/documents?kind=approval-opinion`);
    expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
    return res.json() as Data[];
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
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('a Bureau person decides; the numbered DOCX says so, and the Unit, Finance and Audit download it', async () => {
    const projectId = await throughFinance();
    // No opinion is issued before the Bureau's person has decided: the step waits in bureau.admin's inbox.
    const decision = await openTask('bureau.admin', projectId, 'Task_BureauApprovalOpinion');
    expect(decision.form.formId).toBe('bureau-approval-opinion');
    expect(decision.variables).toMatchObject({ financeOpinion: '同意安排市本级财政资金' });
    expect(JSON.stringify(decision.form.schema)).toContain('{{financeOpinion}}');
    expect(await opinionDocuments('gongan.staff', projectId)).toEqual([]);
    // The form requires the Bureau's own opinion: an empty completion is refused naming the field.
    const empty = await s.api(t['bureau.admin']!, 'POST', `/api/tasks/${decision.key}/complete`, {
      variables: {},
    });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.body).toContain('bureauOpinion');
    const { sent } = await complete('bureau.admin', projectId, 'Task_BureauApprovalOpinion', {
      bureauOpinion: '同意立项，按市财政局意见安排资金，请严格控制投资。',
    });
    expect(sent).toEqual({ bureauOpinion: '同意立项，按市财政局意见安排资金，请严格控制投资。' });
    // The Unit's next step shows the number the worker issued.
    const funding = await openTask('gongan.staff', projectId, 'Task_SubmitFundingApplication');
    expect(funding.variables.approvalOpinionNumber).toBe('云政数审〔2026〕1号');

    const listed = await opinionDocuments('gongan.staff', projectId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      kind: 'approval-opinion',
      fileName: '立项审批意见-云政数审〔2026〕1号.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    for (const who of ['gongan.staff', 'finance', 'audit']) {
      expect(await opinionDocuments(who, projectId)).toEqual(listed);
      const res = await s.api(t[who]!, 'GET', `/api/documents/${listed[0]!.id}`);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      const text = docxText(res.rawPayload);
      for (const line of [
        '云浮市政务服务和数据管理局',
        '云政数审〔2026〕1号',
        '关于云浮市智慧警务综合平台的立项审批意见',
        '云浮市公安局：',
        `项目编号 ${projectId}，专业类项目`,
        '一、申报总投资：1,060,000 元（106 万元）。',
        '二、造价审定金额：1,000,000 元（100 万元）。',
        '三、核定资金安排：985,500 元（98.55 万元）。',
        '四、市财政局资金审核意见：同意安排市本级财政资金',
        '五、本局意见：同意立项，按市财政局意见安排资金，请严格控制投资。',
        '二〇二六年十一月二十七日',
      ])
        expect(text, who).toContain(line);
    }
    // Finance reads the opinion issued to it, still not the Unit's other materials (SV-2).
    expect((await s.api(t.finance!, 'GET', `/api/projects/${projectId}/documents`)).statusCode).toBe(403);
    // an unknown kind is a 400 naming the field, not a 500
    const bad = await s.api(t.audit!, 'GET', `/api/projects/${projectId}/documents?kind=nonsense`);
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.body).toContain('kind');
  }, 300_000);

  it('numbers the next opinion of the year without a gap', async () => {
    const projectId = await throughFinance();
    await complete('bureau.admin', projectId, 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项。' });
    const funding = await openTask('gongan.staff', projectId, 'Task_SubmitFundingApplication');
    expect(funding.variables.approvalOpinionNumber).toBe('云政数审〔2026〕2号');
    const [doc] = await opinionDocuments('audit', projectId);
    const text = docxText((await s.api(t.audit!, 'GET', `/api/documents/${doc!.id}`)).rawPayload);
    expect(text).toContain('云政数审〔2026〕2号');
    expect(text).toContain('五、本局意见：同意立项。');
  }, 300_000);
});

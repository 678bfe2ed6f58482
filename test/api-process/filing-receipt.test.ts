// PRO-3, IM-8, IM-9 from the users' seats: the Unit (gongan.staff) files a change, a delay and a termination through
// /api during implementation; the Bureau's reviewer (and, for the termination, Finance) registers each with exactly
// what form-js submits for the registration form; the record-filing worker issues a numbered 备案回执 (the filing's
// own number, 云政数备〔year〕N号) as a DOCX kept as the project's filing-receipt document. The Unit, Finance and
// Audit each list and download it through the documents API and the test opens the DOCX and reads its Chinese text;
// another Unit sees none of it, nobody uploads under the issued kind, and the issue is in the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { docxText } from '../support/docx.ts';
import { TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
interface TaskDetail {
  form: { formId: string; schema: Data };
  variables: Data;
}

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
  'audit',
];
/** Every step up to the signed contract and the engaged 监理: the project is being implemented. */
const TO_IMPLEMENTATION = TO_PRE_ACCEPTANCE.slice(
  0,
  TO_PRE_ACCEPTANCE.findIndex(([, elementId]) => elementId === 'Task_EngageSupervisor') + 1,
);

describe('PRO-3: the numbered 备案回执 of change, delay and termination filings reaches the Unit, Finance and Audit', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  const seen = new Set<string>();

  const openTask = async (who: string, projectId: string, elementId: string) => {
    const fresh = (i: Data) =>
      i.elementId === elementId && i.projectId === projectId && !seen.has(String(i.userTaskKey));
    const items = await until(
      async () => {
        const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Data[];
      },
      (x) => x.some(fresh),
    );
    const key = String(items.find(fresh)!.userTaskKey);
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as TaskDetail) };
  };
  /** `who` completes the task with form-js's submission of the form filled with `choices`; returns what was sent. */
  const complete = async (who: string, projectId: string, elementId: string, choices: Data = {}) => {
    const task = await openTask(who, projectId, elementId);
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${elementId} as ${who}: ${res.body}`).toBe(200);
    seen.add(task.key);
    return submitted.data;
  };
  const implementing = async (name: string) => {
    const created = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: name }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    for (const [who, elementId, choices] of TO_IMPLEMENTATION)
      await complete(who, projectId, elementId, choices);
    return projectId;
  };
  const file = async (projectId: string, body: Data) => {
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/filings`, body);
    expect(res.statusCode, res.body).toBe(202);
    // G-6: the Unit's 责任科室 signs it off before it reaches the Bureau (and Finance).
    const element = `Task_SectionReview${String(body.kind).replace(/^./, (c) => c.toUpperCase())}Filing`;
    await complete('gongan.section', projectId, element, { sectionDecision: 'approve' });
  };
  const receipts = async (who: string, projectId: string) => {
    const res = await s.api(t[who]!, 'GET', `/api/projects/${projectId}/documents?kind=filing-receipt`);
    expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
    return res.json() as Data[];
  };
  const filings = async (projectId: string) => {
    const res = await s.api(t.audit!, 'GET', `/api/filings?projectId=${projectId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Data[];
  };
  /** The text of the receipt as each of the Unit, Finance and Audit downloads it (the same for all three). */
  const downloadedText = async (documentId: string) => {
    const texts = new Set<string>();
    for (const who of ['gongan.staff', 'finance', 'audit']) {
      const res = await s.api(t[who]!, 'GET', `/api/documents/${documentId}`);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      texts.add(docxText(res.rawPayload));
    }
    expect(texts.size).toBe(1);
    return [...texts][0]!;
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

  it('a registered change and delay each get a numbered DOCX receipt the Unit, Finance and Audit download', async () => {
    const projectId = await implementing('云浮市智慧警务综合平台');
    await file(projectId, {
      kind: 'change',
      changeDescription: '增加移动端警务应用',
      changeReason: '公安部新要求',
    });
    // No receipt before the Bureau has registered the filing.
    await openTask('bureau.reviewer', projectId, 'Task_RegisterChangeFiling');
    expect(await receipts('gongan.staff', projectId)).toEqual([]);
    await complete('bureau.reviewer', projectId, 'Task_RegisterChangeFiling', {
      changeFilingOpinion: '同意备案，请按变更后的方案实施。',
    });
    const changeFiling = (
      await until(
        () => filings(projectId),
        (x) => x.some((f) => f.kind === 'change' && f.documentId),
      )
    ).find((f) => f.kind === 'change')!;
    expect(changeFiling.number).toMatch(/^云政数备〔2026〕\d+号$/);
    const listed = await receipts('gongan.staff', projectId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: changeFiling.documentId,
      kind: 'filing-receipt',
      fileName: `重大变更备案回执-${changeFiling.number}.docx`,
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    for (const who of ['finance', 'audit']) expect(await receipts(who, projectId)).toEqual(listed);
    const changeText = await downloadedText(String(changeFiling.documentId));
    for (const line of [
      // SU-2, SU-4: the project was initiated under 云府办〔2024〕8号, which renamed the Bureau
      '云浮市政务服务和数据管理局',
      String(changeFiling.number),
      '重大变更备案回执',
      '云浮市公安局：',
      `你单位报送的云浮市智慧警务综合平台（项目编号 ${projectId}）重大变更备案已登记备案，备案编号 ${changeFiling.number}。`,
      '一、变更内容：增加移动端警务应用',
      '二、变更理由：公安部新要求',
      '三、登记意见：同意备案，请按变更后的方案实施。',
      '特此回执。',
      '二〇二六年十一月二十七日',
    ])
      expect(changeText).toContain(line);

    await file(projectId, {
      kind: 'delay',
      delayReason: '设备到货延迟',
      requestedDeliveryDate: '2027-09-30T18:00:00+08:00',
    });
    const sent = await complete('bureau.reviewer', projectId, 'Task_RegisterDelayFiling', {
      deliveryDate: '2027-09-30T18:00+08:00',
      delayFilingOpinion: '同意延期至九月底。',
    });
    // form-js's datetime field sends the instant in UTC; the receipt states it in Beijing time.
    expect(new Date(String(sent.deliveryDate)).toISOString()).toBe('2027-09-30T10:00:00.000Z');
    expect(sent.delayFilingOpinion).toBe('同意延期至九月底。');
    const delayFiling = (
      await until(
        () => filings(projectId),
        (x) => x.some((f) => f.kind === 'delay' && f.documentId),
      )
    ).find((f) => f.kind === 'delay')!;
    // The receipts carry the filings' numbers: the tenant's per-year sequence, one after the other.
    expect(delayFiling.seq).toBe(Number(changeFiling.seq) + 1);
    const delayText = await downloadedText(String(delayFiling.documentId));
    for (const line of [
      `延期交付备案已登记备案，备案编号 ${delayFiling.number}。`,
      '一、延期理由：设备到货延迟',
      '二、申请交付日期：2027年9月30日 18:00',
      '三、确定的交付日期：2027年9月30日 18:00',
      '四、登记意见：同意延期至九月底。',
    ])
      expect(delayText).toContain(line);
    expect(await receipts('gongan.staff', projectId)).toHaveLength(2);

    // Another Unit sees neither the receipts nor the files; nobody uploads under the kind the process issues.
    const other = await s.api(
      t['jiaoyu.staff']!,
      'GET',
      `/api/projects/${projectId}/documents?kind=filing-receipt`,
    );
    expect(other.statusCode).toBe(404);
    expect(
      (await s.api(t['jiaoyu.staff']!, 'GET', `/api/documents/${changeFiling.documentId}`)).statusCode,
    ).toBe(404);
    const upload = multipart('备案回执.pdf', 'application/pdf', PDF);
    const forged = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=filing-receipt`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...upload.headers },
      payload: upload.payload,
    });
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json().errors).toEqual([
      { field: 'kind', reason: '备案回执由登记备案的流程步骤生成，不能上传' },
    ]);

    // The issue is in the audit trail: which filing, its number and the document.
    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
      payload: Data;
    }>;
    const issued = log.filter((e) => e.action === 'filing.receipt-issued');
    expect(issued.map((e) => [e.payload.number, e.payload.documentId])).toEqual(
      expect.arrayContaining([
        [changeFiling.number, changeFiling.documentId],
        [delayFiling.number, delayFiling.documentId],
      ]),
    );
    expect(issued).toHaveLength(2);
  }, 240_000);

  it('a termination registered with the Bureau and with Finance gets one receipt from each', async () => {
    const projectId = await implementing('云浮市警务视频联网平台');
    await file(projectId, { kind: 'termination', terminationReason: '供应商无法履约，合同须终止' });
    await complete('bureau.reviewer', projectId, 'Task_RegisterTerminationWithBureau', {
      bureauTerminationFilingOpinion: '同意终止备案。',
    });
    await complete('finance', projectId, 'Task_RegisterTerminationWithFinance', {
      financeTerminationFilingOpinion: '同意终止，未支付资金收回。',
    });
    const terminations = await until(
      () => filings(projectId),
      (x) => x.filter((f) => f.kind === 'termination' && f.documentId).length === 2,
    );
    const texts = await Promise.all(
      terminations.map(async (f) => ({
        filedWith: (f.payload as Data).filedWith,
        f,
        text: await downloadedText(String(f.documentId)),
      })),
    );
    const bureau = texts.find((x) => x.filedWith === 'bureau')!;
    const finance = texts.find((x) => x.filedWith === 'finance')!;
    expect(bureau.text).toContain('云浮市政务服务和数据管理局');
    expect(bureau.text).toContain(`终止合同备案已登记备案，备案编号 ${bureau.f.number}。`);
    expect(bureau.text).toContain('一、终止理由：供应商无法履约，合同须终止');
    expect(bureau.text).toContain('二、市政务服务和数据管理局登记意见：同意终止备案。');
    expect(bureau.text).not.toContain('市财政局登记意见');
    expect(finance.text).toContain('云浮市财政局');
    expect(finance.text).toContain(`备案编号 ${finance.f.number}。`);
    expect(finance.text).toContain('二、市财政局登记意见：同意终止，未支付资金收回。');
    expect(finance.text).not.toContain('数据管理局登记意见');
    expect(bureau.f.number).not.toBe(finance.f.number);
    expect((await receipts('finance', projectId)).map((d) => d.id).sort()).toEqual(
      terminations.map((f) => f.documentId).sort(),
    );
  }, 240_000);
});

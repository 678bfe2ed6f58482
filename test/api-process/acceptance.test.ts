// AC-1 and AC-2 from the users' seats: projects walked through /api by every role's own account, each task completed
// with exactly what form-js submits for its form and variables (test/forms/form-js.ts: the viewer the task page
// runs, in headless chromium). AC-2 is the Bureau's verification of the catalogue entries and of the IPv6 test
// report, a project document the Unit uploaded; it fails into the Unit's rectification. AC-1: an acceptance can
// fail; the Bureau decides rectification and a new acceptance, or the lifecycle's not-accepted end; the 项目库
// (/api/projects) shows 验收整改中 and 未通过验收.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { ASSESSMENTS, reportFor, TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

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
  'citygov',
  'supervisor',
  'ceping.gdsoft',
];

const CATALOGUE = [
  { resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0101' },
  { resourceName: '视频点位数据', catalogueNumber: 'YF-ML-2027-0102' },
];

describe('acceptance that can fail, and AC-2 verified on evidence, through /api (AC-1, AC-2)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  const seen = new Set<string>();
  /** Each project's lifecycle instance, as the submission answered it. */
  const lifecycles = new Map<string, string>();

  /** The open task `elementId` of `projectId` in `who`'s inbox (waits for it), with its form and variables. */
  const openTask = async (who: string, projectId: string, elementId: string) => {
    const items = await until(
      async () => {
        const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Data[];
      },
      (x) =>
        x.some(
          (i) => i.elementId === elementId && i.projectId === projectId && !seen.has(String(i.userTaskKey)),
        ),
    );
    const item = items.find(
      (i) => i.elementId === elementId && i.projectId === projectId && !seen.has(String(i.userTaskKey)),
    )!;
    const key = String(item.userTaskKey);
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as TaskDetail) };
  };
  /** What form-js submits once `who` has filled the task's form with `choices`. */
  const submission = async (task: TaskDetail, choices: Data) => {
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    return submitted.data;
  };
  const post = (who: string, key: string, variables: Data) =>
    s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables });
  /** `who` completes their task with form-js's submission of `choices`; returns what was sent. */
  const complete = async (who: string, projectId: string, elementId: string, choices: Data = {}) => {
    const task = await openTask(who, projectId, elementId);
    const data = await submission(task, choices);
    const res = await post(who, task.key, data);
    expect(res.statusCode, `${elementId} as ${who}: ${res.body}`).toBe(200);
    seen.add(task.key);
    return data;
  };
  const project = async (projectId: string) => {
    const res = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Data;
  };
  const stageBecomes = (projectId: string, stage: string) =>
    until(
      () => project(projectId),
      (p) => p.stage === stage,
    );
  /**
   * A 专业类 project (1,060,000 元) submitted and taken by each role to its acceptance, AC-2 not yet verified;
   * `report`: the Unit uploads its IPv6 test report once the implementation is done (the document's id is kept).
   */
  const reports = new Map<string, string>();
  const atAcceptance = async (name: string, report?: string) => {
    const created = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: name }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    lifecycles.set(id, submitted.json().processInstanceKey as string);
    for (const [who, elementId, choices] of TO_PRE_ACCEPTANCE) {
      await complete(who, id, elementId, { ...choices, ...(await reportFor(s, t[who]!, id, elementId)) });
      if (report && elementId === 'Task_Implement') reports.set(id, await upload(id, report));
    }
    return id;
  };
  const upload = async (projectId: string, fileName: string) => {
    const body = multipart(fileName, 'application/pdf', PDF);
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=assessment-report`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const refusedFields = (res: { statusCode: number; json(): unknown; body: string }) => {
    expect(res.statusCode, res.body).toBe(400);
    return ((res.json() as Problem).errors ?? []).map((e) => e.field);
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

  it('AC-2 fails without an IPv6 test report, the Unit rectifies and uploads one, the Bureau verifies the catalogue entries; then AC-1 fails, is rectified and passes', async () => {
    const id = await atAcceptance('云浮市智慧警务综合平台');

    // AC-2: the Bureau's own task; no IPv6 report among the documents yet (only the testing organisation's software
    // test report, IM-4), so none is chosen and it cannot pass — and the server says so, by field
    const verify = await openTask('bureau.reviewer', id, 'Task_VerifyAc2');
    expect(verify.variables.projectDocuments).toEqual([
      expect.objectContaining({ label: expect.stringContaining('应用软件第三方测试报告.pdf') }),
    ]);
    const unproven = {
      dataResources: CATALOGUE,
      dataResourcesVerified: 'pass',
      ipv6Verified: 'pass',
      ipv6TestReportDocumentId: '',
    };
    const refusedByFormJs = await formJs.submit(
      verify.form.schema,
      fill(verify.form.schema, verify.variables, unproven),
    );
    expect(Object.keys(refusedByFormJs.errors)).toEqual(['Field_Ipv6TestReportDocumentId']);
    // sent anyway (not through the page): refused by the server, naming the field — also with a made-up document
    const forged = refusedByFormJs.data;
    expect(refusedFields(await post('bureau.reviewer', verify.key, forged))).toContain(
      'variables.ipv6TestReportDocumentId',
    );
    expect(
      refusedFields(
        await post('bureau.reviewer', verify.key, { ...forged, ipv6TestReportDocumentId: 'not-a-document' }),
      ),
    ).toContain('variables.ipv6TestReportDocumentId');
    const failed = await complete('bureau.reviewer', id, 'Task_VerifyAc2', {
      dataResources: CATALOGUE,
      dataResourcesVerified: 'pass',
      ipv6Verified: 'fail',
      ac2VerificationReasons: '未提供IPv6支持测试报告',
    });
    expect(failed).not.toHaveProperty('ipv6TestReportDocumentId');
    // the rectification loop: the Unit sees the reasons, uploads the report, and the Bureau verifies again
    const rectify = await openTask('gongan.staff', id, 'Task_RectifyPrerequisites');
    expect(rectify.variables.ac2VerificationReasons).toBe('未提供IPv6支持测试报告');
    const documentId = await upload(id, 'IPv6支持测试报告.pdf');
    await complete('gongan.staff', id, 'Task_RectifyPrerequisites');
    const again = await openTask('bureau.reviewer', id, 'Task_VerifyAc2');
    // (both uploaded at the same frozen instant: their order is the ids')
    expect(again.variables.projectDocuments).toHaveLength(2);
    expect(again.variables.projectDocuments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: expect.stringContaining('应用软件第三方测试报告.pdf') }),
        expect.objectContaining({
          value: documentId,
          label: expect.stringContaining('IPv6支持测试报告.pdf'),
        }),
      ]),
    );
    const verified = await complete('bureau.reviewer', id, 'Task_VerifyAc2', {
      dataResources: CATALOGUE,
      dataResourcesVerified: 'pass',
      ipv6TestReportDocumentId: documentId,
      ipv6Verified: 'pass',
    });
    expect(verified).not.toHaveProperty('ac2VerificationReasons');
    const registered = await until(
      () =>
        s.store.db
          .selectFrom('dataResources')
          .select(['catalogueRef'])
          .where('projectId', '=', id)
          .orderBy('catalogueRef')
          .execute(),
      (rows) => rows.length === 2,
    );
    expect(registered.map((r) => r.catalogueRef)).toEqual(['YF-ML-2027-0101', 'YF-ML-2027-0102']);

    for (const [who, elementId, choices] of ASSESSMENTS)
      await complete(who, id, elementId, { ...choices, ...(await reportFor(s, t[who]!, id, elementId)) });

    // AC-1: 不通过 needs its reasons (400 naming the field without them); then the Bureau orders rectification
    const organise = await openTask('gongan.staff', id, 'Task_OrganiseAcceptance');
    const noReasons = await submission(organise, { acceptanceDecision: 'fail' });
    const { acceptanceFailureReasons: _, ...withoutReasons } = noReasons;
    expect(refusedFields(await post('gongan.staff', organise.key, withoutReasons))).toEqual([
      'variables.acceptanceFailureReasons',
    ]);
    await complete('gongan.staff', id, 'Task_OrganiseAcceptance', {
      acceptanceDecision: 'fail',
      acceptanceFailureReasons: '验收不通过：系统主要功能未实现',
    });
    const decide = await openTask('bureau.reviewer', id, 'Task_DecideFailedAcceptance');
    expect(decide.variables.acceptanceFailureReasons).toBe('验收不通过：系统主要功能未实现');
    await complete('bureau.reviewer', id, 'Task_DecideFailedAcceptance', {
      failedAcceptanceDecision: 'rectify',
      failedAcceptanceOpinion: '限期三十日整改后重新验收',
    });
    const inRectification = await stageBecomes(id, 'acceptance-rectification');
    expect(inRectification.stageName).toBe('验收整改中');
    const list = await s.api(t['gongan.staff']!, 'GET', '/api/projects?stage=acceptance-rectification');
    expect(list.statusCode, list.body).toBe(200);
    expect(JSON.stringify(list.json())).toContain(id);
    await complete('gongan.staff', id, 'Task_RectifyAcceptance');
    expect((await stageBecomes(id, 'acceptance')).stageName).toBe('验收中');
    // a new acceptance, passed: the professional project's report is filed and it moves on to evaluation
    await complete('gongan.staff', id, 'Task_OrganiseAcceptance', { acceptanceDecision: 'pass' });
    await complete('bureau.reviewer', id, 'Task_RegisterAcceptanceReport');
    expect((await stageBecomes(id, 'evaluation')).stageName).toBe('评价中');
  }, 300_000);

  it('AC-1: a failed acceptance the Bureau closes ends the lifecycle not accepted, and the 项目库 says so', async () => {
    const id = await atAcceptance('云浮市公安视频共享平台', 'IPv6测试报告.pdf');
    const documentId = reports.get(id)!;
    await complete('bureau.reviewer', id, 'Task_VerifyAc2', {
      dataResources: CATALOGUE.slice(0, 1),
      dataResourcesVerified: 'pass',
      ipv6TestReportDocumentId: documentId,
      ipv6Verified: 'pass',
    });
    for (const [who, elementId, choices] of ASSESSMENTS)
      await complete(who, id, elementId, { ...choices, ...(await reportFor(s, t[who]!, id, elementId)) });
    await complete('gongan.staff', id, 'Task_OrganiseAcceptance', {
      acceptanceDecision: 'fail',
      acceptanceFailureReasons: '核心业务模块未交付，无法整改',
    });
    await complete('bureau.reviewer', id, 'Task_DecideFailedAcceptance', {
      failedAcceptanceDecision: 'not-accepted',
      failedAcceptanceOpinion: '供应商已无力交付，确认项目未通过验收',
    });
    const closed = await stageBecomes(id, 'not-accepted');
    expect(closed.stageName).toBe('未通过验收');
    const lifecycle = await s.client.getProcessInstance(
      { processInstanceKey: lifecycles.get(id)! },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(lifecycle.state).toBe('COMPLETED');
    // nothing is left to do for it: no evaluation, no report filing
    for (const who of ['gongan.staff', 'bureau.reviewer']) {
      const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
      expect((res.json().items as Data[]).filter((i) => i.projectId === id)).toEqual([]);
    }
  }, 300_000);
});

// Issue #11 §3 (IM-3, IM-4, AC-3) from the users' seats: the Unit engages a 监理 firm and a testing organisation from the
// registry (src/domain/third-parties.ts) — a select with the Chinese names, anything else refused by the server,
// naming the field; the software test's result is then entered by the engaged organisation's own account, with its
// report number and the report it uploaded to the project (required), and the completion is confirmed by the
// engaged 监理 firm's account; at acceptance the 第三方验收测评 and the 信息安全测评 likewise by the organisation engaged for
// each. The other firm of each kind, and the Unit, get neither task nor project. A real
// 专业类 project (1,060,000 元, software 1,000,000 元) on the real engine and workers; every task completed with
// exactly what form-js submits for its form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationsFor } from '../../src/domain/third-parties.ts';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { formTasks } from './form-tasks.ts';
import { TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { type Problem, professionalDraft, type Stack, startStack } from './stack.ts';

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
  'jianli.nanfang',
  'ceping.gdsoft',
  'ceping.saiyun',
];
/** Every step before the Unit engages its 监理. */
const TO_ENGAGEMENT = TO_PRE_ACCEPTANCE.slice(
  0,
  TO_PRE_ACCEPTANCE.findIndex(([, elementId]) => elementId === 'Task_EngageSupervisor'),
);

describe('IM-3, IM-4: the engaged third parties certify for themselves', () => {
  let s: Stack;
  let formJs: FormJs;
  let projectId = '';
  const t: Record<string, string> = {};
  const tasks = formTasks(
    () => ({ s, formJs }),
    t,
    (i) => i.projectId === projectId,
  );
  const step = async (who: string, elementId: string, choices: Data = {}) =>
    tasks.complete(who, await tasks.openTask(who, elementId), choices);
  const post = (who: string, key: string, variables: Data) =>
    s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables });
  const refusedFields = (res: { statusCode: number; json(): unknown; body: string }) => {
    expect(res.statusCode, res.body).toBe(400);
    return ((res.json() as Problem).errors ?? []).map((e) => e.field);
  };
  const upload = async (who: string, kind: string, fileName: string) => {
    const body = multipart(fileName, 'application/pdf', PDF);
    return s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=${kind}`,
      headers: { authorization: `Bearer ${t[who]}`, ...body.headers },
      payload: body.payload,
    });
  };
  const inboxHas = async (who: string, elementId: string) =>
    (await tasks.inbox(who)).some((i) => i.elementId === elementId && i.projectId === projectId);
  const selectOf = (schema: Data, key: string) =>
    ((schema.components as Data[]).find((c) => c.key === key)?.values ?? null) as Data[] | null;

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

  it('IM-3: the Unit names the 监理 firm from the registry; an id not in it is refused, naming the field', async () => {
    const engage = await tasks.openTask('gongan.staff', 'Task_EngageSupervisor');
    expect(selectOf(engage.form.schema, 'supervisorOrgId')).toEqual(organisationsFor('supervision'));
    const sent = await formJs.submit(
      engage.form.schema,
      fill(engage.form.schema, engage.variables, {
        supervisorOrgId: 'jianli-nanfang',
        supervisionFee: 30_000,
      }),
    );
    expect(sent.errors).toEqual({});
    // the free text of old (a name the Unit typed) and an unknown id are not what the form submits
    for (const forged of [
      { ...sent.data, supervisorOrgId: '本单位自报' },
      { ...sent.data, supervisorOrgId: undefined, supervisorOrg: '某监理公司' },
    ])
      expect(refusedFields(await post('gongan.staff', engage.key, forged))).toContain(
        'variables.supervisorOrgId',
      );
    await tasks.complete('gongan.staff', engage, {
      supervisorOrgId: 'jianli-nanfang',
      supervisionFee: 30_000,
    });
  });

  it('IM-4, AC-3: the Unit engages the testing organisations from the registry when it reports completion', async () => {
    const implement = await tasks.openTask('gongan.staff', 'Task_Implement');
    expect(selectOf(implement.form.schema, 'softwareTestOrgId')).toEqual(organisationsFor('software-test'));
    expect(selectOf(implement.form.schema, 'acceptanceTestOrgId')).toEqual(
      organisationsFor('acceptance-test'),
    );
    expect(selectOf(implement.form.schema, 'securityAssessmentOrgId')).toEqual(
      organisationsFor('security-assessment'),
    );
    const choices = {
      implementationAction: 'completed',
      softwareTestOrgId: 'ceping-saiyun',
      acceptanceTestOrgId: 'ceping-gdsoft',
      securityAssessmentOrgId: 'ceping-saiyun',
    };
    const sent = await formJs.submit(
      implement.form.schema,
      fill(implement.form.schema, implement.variables, choices),
    );
    expect(sent.errors).toEqual({});
    expect(
      refusedFields(
        await post('gongan.staff', implement.key, { ...sent.data, softwareTestOrgId: '本单位自报' }),
      ),
    ).toContain('variables.softwareTestOrgId');
    const { softwareTestOrgId: _, ...unnamed } = sent.data as Data;
    expect(refusedFields(await post('gongan.staff', implement.key, unnamed))).toContain(
      'variables.softwareTestOrgId',
    );
    for (const field of ['acceptanceTestOrgId', 'securityAssessmentOrgId'])
      expect(
        refusedFields(await post('gongan.staff', implement.key, { ...sent.data, [field]: 'jianli-yuehua' })),
      ).toContain(`variables.${field}`);
    // AC-3, IM-4: what the organisations charge is inside the total investment — within the project's 测评 line
    // (30,000 元 of PROFESSIONAL_LINES); one 元 more is refused, naming the field and the line
    const over = await post('gongan.staff', implement.key, { ...sent.data, assessmentFee: 30_001 });
    expect(over.statusCode, over.body).toBe(400);
    expect((over.json() as Problem).errors).toEqual([
      {
        field: 'variables.assessmentFee',
        reason:
          '测试、测评费用 30,001 元 超出项目服务内容中的测评费用 30,000 元：测试、测评费用须在项目总投资之内（AC-3、IM-4）',
      },
    ]);
    const recorded = await tasks.complete('gongan.staff', implement, { ...choices, assessmentFee: 30_000 });
    expect(recorded.assessmentFee).toBe(30_000);
  });

  it('IM-4: only the engaged organisation enters the test result, with its report number and its own uploaded report', async () => {
    const test = await tasks.openTask('ceping.saiyun', 'Task_ThirdPartyTest');
    // the other testing organisation and the Unit have neither the task nor the project
    expect(await inboxHas('ceping.gdsoft', 'Task_ThirdPartyTest')).toBe(false);
    expect(await inboxHas('gongan.staff', 'Task_ThirdPartyTest')).toBe(false);
    expect((await s.api(t['ceping.gdsoft']!, 'GET', `/api/tasks/${test.key}`)).statusCode).toBe(404);
    expect((await s.api(t['ceping.gdsoft']!, 'GET', `/api/projects/${projectId}`)).statusCode).toBe(404);
    expect((await upload('ceping.gdsoft', 'assessment-report', '冒名报告.pdf')).statusCode).toBe(404);
    expect((await s.api(t['ceping.saiyun']!, 'GET', `/api/projects/${projectId}`)).statusCode).toBe(200);

    // no report: form-js refuses, and sent anyway the server refuses, naming the field
    const bare = await formJs.submit(
      test.form.schema,
      fill(test.form.schema, test.variables, {
        softwareTestResult: 'pass',
        softwareTestReportDocumentId: '',
      }),
    );
    expect(Object.keys(bare.errors)).toEqual(['Field_SoftwareTestReportDocumentId']);
    expect(refusedFields(await post('ceping.saiyun', test.key, bare.data))).toContain(
      'variables.softwareTestReportDocumentId',
    );
    const sentWith = async (documentId: string) =>
      (
        await formJs.submit(
          test.form.schema,
          fill(test.form.schema, test.variables, {
            softwareTestResult: 'pass',
            softwareTestReportNumber: '赛云测字〔2027〕第015号',
            softwareTestReportDocumentId: documentId,
          }),
        )
      ).data;
    // a made-up id, and a report the Unit uploaded itself, are not the organisation's report
    expect(
      refusedFields(await post('ceping.saiyun', test.key, await sentWith('no-such-document'))),
    ).toContain('variables.softwareTestReportDocumentId');
    const unitsOwn = await upload('gongan.staff', 'assessment-report', '单位自测报告.pdf');
    expect(unitsOwn.statusCode, unitsOwn.body).toBe(201);
    expect(
      refusedFields(await post('ceping.saiyun', test.key, await sentWith(unitsOwn.json().id as string))),
    ).toContain('variables.softwareTestReportDocumentId');
    // the organisation uploads only its 测评报告, and only while it holds the task
    expect((await upload('ceping.saiyun', 'contract', '合同.pdf')).statusCode).toBe(403);
    const report = await upload('ceping.saiyun', 'assessment-report', '应用软件第三方测试报告.pdf');
    expect(report.statusCode, report.body).toBe(201);
    // the Unit cannot complete the organisation's task even with the organisation's data
    expect(
      (await post('gongan.staff', test.key, await sentWith(report.json().id as string))).statusCode,
    ).toBe(404);
    const recorded = await tasks.complete('ceping.saiyun', test, {
      softwareTestResult: 'pass',
      softwareTestReportNumber: '赛云测字〔2027〕第015号',
      softwareTestReportDocumentId: report.json().id as string,
    });
    expect(recorded).toMatchObject({
      softwareTestReportDocumentId: report.json().id,
      softwareTestReportNumber: '赛云测字〔2027〕第015号',
    });
    expect(recorded).not.toHaveProperty('softwareTestOrg');
    // the task done, the project is hidden from the organisation again
    expect((await s.api(t['ceping.saiyun']!, 'GET', `/api/projects/${projectId}`)).statusCode).toBe(404);
  });

  it('IM-3: only the engaged 监理 firm confirms completion; the other firm has neither task nor project', async () => {
    const confirm = await tasks.openTask('jianli.nanfang', 'Task_SupervisorConfirmCompletion');
    expect(await inboxHas('supervisor', 'Task_SupervisorConfirmCompletion')).toBe(false);
    expect((await s.api(t.supervisor!, 'GET', `/api/projects/${projectId}`)).statusCode).toBe(404);
    const sent = await formJs.submit(
      confirm.form.schema,
      fill(confirm.form.schema, confirm.variables, { supervisorConfirmation: 'confirmed' }),
    );
    expect((await post('supervisor', confirm.key, sent.data)).statusCode).toBe(404);
    expect((await post('gongan.staff', confirm.key, sent.data)).statusCode).toBe(404);
    await tasks.complete('jianli.nanfang', confirm, { supervisorConfirmation: 'confirmed' });
    // the implementation is complete: the Bureau's pre-acceptance review is next
    await tasks.openTask('bureau.reviewer', 'Task_PreAcceptanceReview');
  });

  it('AC-3: the acceptance test and the security assessment are each entered by the organisation engaged for it, with its own report', async () => {
    // AC-2's evidence, the Unit's own document, among the project's documents before the Bureau verifies
    const ipv6 = await upload('gongan.staff', 'assessment-report', 'IPv6支持测试报告.pdf');
    expect(ipv6.statusCode, ipv6.body).toBe(201);
    await step('bureau.reviewer', 'Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
    await step('bureau.reviewer', 'Task_VerifyAc2', {
      dataResources: [{ resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0701' }],
      dataResourcesVerified: 'pass',
      ipv6TestReportDocumentId: ipv6.json().id,
      ipv6Verified: 'pass',
    });
    const acceptance = await tasks.openTask('ceping.gdsoft', 'Task_AcceptanceTest');
    const security = await tasks.openTask('ceping.saiyun', 'Task_SecurityAssessment');
    expect(await inboxHas('ceping.saiyun', 'Task_AcceptanceTest')).toBe(false);
    expect(await inboxHas('ceping.gdsoft', 'Task_SecurityAssessment')).toBe(false);
    for (const element of ['Task_AcceptanceTest', 'Task_SecurityAssessment'])
      expect(await inboxHas('gongan.staff', element)).toBe(false);
    const acceptanceChoices = (documentId: string) => ({
      acceptanceTestResult: 'pass',
      acceptanceTestReportNo: '粤软测验字〔2027〕第088号',
      acceptanceTestReportDocumentId: documentId,
    });
    const sent = await formJs.submit(
      acceptance.form.schema,
      fill(acceptance.form.schema, acceptance.variables, acceptanceChoices('')),
    );
    expect(Object.keys(sent.errors)).toEqual(['Field_AcceptanceTestReportDocumentId']);
    expect(refusedFields(await post('ceping.gdsoft', acceptance.key, sent.data))).toContain(
      'variables.acceptanceTestReportDocumentId',
    );
    // the other organisation's report (uploaded for its own task on the project) is not this one's
    const saiyunReport = await upload('ceping.saiyun', 'assessment-report', '信息安全测评报告.pdf');
    expect(saiyunReport.statusCode, saiyunReport.body).toBe(201);
    const borrowed = await formJs.submit(
      acceptance.form.schema,
      fill(acceptance.form.schema, acceptance.variables, acceptanceChoices(saiyunReport.json().id)),
    );
    expect(refusedFields(await post('ceping.gdsoft', acceptance.key, borrowed.data))).toContain(
      'variables.acceptanceTestReportDocumentId',
    );
    expect((await post('gongan.staff', acceptance.key, borrowed.data)).statusCode).toBe(404);
    const gdsoftReport = await upload('ceping.gdsoft', 'assessment-report', '第三方验收测评报告.pdf');
    expect(gdsoftReport.statusCode, gdsoftReport.body).toBe(201);
    const recorded = await tasks.complete(
      'ceping.gdsoft',
      acceptance,
      acceptanceChoices(gdsoftReport.json().id),
    );
    expect(recorded).not.toHaveProperty('acceptanceTestOrg');
    await tasks.complete('ceping.saiyun', security, {
      securityAssessmentResult: 'pass',
      securityAssessmentReportNo: '赛云安测字〔2027〕第031号',
      securityAssessmentReportDocumentId: saiyunReport.json().id,
    });
    await step('expert', 'Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' });
    // all three passed: the Unit organises the acceptance (AC-1)
    await tasks.openTask('gongan.staff', 'Task_OrganiseAcceptance');
  });
});

// Who does each step of a 专业类 project with 监理 and third-party testing, and the decisions they take; every other
// field is filled as a person would (test/forms/fill.ts). One list for the path tests and the browser test that walk
// a project to acceptance or evaluation: three copies of it drifted apart once (a new step reached one of them).
import { multipart, PDF } from '../api/harness.ts';
import { type Stack, until } from './stack.ts';

export type Step = [who: string, elementId: string, choices: Record<string, unknown>];

/** The Unit's 责任科室 signs off what its staff submitted (G-6): only then does the application reach the Bureau. */
export const SECTION_SIGN_OFF: Step = [
  'gongan.section',
  'Task_SectionReview',
  { sectionDecision: 'approve' },
];

/** From the section's sign-off and 初核 to 验收前置审核 (IM-8), through the Bureau's approval opinion (PRO-3). */
export const TO_PRE_ACCEPTANCE: readonly Step[] = [
  SECTION_SIGN_OFF,
  ['bureau.reviewer', 'Task_InitialCheck', { initialCheckDecision: 'pass' }],
  ['cost.reviewer', 'Task_CostReview', { costReviewPassed: true }],
  ['expert', 'Task_ExpertReview', { expertReviewPassed: true }],
  ['finance', 'Task_FinanceReview', { financeApproved: true }],
  ['bureau.admin', 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项。' }],
  ['gongan.staff', 'Task_SubmitFundingApplication', {}],
  ['citygov', 'Task_CityGovernmentDecision', { cityGovernmentApproved: true }],
  ['gongan.staff', 'Task_ConductProcurement', { procurementResult: 'success' }],
  // IM-3: the Unit engages 粤华监理 (its account `supervisor`); IM-4, AC-3: it engages 省软件测评中心 (its account
  // `ceping.gdsoft`) for the software test, the acceptance test and the security assessment
  // (its fee within the project's 监理 line of 30,000 元, IM-3; the testing fees within its 测评 line, AC-3)
  ['gongan.staff', 'Task_EngageSupervisor', { supervisorOrgId: 'jianli-yuehua', supervisionFee: 30_000 }],
  [
    'gongan.staff',
    'Task_Implement',
    {
      implementationAction: 'completed',
      softwareTestOrgId: 'ceping-gdsoft',
      acceptanceTestOrgId: 'ceping-gdsoft',
      securityAssessmentOrgId: 'ceping-gdsoft',
      assessmentFee: 28_000,
    },
  ],
  ['ceping.gdsoft', 'Task_ThirdPartyTest', { softwareTestResult: 'pass' }],
  ['supervisor', 'Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' }],
  ['bureau.reviewer', 'Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' }],
];

/** The three AC-3 assessments, passed; the two tests by the organisation the Unit engaged. */
export const ASSESSMENTS: readonly Step[] = [
  ['ceping.gdsoft', 'Task_AcceptanceTest', { acceptanceTestResult: 'pass' }],
  ['ceping.gdsoft', 'Task_SecurityAssessment', { securityAssessmentResult: 'pass' }],
  ['expert', 'Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }],
];

/**
 * Up to evaluation: AC-2's verification (the caller adds its evidence: catalogue entries and the IPv6 report), the
 * assessments, a passed acceptance (AC-1) and its report.
 */
export const TO_EVALUATION: readonly Step[] = [
  ...TO_PRE_ACCEPTANCE,
  ['bureau.reviewer', 'Task_VerifyAc2', {}],
  ...ASSESSMENTS,
  ['gongan.staff', 'Task_OrganiseAcceptance', { acceptanceDecision: 'pass' }],
  ['bureau.reviewer', 'Task_RegisterAcceptanceReport', {}],
];

/** IM-4, AC-3: the steps whose result a third party certifies with its own report (the field naming it). */
export const REPORTED: Record<string, { field: string; fileName: string }> = {
  Task_ThirdPartyTest: { field: 'softwareTestReportDocumentId', fileName: '应用软件第三方测试报告.pdf' },
  Task_AcceptanceTest: { field: 'acceptanceTestReportDocumentId', fileName: '第三方验收测评报告.pdf' },
  Task_SecurityAssessment: { field: 'securityAssessmentReportDocumentId', fileName: '信息安全测评报告.pdf' },
};

/**
 * What a step adds to its choices: where the step is a third party's result, its account (`token`) waits for the
 * task, uploads its report to the project as a 测评报告 and names it — as the organisation does before it submits.
 */
export async function reportFor(
  s: Stack,
  token: string,
  projectId: string,
  elementId: string,
): Promise<Record<string, unknown>> {
  const report = REPORTED[elementId];
  if (!report) return {};
  await until(
    async () =>
      (await s.api(token, 'GET', '/api/tasks?scope=groups')).json().items as Record<string, unknown>[],
    (items) => items.some((i) => i.elementId === elementId && i.projectId === projectId),
  );
  const body = multipart(report.fileName, 'application/pdf', PDF);
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/documents?kind=assessment-report`,
    headers: { authorization: `Bearer ${token}`, ...body.headers },
    payload: body.payload,
  });
  if (res.statusCode !== 201)
    throw new Error(`report upload for ${elementId}: ${res.statusCode} ${res.body}`);
  return { [report.field]: res.json().id as string };
}

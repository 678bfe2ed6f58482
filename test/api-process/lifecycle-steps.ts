// Who does each step of a 专业类 project with 监理 and third-party testing, and the decisions they take; every other
// field is filled as a person would (test/forms/fill.ts). One list for the path tests and the browser test that walk
// a project to acceptance or evaluation: three copies of it drifted apart once (a new step reached one of them).
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
  ['gongan.staff', 'Task_EngageSupervisor', {}],
  ['gongan.staff', 'Task_Implement', { implementationAction: 'completed' }],
  ['gongan.staff', 'Task_ThirdPartyTest', { softwareTestResult: 'pass' }],
  ['supervisor', 'Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' }],
  ['bureau.reviewer', 'Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' }],
];

/** The three AC-3 assessments, passed. */
export const ASSESSMENTS: readonly Step[] = [
  ['gongan.staff', 'Task_AcceptanceTest', { acceptanceTestResult: 'pass' }],
  ['gongan.staff', 'Task_SecurityAssessment', { securityAssessmentResult: 'pass' }],
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

// IM-9, SV-4: operations fix the data an incident stopped on; they do not rewrite what was decided. The variables
// below carry a project's identity, its owner, its amounts or a decision somebody made (and is accountable for,
// SV-4); the business API's variable editor refuses them, naming the variable. Amounts change only through the
// service lines (IM-3, IM-4: the classification derives them), decisions only through their tasks, termination
// only through the IM-9 filing. One list, read by src/app/commands/operate.ts. `serviceLines` is not on it: fixing
// the lines a classification incident stopped on is what operations are for, and the retried classification derives
// the totals and 监理/testing from them again (the audit entry keeps the change).

/** Why a variable is protected, shown in the refusal. */
export const PROTECTED_VARIABLES: Readonly<Record<string, string>> = {
  // identity and tenancy (SU-3)
  projectId: '项目标识',
  tenantId: '租户标识',
  unitId: '申报单位标识',
  // category and owner (G-5, G-6), the rule edition (SU-4)
  category: '项目类别（G-5、G-6，由服务内容确定）',
  ownerGroup: '责任主体（G-5、G-6）',
  candidateGroups: '办理部门',
  initiationRoute: '立项路径',
  rules: '适用的规则版本（SU-4）',
  // amounts (IM-3, IM-4, SV-2)
  totalInvestment: '总投资（IM-3，由服务内容合计）',
  softwareDevCost: '应用软件开发费用（IM-4，由服务内容合计）',
  reviewedAmount: '造价审定金额（PUB-2、PRO-2）',
  preliminaryFundingAmount: '市财政局初步安排金额',
  fundingRequestAmount: '资金申请金额',
  approvedFundingAmount: '市政府批准金额',
  contractAmount: '合同金额',
  // what the amounts decided (IM-3, IM-4)
  requiresSupervision: '是否须监理（IM-3）',
  requiresThirdPartyTesting: '是否须第三方测试（IM-4）',
  requirements: '监理与测试要求（IM-3、IM-4）',
  // decisions made in tasks (SV-4: attributable to who made them)
  classified: '涉密认定（G-9）',
  applicationComplete: '申请材料检查结果（PRO-1）',
  refusalReason: '不予受理理由（G-3、G-9）',
  initialCheckDecision: '初核结论（PRO-2）',
  costReviewPassed: '造价审核结论',
  expertReviewPassed: '专家论证结论',
  financeApproved: '资金审核结论',
  cityGovernmentApproved: '市政府审批结论',
  cityGovernmentConsented: '市政府同意计划外立项',
  outOfPlanReasonQualifies: '计划外立项事由审核结论（EMG-1）',
  outOfPlan: '计划外立项',
  initiationApproved: '立项结果',
  procurementResult: '采购结果',
  procurementCompleted: '采购是否完成',
  failedProcurementDecision: '采购失败处理决定',
  supervisorConfirmation: '监理确认',
  softwareTestResult: '第三方测试结论（IM-4）',
  securityAssessmentResult: '安全测评结论',
  dataResourcesVerified: '数据资源编目核验结论（AC-2）',
  ipv6Verified: 'IPv6支持核验结论（AC-2）',
  dataResources: '已核验的数据资源（AC-2）',
  projectDocuments: '项目文档清单（AC-2 核验所依据的材料，由项目文档库生成）',
  preAcceptanceReviewDecision: '验收前置审核结论',
  acceptanceTestResult: '验收测试结论',
  acceptanceExpertReviewResult: '验收专家评审结论',
  acceptanceDecision: '验收结论（AC-1）',
  failedAcceptanceDecision: '验收不通过的处理决定（AC-1）',
  accepted: '验收结论',
  projectTerminated: '合同终止（IM-9，须经终止备案）',
  terminationReason: '终止理由（IM-9）',
  allocationDecision: '资源分配决定',
  auditReviewDecision: '审计审查结论',
  coordinationAction: '统筹协调决定',
};

/** The protected variables among `names`, each with its reason. */
export function protectedVariableIssues(
  names: readonly string[],
  field = 'variables',
): { field: string; reason: string }[] {
  return names
    .filter((n) => Object.hasOwn(PROTECTED_VARIABLES, n))
    .map((n) => ({
      field: `${field}.${n}`,
      reason: `${PROTECTED_VARIABLES[n]}是决定或金额，运维不能修改（IM-9、SV-4）`,
    }));
}

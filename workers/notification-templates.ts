// The texts of `yunfu.send-notification` (zh-CN). `{{name}}` is replaced with the process variable of that name
// (a list is joined with "；"; a missing value reads "（未填写）"; an ISO date reads 2026年12月14日, never raw).
// A test keeps this list equal to the templates the models use (docs/process-contract.md).

import { zhDate } from '../src/domain/date-text.ts';

export interface NotificationTemplate {
  title: string;
  body: string;
}

const P = '项目“{{projectName}}”（{{projectId}}）';

export const TEMPLATES: Record<string, NotificationTemplate> = {
  'annual-plan-campaign-opened': {
    title: '请报送{{planYear}}年度政务信息化规划',
    body: '请于{{filingDeadline}}前向{{bureauName}}报送本单位{{planYear}}年度政务信息化规划（P-1）。',
  },
  'annual-plan-reminder': {
    title: '年度规划备案即将截止',
    body: '本单位{{planYear}}年度政务信息化规划尚未报送，备案截止时间为{{filingDeadline}}，请抓紧报送（P-1）。',
  },
  'annual-plan-overdue': {
    title: '年度规划备案已逾期',
    body: '{{unitName}}未在{{filingDeadline}}前报送{{planYear}}年度政务信息化规划，请督办（P-1）。',
  },
  'section-filing-review-due': {
    title: '备案待责任科室审核',
    body: `${P}的备案已到责任科室审核期限{{sectionFilingReviewDue}}，请本单位责任科室尽快审核（G-6）。`,
  },
  'annual-plan-summary': {
    title: '{{planYear}}年度规划备案汇总',
    body: '{{planYear}}年度政务信息化规划备案已结束，各单位报送情况见备案登记。',
  },
  'application-refused': {
    title: '立项申请不予受理',
    body: `${P}不予受理：{{refusalReason}}`,
  },
  'application-withdrawn': {
    title: '立项申请视为撤回',
    body: `${P}未在补正期限内补正材料，申请视为撤回。缺少：{{missingItems}}`,
  },
  'not-professional-category': {
    title: '项目不属于专业类',
    body: `${P}经分类属于公共类服务项目，由{{bureauName}}统筹，不按专业类立项（G-5）。`,
  },
  'initial-check-overdue': {
    title: '初核已逾期',
    body: `${P}初核已超过期限{{initialCheckDue}}，请尽快办理（PRO-2）。`,
  },
  'cost-review-overdue': {
    title: '造价审核已逾期',
    body: `${P}造价审核已超过期限{{costReviewDue}}，请尽快出具审核意见。`,
  },
  'expert-review-overdue': {
    title: '专家论证已逾期',
    body: `${P}专家论证已超过期限{{expertReviewDue}}，请尽快出具论证意见。`,
  },
  'finance-review-overdue': {
    title: '资金审核已逾期',
    body: `${P}资金审核已超过期限{{financeReviewDue}}，请尽快办理。`,
  },
  'city-government-decision-overdue': {
    title: '资金申请审批已逾期',
    body: `${P}资金申请审批已超过期限{{cityGovernmentDecisionDue}}。`,
  },
  'approval-opinion-issued': {
    title: '立项审批意见已出具',
    body: `${P}已通过资金审核，立项审批意见文号：{{approvalOpinionNumber}}。请按程序报市政府申请资金（PRO-3、PRO-4）。`,
  },
  'initiation-approved': { title: '项目已立项', body: `${P}已完成立项，市政府同意安排资金。` },
  'initiation-refused': { title: '项目未获立项', body: `${P}未获立项。` },
  'out-of-plan-reason-check-overdue': {
    title: '计划外立项事由审核已逾期',
    body: `${P}计划外立项事由审核已超过期限{{outOfPlanReasonCheckDue}}。`,
  },
  'city-government-consent-overdue': {
    title: '计划外立项待市政府同意，已逾期',
    body: `${P}计划外立项申请等待市政府同意，已超过期限{{cityGovernmentConsentDue}}（EMG-1）。`,
  },
  'out-of-plan-consent-given': {
    title: '市政府同意计划外立项',
    body: `${P}经市政府同意，可申请立项（EMG-1）。`,
  },
  'procurement-overdue': { title: '采购已逾期', body: `${P}采购已超过期限{{procurementDue}}，请报告进展。` },
  'procurement-abandoned': {
    title: '项目放弃采购',
    body: `${P}流标后决定放弃采购：{{failedProcurementDecisionNote}}`,
  },
  'delay-filing-demanded': {
    title: '项目已逾期交付，请报送延期备案',
    body: `${P}已过合同交付日期{{deliveryDate}}仍未完成，请向{{bureauName}}报送延期备案（IM-8）。`,
  },
  'change-filing-registered': {
    title: '重大变更已备案',
    body: `${P}重大变更已备案，备案号{{filingNumber}}（IM-8）。`,
  },
  'delay-filing-registered': {
    title: '延期交付已备案',
    body: `${P}延期交付已备案，备案号{{filingNumber}}，新的交付日期{{deliveryDate}}（IM-8）。`,
  },
  'termination-filing-registered': {
    title: '终止合同已备案',
    body: `${P}终止合同已向{{bureauName}}和市财政局备案（IM-9）。`,
  },
  'filing-review-overdue': {
    title: '备案登记已逾期',
    body: `${P}的备案登记已超过期限{{filingReviewDue}}，请尽快办理。`,
  },
  'pre-acceptance-review-overdue': {
    title: '验收前置审核已逾期',
    body: `${P}验收前置审核已超过期限{{preAcceptanceReviewDue}}（AC-1）。`,
  },
  'acceptance-report-registered': {
    title: '验收报告已备案',
    body: `${P}验收报告已备案，备案号{{filingNumber}}（AC-1）。`,
  },
  'evaluation-overdue': {
    title: '应用效果评价已逾期',
    body: `${P}应用效果评价已超过期限{{evaluationDue}}（SV-1）。`,
  },
  'evaluation-recorded': {
    title: '应用效果评价结果',
    body: `${P}应用效果评价已完成，结果纳入市级机关绩效考核（SV-1）。`,
  },
  'audit-materials-requested': {
    title: '审计资料调取通知',
    body: `市审计局调取${P}的审计资料（{{auditRequestId}}）：{{requestedMaterials}}。请于{{auditMaterialsDue}}前及时、准确、完整地提供（SV-3）。`,
  },
  'audit-materials-overdue': {
    title: '审计资料提供已逾期',
    body: `${P}的审计资料（{{auditRequestId}}）未在{{auditMaterialsDue}}前提供（SV-3）。`,
  },
  'audit-materials-reminder': {
    title: '请尽快提供审计资料',
    body: `${P}的审计资料（{{auditRequestId}}）已逾期，请立即提供（SV-3）。`,
  },
  'infrastructure-allocated': {
    title: '基础设施服务已分配',
    body: '您申请的{{requestedService}}已审核分配：{{allocatedResources}}（IM-6）。',
  },
  'infrastructure-refused': {
    title: '基础设施服务申请未获分配',
    body: '您申请的{{requestedService}}未获分配：{{refusalReason}}（IM-6）。',
  },
  'infrastructure-allocation-overdue': {
    title: '基础设施服务申请待审核，已逾期',
    body: '{{unitName}}申请的{{requestedService}}已超过审核期限{{infrastructureAllocationDue}}（IM-6）。',
  },
  'coordination-answered': {
    title: '协调事项已答复',
    body: '“{{coordinationSubject}}”已答复：{{coordinationAnswer}}（IM-7）。',
  },
  'coordination-overdue': {
    title: '协调事项待答复，已逾期',
    body: '{{unitName}}报送的“{{coordinationSubject}}”已超过答复期限{{coordinationResponseDue}}（IM-7）。',
  },
};

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '（未填写）';
  if (Array.isArray(value)) return value.length === 0 ? '（无）' : value.map(show).join('；');
  if (typeof value === 'object') return JSON.stringify(value);
  // A due date reads 2026年12月14日 18:00, never 2026-12-14T18:00:00+08:00 (issue 16).
  return typeof value === 'string' ? zhDate(value) : String(value);
}

export function render(template: NotificationTemplate, vars: Record<string, unknown>): NotificationTemplate {
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => show(vars[name]));
  return { title: fill(template.title), body: fill(template.body) };
}

/** Variables a template reads, for `fetchVariables`. */
export function templateVariables(): string[] {
  const names = new Set<string>();
  for (const t of Object.values(TEMPLATES)) {
    for (const m of `${t.title} ${t.body}`.matchAll(/\{\{(\w+)\}\}/g)) names.add(m[1]!);
  }
  return [...names];
}

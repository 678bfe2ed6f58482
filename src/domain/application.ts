// What an application must be before any person looks at it: in scope (G-3 city fiscal funds, G-9 not 涉密),
// complete (PRO-1 data-sharing resource catalogue and the IPv6 commitment), with valid amounts and lines.
import { amountIssue } from './amounts.ts';
import { projectAmounts, serviceLineIssues } from './category.ts';
import type { FieldIssue } from './errors.ts';
import { checkFundingOf } from './funding.ts';
import type { ServiceLine } from './service-types.ts';

export interface ApplicationCheck {
  /** Refused outright: out of scope. The reason is final; such an application never enters the flows. */
  refusalReason: string | null;
  /** Missing or wrong items a Unit can correct (zh-CN, one sentence each). */
  missingItems: string[];
  /** Field-level issues behind `missingItems`, for the API's problem details. */
  issues: FieldIssue[];
  applicationComplete: boolean;
}

export interface ApplicationInput {
  classified?: unknown;
  /** G-3: the funding lines `{ source, amount }[]`; they must add up to the total of the service lines. */
  fundingLines?: unknown;
  /** The single source of earlier clients: read as one line carrying the whole total investment. */
  fundingSource?: unknown;
  hasDataCatalogue?: unknown;
  supportsIpv6?: unknown;
  serviceLines?: unknown;
  projectName?: unknown;
  unitId?: unknown;
}

/** G-9: 涉密 projects follow other rules. */
export const CLASSIFIED_REFUSAL =
  '本办法仅适用于非涉密市级政务信息化服务项目；涉密项目请按涉密信息系统有关规定办理，不在本系统受理（G-9）。';

/**
 * `fundingSum: false` skips comparing the funding lines with the total (G-3's scope is still checked): the process
 * re-checks an application after 补正/修改方案, whose forms change the service lines and not the funding lines.
 * `fundingScope`: the funding sources of the edition in force that bring a project under the measures (G-3;
 * 市级财政资金 when not given).
 */
export function checkApplication(
  input: ApplicationInput,
  options: { fundingSum?: boolean; fundingScope?: readonly string[] } = {},
): ApplicationCheck {
  const issues: FieldIssue[] = [];
  const missing: string[] = [];
  const push = (field: string, reason: string, item: string) => {
    issues.push({ field, reason });
    missing.push(item);
  };

  // G-9 comes first: a 涉密 application is refused before anything else is looked at.
  if (typeof input.classified !== 'boolean') {
    push('classified', '必须声明是否涉密（true/false）', '未声明项目是否涉密');
  } else if (input.classified) {
    return { refusalReason: CLASSIFIED_REFUSAL, missingItems: [], issues: [], applicationComplete: false };
  }

  // G-3: the funding lines, compared with the total of the service lines once those are valid.
  const lineIssues = serviceLineIssues(input.serviceLines);
  const total =
    lineIssues.length === 0 ? projectAmounts(input.serviceLines as ServiceLine[]).totalInvestment : null;
  const funding = checkFundingOf(input, options.fundingSum === false ? null : total, options.fundingScope);
  if (funding.refusalReason) {
    return { refusalReason: funding.refusalReason, missingItems: [], issues: [], applicationComplete: false };
  }
  for (const issue of funding.issues)
    push(issue.field, issue.reason, `资金来源 ${issue.field}：${issue.reason}`);

  if (typeof input.projectName !== 'string' || input.projectName.trim() === '') {
    push('projectName', '必须填写项目名称', '未填写项目名称');
  }
  // PRO-1: the 政务数据共享资源目录 is part of the application.
  if (input.hasDataCatalogue !== true) {
    push('hasDataCatalogue', '须同步编制政务数据共享资源目录', '缺少政务数据共享资源目录（PRO-1）');
  }
  // PRO-1: the project must support IPv6.
  if (input.supportsIpv6 !== true) {
    push('supportsIpv6', '申请立项的项目必须支持 IPv6', '未承诺支持 IPv6（PRO-1）');
  }
  for (const issue of lineIssues) {
    push(issue.field, issue.reason, `服务内容 ${issue.field}：${issue.reason}`);
  }
  return { refusalReason: null, missingItems: missing, issues, applicationComplete: missing.length === 0 };
}

/** EMG-1: the three grounds on which a project outside the annual budget may apply. */
export const OUT_OF_PLAN_REASONS = {
  'national-requirement': '国家部委有明确要求',
  livelihood: '省、市内关系国计民生',
  'network-security': '涉及网络信息安全',
} as const;
export type OutOfPlanReason = keyof typeof OUT_OF_PLAN_REASONS;

export interface OutOfPlanCheck {
  eligible: boolean;
  issues: FieldIssue[];
}

/**
 * EMG-1: a project not included in the annual budget may apply only on one of the stated grounds, and only with the
 * City Government's consent (the consent itself is a task in the out-of-plan process, not checked here).
 */
export function checkOutOfPlan(input: {
  outOfPlanReason?: unknown;
  inAnnualBudget?: unknown;
}): OutOfPlanCheck {
  const issues: FieldIssue[] = [];
  if (input.inAnnualBudget === true) {
    issues.push({
      field: 'inAnnualBudget',
      reason: '已纳入年初预算的项目应按正常程序立项，无需走计划外立项',
    });
  }
  if (
    typeof input.outOfPlanReason !== 'string' ||
    !Object.hasOwn(OUT_OF_PLAN_REASONS, input.outOfPlanReason)
  ) {
    issues.push({
      field: 'outOfPlanReason',
      reason: `计划外立项须说明理由，必须是以下之一：${Object.entries(OUT_OF_PLAN_REASONS)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')}`,
    });
  }
  return { eligible: issues.length === 0, issues };
}

export function amountsIssues(input: { totalInvestment?: unknown; softwareDevCost?: unknown }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const total = amountIssue(input.totalInvestment, 'totalInvestment');
  if (total) issues.push(total);
  const software = amountIssue(input.softwareDevCost, 'softwareDevCost');
  if (software) issues.push(software);
  if (!total && !software && (input.softwareDevCost as number) > (input.totalInvestment as number)) {
    issues.push({ field: 'softwareDevCost', reason: '应用软件开发费用不能超过项目总投资' });
  }
  return issues;
}

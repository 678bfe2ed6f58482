// The public-category side of the demo data set (PUB-1..PUB-4, G-5): last autumn the Bureau collected the Units'
// public needs for this year and formed two 公共类 projects from them, which went through cost and expert review,
// Finance and the City Government into procurement and implementation; this autumn's collection for next year is
// still open, with some Units' answers in.
import { DAY, eveningOf, type Plan } from './plan.ts';

interface Need {
  unitId: string;
  need: string | null;
  amount: number | null;
}

const LAST_AUTUMN: Need[] = [
  { unitId: 'gongan', need: '视频监控与警务数据云存储扩容', amount: 800_000 },
  { unitId: 'weijian', need: '医疗健康数据上云，计算与存储资源', amount: 300_000 },
  { unitId: 'jiaoyu', need: '全市统一的教育身份认证与数据交换平台', amount: 650_000 },
  { unitId: 'shuiwu', need: null, amount: null },
  { unitId: 'zhujian', need: '城建档案影像存储资源', amount: 120_000 },
];

const THIS_AUTUMN: Need[] = [
  { unitId: 'yingji', need: '应急指挥视频会议专网带宽扩容', amount: 260_000 },
  { unitId: 'shichang', need: null, amount: null },
  { unitId: 'jiaotong', need: '交通视频数据政务云存储', amount: 400_000 },
  { unitId: 'ziranziyuan', need: '三维实景数据政务云存储与计算资源', amount: 900_000 },
];

/** The two public projects formed from last autumn's answers, led by the Unit whose need is the largest part. */
const FORMED = [
  {
    leadUnitId: 'gongan',
    projectName: '全市政务云扩容（2026）',
    planSummary: '为公安局、卫生健康局、住房城乡建设局扩容政务云计算与存储资源',
    serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 960_000 }],
  },
  {
    leadUnitId: 'jiaoyu',
    projectName: '教育公共支撑平台',
    planSummary: '全市教育系统共用的身份认证与数据交换平台',
    serviceLines: [
      { serviceType: 'software-development', subType: 'public-platform', amount: 600_000 },
      {
        serviceType: 'operation-maintenance',
        subType: 'software-om',
        relatedTo: 'public-platform',
        amount: 50_000,
      },
    ],
  },
];

export function publicNeeds(plan: Plan): void {
  const { year, at } = plan;
  collection(plan, year, at(`${year - 1}-10-20T09:30:00`), LAST_AUTUMN, 10);
  const consolidating = at(`${year - 1}-11-10T10:00:00`);
  FORMED.forEach((p, n) => {
    consolidate(plan, year, consolidating + n * 3_600_000, { consolidationAction: 'form-project', ...p });
    initiation(
      plan,
      p.projectName,
      p.serviceLines[0]!.amount + (p.serviceLines[1]?.amount ?? 0),
      consolidating,
      n,
    );
  });
  consolidate(plan, year, consolidating + FORMED.length * 3_600_000, { consolidationAction: 'finish' });
  // this autumn's, for next year: 30 working days, not over yet; three of the four Units have answered
  collection(plan, year + 1, at(`${year}-10-26T09:30:00`), THIS_AUTUMN, 30, 3);
}

function collection(
  plan: Plan,
  planYear: number,
  opens: number,
  needs: Need[],
  days: number,
  answered = needs.length,
) {
  plan.act(opens, `市政务服务数据管理局征集 ${planYear} 年度公共类服务需求`, async () => {
    await plan.submitter.openNeeds({ planYear, workingDays: days, unitIds: needs.map((n) => n.unitId) });
  });
  needs.slice(0, answered).forEach((n, i) => {
    plan.act(opens + (2 + i) * DAY, `${n.unitId} 填报 ${planYear} 年度公共类需求`, () =>
      plan.completeTask(
        'Task_StateUnitNeeds',
        (v, t) => v.planYear === planYear && t.candidateGroups.includes(`unit-${n.unitId}`),
        { hasNeed: n.need !== null, needDescription: n.need, estimatedAmount: n.amount },
        `${n.unitId} public needs ${planYear}`,
      ),
    );
  });
}

function consolidate(plan: Plan, planYear: number, when: number, variables: Record<string, unknown>) {
  plan.act(when, `汇总 ${planYear} 年度公共类需求：${String(variables.projectName ?? '结束汇总')}`, () =>
    plan.completeTask(
      'Task_ConsolidatePlan',
      (v) => v.planYear === planYear,
      { hasDataCatalogue: true, supportsIpv6: true, ...variables },
      `consolidation ${planYear}`,
    ),
  );
}

/** PUB-2..PUB-4 and procurement for the public project `name`, formed at `formed`. */
function initiation(plan: Plan, name: string, total: number, formed: number, n: number) {
  const step = (days: number, elementId: string, variables: Record<string, unknown>) =>
    plan.act(formed + days * DAY + n * 3_600_000, `${name}：${elementId}`, () =>
      plan.completeTask(elementId, (v) => v.projectName === name, variables, `${name} ${elementId}`),
    );
  step(10, 'Task_CostReview', {
    costReviewPassed: true,
    costReviewReport: '造价合理',
    reviewedAmount: total,
  });
  step(12, 'Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
  step(25, 'Task_FinanceReview', {
    financeApproved: true,
    financeOpinion: '同意',
    preliminaryFundingAmount: total,
  });
  step(40, 'Task_CityGovernmentDecision', {
    cityGovernmentApproved: true,
    approvedFundingAmount: total,
    cityGovernmentOpinion: '同意',
  });
  step(95, 'Task_ConductProcurement', {
    procurementResult: 'success',
    procurementMethod: 'public-tender',
    supplierName: n === 0 ? '中国电信股份有限公司云浮分公司' : '广东数字政府科技有限公司',
    contractNumber: `YFGG-${n + 1}`,
    contractAmount: total,
    deliveryDate: eveningOf(formed + (95 + 240) * DAY),
  });
}

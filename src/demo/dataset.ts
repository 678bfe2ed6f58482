// The demo data set (`npm run demo`): a year of the city's work, played on the real models with the real workers
// while the engine's clock moves from October of last year to now — so everything in it happened the way it
// would have: two annual plan campaigns (last year's with a few late filings and the Bureau's follow-ups, this
// year's still open), thirty professional projects submitted over the year and now in every stage (waiting for 初核,
// in review, procurement, implementation with change and delay filings, acceptance, evaluation, closed, rejected,
// refused funds, one terminated), the Bureau's collections of public needs with the 公共类 projects formed from them
// (public-needs.ts), and one incident an administrator must look at.
import { DateTime } from 'luxon';
import { projectAmounts, ZONE } from '../domain/index.ts';
import type { Engine } from '../engine/engine.ts';
import { upsertUnit } from '../store/units.ts';
import { campaign, campaignsOf, filingOf } from './campaigns.ts';
import { InProcessWorkers } from './in-process-workers.ts';
import {
  assessmentFee,
  DAY,
  type DemoDatasetOptions,
  eveningOf,
  lines,
  type Plan,
  PROJECT_NAMES,
  PROJECTS,
  supervisionFee,
  type TaskMatch,
  TENANT,
} from './plan.ts';
import { publicNeeds } from './public-needs.ts';
import { type DemoSubmitter, openDemoSubmitter } from './submitter.ts';
import { DEMO_CITY_UNITS } from './units.ts';

export type { DemoDatasetOptions } from './plan.ts';

export interface DemoSummary {
  units: number;
  projects: number;
  actions: number;
  skipped: string[];
  incidents: number;
}

interface Action {
  at: number;
  label: string;
  run: () => Promise<void>;
}

export async function buildDemoDataset(o: DemoDatasetOptions): Promise<DemoSummary> {
  const submitter: DemoSubmitter = await openDemoSubmitter({
    engine: o.engine,
    store: o.store,
    regulation: o.regulation,
    tenantId: TENANT,
    ...(o.processes ? { processes: o.processes } : {}),
  });
  const runner = new InProcessWorkers(o.engine, o.workers({ startProcess: submitter.startProcess }));
  const skipped: string[] = [];
  const actions: Action[] = [];
  const plan: Plan = {
    o,
    year: DateTime.fromMillis(o.until, { zone: ZONE }).year,
    at: (iso) => DateTime.fromISO(iso, { zone: ZONE }).toMillis(),
    act: (when, label, run) => {
      if (when <= o.until) actions.push({ at: when, label, run });
    },
    completeTask: (elementId, match, variables, what) =>
      completeOpenTask(o.engine, skipped, elementId, match, variables, what),
    skipped,
    submitter,
  };

  // The Units (G-6) and their responsible sections.
  await o.store.transaction(async (tx) => {
    for (const u of DEMO_CITY_UNITS)
      await upsertUnit(tx, { tenantId: TENANT, id: u.id, name: u.name, responsibleSection: u.section });
  });
  const { year } = plan;
  const campaigns = campaignsOf(year);
  for (const c of campaigns) campaign(plan, c);
  // About thirty professional projects submitted over this year, after their Units filed the year's plan (so the
  // 初核 sees the filing the campaign board lists); the older, the further along. A project submitted once its Unit
  // has filed next year's plan is for next year.
  const first = plan.at(`${year}-01-05T10:00:00`);
  const span = o.until - 5 * DAY - first;
  for (let i = 0; i < PROJECTS.length; i++) {
    const start = first + Math.floor((span * i) / (PROJECTS.length - 1));
    const ui = DEMO_CITY_UNITS.findIndex((u) => u.id === PROJECTS[i]![1]);
    const next = filingOf(plan, campaigns[1]!, ui);
    project(plan, i, start, next && next.signed < start ? year + 1 : year);
  }
  // PUB-1..PUB-4: the Bureau's collection of public-category needs and the public projects it formed.
  publicNeeds(plan);

  actions.sort((a, b) => a.at - b.at);
  try {
    return await play(o, actions, runner, skipped);
  } finally {
    await submitter.close();
  }
}

async function completeOpenTask(
  engine: Engine,
  skipped: string[],
  elementId: string,
  match: TaskMatch,
  variables: Record<string, unknown>,
  what: string,
): Promise<void> {
  const open = engine.searchUserTasks({
    filter: { state: 'CREATED', elementId },
    page: { limit: 1000 },
  }).items;
  const task = open.find((t) =>
    match(engine.getVariables(t.processInstanceKey), {
      candidateGroups: t.candidateGroups ?? [],
      processDefinitionId: t.processDefinitionId,
    }),
  );
  if (!task) {
    skipped.push(what);
    return;
  }
  engine.completeUserTask(task.userTaskKey, { variables });
}

/** The steps of one project's life, scheduled from its submission at `start`. */
interface ProjectPlan {
  i: number;
  start: number;
  totalInvestment: number;
  /** Completes this project's task `elementId` `days` after submission. */
  step: (
    days: number,
    elementId: string,
    variables: Record<string, unknown>,
    processDefinitionId?: string,
  ) => void;
  /** Correlates a filing message to this project `days` after submission. */
  correlate: (days: number, name: string, variables: Record<string, unknown>) => void;
}

/** Project `i`: submitted at `start`, then as far along its life as its place in the year allows. */
function project(plan: Plan, i: number, start: number, planYear: number): void {
  const { act, completeTask, o, skipped } = plan;
  const unit = DEMO_CITY_UNITS.find((u) => u.id === PROJECTS[i]![1])!;
  const serviceLines = lines(i);
  const { totalInvestment } = projectAmounts(serviceLines);
  let projectId = '';
  const p: ProjectPlan = {
    i,
    start,
    totalInvestment,
    step: (days, elementId, variables, processDefinitionId) =>
      act(start + days * DAY, `${PROJECT_NAMES[i]}：${elementId}`, () =>
        completeTask(
          elementId,
          (v, t) =>
            v.projectId === projectId &&
            (!processDefinitionId || t.processDefinitionId === processDefinitionId),
          variables,
          `${projectId || PROJECT_NAMES[i]} ${elementId}`,
        ),
      ),
    correlate: (days, name, variables) =>
      act(start + days * DAY, `${PROJECT_NAMES[i]}：${name}`, async () => {
        try {
          o.engine.correlateMessage({ name, correlationKey: projectId, variables } as never);
        } catch {
          skipped.push(`${projectId} ${name}`);
        }
      }),
  };
  act(start, `${unit.name} 提交 ${PROJECT_NAMES[i]}`, async () => {
    projectId = await plan.submitter.submit({
      unitId: unit.id,
      projectName: PROJECT_NAMES[i]!,
      description: `${unit.name}${PROJECT_NAMES[i]}建设`,
      planYear,
      fundingSource: 'city-fiscal',
      classified: false,
      hasDataCatalogue: true,
      supportsIpv6: true,
      serviceLines,
      // one legacy project imported with a public-category line: classification stops with an incident
      ...(i === 17
        ? {
            importedServiceLines: [
              ...serviceLines,
              { serviceType: 'infrastructure', subType: 'government-cloud', amount: 200_000 },
            ],
          }
        : {}),
    });
  });
  // G-6: the Unit's 责任科室 signs the application off before it reaches the Bureau (and its classification)
  p.step(1, 'Task_SectionReview', { sectionDecision: 'approve', sectionOpinion: '同意报送' });
  if (i === 17) return; // waits for an administrator
  if (!initiation(p)) return;
  procurement(p);
  if (!filings(p)) return;
  if (i % 11 === 7) return; // late: the delivery date passes and a delay filing is demanded
  acceptance(p, i % 8 === 2 ? 240 : 190);
}

/** 初核 to the city government's decision; false when the project stops there (rejected, or no funds). */
function initiation({ i, step, totalInvestment }: ProjectPlan): boolean {
  if (i % 9 === 4) {
    step(3, 'Task_InitialCheck', {
      initialCheckDecision: 'reject',
      initialCheckOpinion: '与本单位年度规划不符，不予通过',
    });
    return false;
  }
  step(3, 'Task_InitialCheck', { initialCheckDecision: 'pass', initialCheckOpinion: '符合立项条件' });
  step(12, 'Task_CostReview', {
    costReviewPassed: true,
    costReviewReport: '造价合理',
    reviewedAmount: totalInvestment,
  });
  if (i % 10 === 3) {
    step(12, 'Task_ExpertReview', { expertReviewPassed: false, expertReviewReport: '需补充安全保障方案' });
    step(16, 'Task_ReviseForExpertReview', {
      revisionNote: '已补充等保二级安全方案',
      planSummary: '修订后方案',
    });
    step(20, 'Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
  } else step(12, 'Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
  if (i % 13 === 6) {
    step(25, 'Task_FinanceReview', {
      financeApproved: false,
      financeOpinion: '年度预算已满，建议下年度申报',
    });
    return false;
  }
  step(25, 'Task_FinanceReview', {
    financeApproved: true,
    financeOpinion: '同意',
    preliminaryFundingAmount: totalInvestment,
  });
  step(26, 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项，按市财政局意见安排资金' });
  step(27, 'Task_SubmitFundingApplication', {
    fundingRequestAmount: totalInvestment,
    fundingApplicationNote: '申请安排资金',
  });
  step(35, 'Task_CityGovernmentDecision', {
    cityGovernmentApproved: true,
    approvedFundingAmount: totalInvestment,
    cityGovernmentOpinion: '同意',
  });
  return true;
}

function procurement({ i, start, step, totalInvestment }: ProjectPlan): void {
  step(60, 'Task_ConductProcurement', {
    procurementResult: 'success',
    procurementMethod: 'public-tender',
    supplierName: ['广东数字政府科技有限公司', '云浮信息技术有限公司', '南粤软件股份有限公司'][i % 3],
    contractNumber: `YFHT-${i + 1}`,
    contractAmount: totalInvestment,
    deliveryDate: eveningOf(start + 200 * DAY),
  });
  // IM-3: a firm from the registry (src/domain/third-parties.ts); its accounts confirm the completion
  step(62, 'Task_EngageSupervisor', {
    supervisorOrgId: i % 2 === 0 ? 'jianli-yuehua' : 'jianli-nanfang',
    supervisorQualificationNo: `JL-${100 + i}`,
    supervisionFee: supervisionFee(i),
  });
}

/** The Unit's 责任科室 signs off a filing its staff prepared before it goes to the Bureau (G-6). */
const SECTION_APPROVES = { sectionDecision: 'approve', sectionOpinion: '同意报送' };

/** Filings during implementation (IM-8): termination, change, delay; false when the project was terminated. */
function filings({ i, start, step, correlate }: ProjectPlan): boolean {
  if (i === 2) {
    correlate(120, 'project-termination-filed', {
      terminationReason: '上级部门统一建设同类系统，目标无法实现',
    });
    step(122, 'Task_SectionReviewTerminationFiling', SECTION_APPROVES);
    step(124, 'Task_RegisterTerminationWithBureau', { bureauTerminationFilingOpinion: '已备案' });
    step(126, 'Task_RegisterTerminationWithFinance', {
      financeTerminationFilingOpinion: '已备案，资金收回',
    });
    return false;
  }
  if (i % 8 === 5) {
    correlate(100, 'project-change-filed', {
      changeDescription: '增加移动端办理功能',
      changeReason: '省政务服务一体化要求调整',
    });
    step(101, 'Task_SectionReviewChangeFiling', SECTION_APPROVES);
    step(103, 'Task_RegisterChangeFiling', { changeFilingOpinion: '同意备案' });
  }
  if (i % 8 === 2) {
    const later = eveningOf(start + 260 * DAY);
    correlate(150, 'project-delay-filed', {
      delayReason: '国家标准更新，需调整接口',
      requestedDeliveryDate: later,
    });
    step(151, 'Task_SectionReviewDelayFiling', SECTION_APPROVES);
    step(153, 'Task_RegisterDelayFiling', { deliveryDate: later, delayFilingOpinion: '同意延期' });
  }
  return true;
}

/** Completion, testing, acceptance and evaluation, from the day (`done`) the implementation is finished. */
function acceptance({ i, step }: ProjectPlan, done: number): void {
  step(done, 'Task_Implement', {
    implementationAction: 'completed',
    progressPercent: 100,
    completionSummary: '按合同完成全部建设内容',
    // IM-4: the testing organisation the Unit engages from the registry; its task, its result
    softwareTestOrgId: i % 2 === 0 ? 'ceping-gdsoft' : 'ceping-saiyun',
    // AC-3: and the organisations of the acceptance test and the security assessment
    acceptanceTestOrgId: i % 2 === 0 ? 'ceping-saiyun' : 'ceping-gdsoft',
    securityAssessmentOrgId: i % 2 === 0 ? 'ceping-gdsoft' : 'ceping-saiyun',
    // AC-3, IM-4: what the organisations charge, the project's 测评 line
    assessmentFee: assessmentFee(i),
  });
  // (the demo holds no documents: through /api the organisation's uploaded report is required)
  step(done + 5, 'Task_ThirdPartyTest', {
    softwareTestResult: 'pass',
    softwareTestReportNumber: `CP-${i}`,
  });
  step(done + 7, 'Task_SupervisorConfirmCompletion', {
    supervisorConfirmation: 'confirmed',
    supervisorReportNumber: `JLBG-${i}`,
  });
  step(done + 15, 'Task_PreAcceptanceReview', {
    preAcceptanceReviewDecision: 'pass',
    preAcceptanceReviewOpinion: '符合数字政府建设标准',
  });
  // AC-2: the Bureau's verification of the catalogue entries and the IPv6 test report (the demo holds no
  // documents, so it records the report's number only; through /api the report must be a project document).
  step(done + 20, 'Task_VerifyAc2', {
    dataResources: [{ resourceName: '业务办理数据', catalogueNumber: `YF-ML-${i}` }],
    dataResourcesVerified: 'pass',
    ipv6TestReportNumber: `IPV6-${i}`,
    ipv6Verified: 'pass',
  });
  step(done + 30, 'Task_AcceptanceTest', {
    acceptanceTestResult: 'pass',
  });
  step(done + 30, 'Task_SecurityAssessment', {
    securityAssessmentResult: 'pass',
  });
  step(done + 30, 'Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }, 'project-acceptance');
  step(done + 38, 'Task_OrganiseAcceptance', {
    acceptanceScope: 'whole-as-approved',
    acceptanceDecision: 'pass',
    acceptanceConclusion: '验收通过',
  });
  step(done + 42, 'Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
  step(done + 70, 'Task_BureauEvaluation', {
    applicationEffectRating: 'good',
    applicationEffectComment: '运行稳定，群众满意',
  });
  step(done + 72, 'Task_FinanceEvaluation', {
    fundUseCompliance: 'compliant',
    performanceRating: 'good',
    financeEvaluationComment: '资金使用合规',
  });
}

async function play(
  o: DemoDatasetOptions,
  actions: Action[],
  runner: InProcessWorkers,
  skipped: string[],
): Promise<DemoSummary> {
  const { engine, store } = o;
  let done = 0;
  for (const a of actions) {
    if (a.at > engine.clock.now()) engine.pinClock(a.at);
    engine.processDue();
    await runner.settle();
    await a.run();
    await runner.settle();
    o.onProgress?.(++done, actions.length, a.label);
  }
  engine.pinClock(o.until);
  engine.processDue();
  await runner.settle();
  const incidents = engine.searchIncidents({ filter: { state: 'ACTIVE' }, page: { limit: 100 } }).page
    .totalItems;
  const projects = (
    await store.db.selectFrom('projects').select('id').where('tenantId', '=', TENANT).execute()
  ).length;
  return { units: DEMO_CITY_UNITS.length, projects, actions: actions.length, skipped, incidents };
}

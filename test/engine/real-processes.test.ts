// Every model in processes/ deployed on the embedded engine and driven along its paths, moving the clock instead of
// waiting. The rule workers are the real ones; the steps that write business records (filings, notifications, the
// evaluation, the audit package) answer here with the outputs the models read — their workers are tested with the
// store in test/workers/.
import { afterEach, describe, expect, it } from 'vitest';
import { filingDeadline } from '../../src/domain/index.ts';
import { checkAcceptancePrerequisitesWorker } from '../../workers/check-acceptance-prerequisites.ts';
import { checkApplicationWorker } from '../../workers/check-application.ts';
import { classifyProjectWorker } from '../../workers/classify-project.ts';
import { computeDueDateWorker } from '../../workers/compute-due-date.ts';
import { ProcessDriver } from '../support/process-driver.ts';

const UNITS = [
  { unitId: 'gongan', unitName: '云浮市公安局' },
  { unitId: 'ziranziyuan', unitName: '云浮市自然资源局' },
];

let driver: ProcessDriver | undefined;
afterEach(() => {
  driver?.close();
  driver = undefined;
});

async function open(at: string): Promise<ProcessDriver> {
  const d = await ProcessDriver.open(at);
  const deps = { regulation: d.regulation, now: () => d.clock.now() };
  let filings = 0;
  d.on('yunfu.check-application', checkApplicationWorker)
    .on('yunfu.classify-project', classifyProjectWorker(deps))
    .on('yunfu.compute-due-date', computeDueDateWorker(deps))
    .on('yunfu.check-acceptance-prerequisites', checkAcceptancePrerequisitesWorker)
    .on('yunfu.list-units', (job) => {
      const planYear = (job.variables.planYear as number | undefined) ?? 2027;
      const window = filingDeadline(planYear);
      return {
        units: UNITS,
        planYear,
        filingDeadline: window.deadline,
        annualPlanReminderDue: deps.regulation.calendar.workingDaysBefore(window.deadlineMs, 5).iso,
      };
    })
    .on('yunfu.send-notification', () => ({}))
    .on('yunfu.record-filing', () => ({ filingNumber: `云政数备〔2026〕${++filings}号` }))
    .on('yunfu.issue-approval-opinion', () => ({ approvalOpinionNumber: '云政数审〔2026〕1号' }))
    .on('yunfu.register-data-resources', () => ({ dataResourcesRegistered: true }))
    .on('yunfu.record-evaluation', () => ({ evaluationId: 'EV-1' }))
    .on('yunfu.assemble-audit-package', () => ({ auditPackageId: 'AP-1' }))
    .on('yunfu.close-project', () => ({}));
  driver = d;
  return d;
}

const notified = (d: ProcessDriver) =>
  d.handled.filter((h) => h.type === 'yunfu.send-notification').map((h) => h.headers.template);

const professionalApplication = {
  projectId: 'YF-2026-0007',
  tenantId: 'yunfu',
  unitId: 'gongan',
  unitName: '云浮市公安局',
  projectName: '云浮市智慧警务综合平台',
  planYear: 2027,
  fundingSource: 'city-fiscal',
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  serviceLines: [
    { serviceType: 'software-development', subType: 'professional-software', amount: 1_000_000 },
    {
      serviceType: 'third-party',
      subType: 'supervision',
      amount: 60_000,
      relatedTo: 'professional-software',
    },
  ],
};

const approveProfessional = (d: ProcessDriver) => {
  d.complete('Task_InitialCheck', { initialCheckDecision: 'pass', initialCheckOpinion: '符合立项条件' });
  d.complete('Task_CostReview', {
    costReviewPassed: true,
    costReviewReport: '造价合理',
    reviewedAmount: 1_060_000,
  });
  d.complete('Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
  d.complete('Task_FinanceReview', {
    financeApproved: true,
    financeOpinion: '同意',
    preliminaryFundingAmount: 1_060_000,
  });
  d.complete('Task_SubmitFundingApplication', {
    fundingRequestAmount: 1_060_000,
    fundingApplicationNote: '申请资金',
  });
  d.complete('Task_CityGovernmentDecision', {
    cityGovernmentApproved: true,
    approvedFundingAmount: 1_060_000,
  });
};

describe('professional-project-initiation on the engine (PRO-1..PRO-4, G-9)', () => {
  it('is approved along the main path, with every task for the right group and due in working days', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('professional-project-initiation', professionalApplication);
    const check = d.task('Task_InitialCheck');
    expect(check.candidateGroups).toEqual(['bureau-reviewer']);
    expect(check.dueDate).toBe('2026-12-04T10:00:00.000Z'); // 5 working days, 18:00 Shanghai
    approveProfessional(d);
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.variables(pik)).toMatchObject({
      initiationApproved: true,
      category: 'professional',
      ownerGroup: 'unit-gongan',
    });
    const passed = d.passed(pik);
    const order = [
      'Task_CheckApplication',
      'Task_ClassifyProject',
      'Task_InitialCheck',
      'Task_FinanceReview',
      'Task_IssueApprovalOpinion',
      'Task_SubmitFundingApplication',
      'Task_CityGovernmentDecision',
      'Event_InitiationApproved',
    ];
    expect(order.map((id) => passed.indexOf(id))).toEqual(
      [...order.map((id) => passed.indexOf(id))].sort((a, b) => a - b),
    );
    expect(order.every((id) => passed.includes(id))).toBe(true);
    expect(d.incidents()).toEqual([]);
  });

  it('G-9 refuses a 涉密 application before any person sees it', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('professional-project-initiation', { ...professionalApplication, classified: true });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.passed(pik)).toContain('Event_ApplicationRefused');
    expect(d.openTasks()).toEqual([]);
    expect(d.variables(pik).initiationApproved).toBe(false);
    expect(notified(d)).toEqual(['application-refused']);
  });

  it('a project mixing both categories stops at classification with an incident that says why', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const mixed = [
      ...professionalApplication.serviceLines,
      { serviceType: 'infrastructure', subType: 'government-cloud', amount: 5 },
    ];
    const pik = d.start('professional-project-initiation', {
      ...professionalApplication,
      serviceLines: mixed,
    });
    const [incident] = d.incidents();
    expect(incident).toMatchObject({ elementId: 'Task_ClassifyProject', errorType: 'JOB_NO_RETRIES' });
    expect(incident!.errorMessage).toContain('同时包含公共类与专业类服务');
    expect(d.state(pik)).toBe('ACTIVE');
    expect(d.openTasks()).toEqual([]);
  });

  it('PRO-1 sends an incomplete application back to the Unit, then checks it again', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('professional-project-initiation', {
      ...professionalApplication,
      supportsIpv6: false,
    });
    const correction = d.task('Task_CorrectApplication');
    expect(correction.candidateGroups).toEqual(['unit-gongan']);
    expect(d.variables(pik).missingItems).toEqual(['未承诺支持 IPv6（PRO-1）']);
    d.complete('Task_CorrectApplication', { supportsIpv6: true, correctionNote: '已补充 IPv6 承诺' });
    expect(d.task('Task_InitialCheck').candidateGroups).toEqual(['bureau-reviewer']);
  });

  it('PRO-2 a failed cost review goes back for revision while the expert review goes on', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('professional-project-initiation', professionalApplication);
    d.complete('Task_InitialCheck', { initialCheckDecision: 'pass' });
    d.complete('Task_CostReview', { costReviewPassed: false, costReviewReport: '单价偏高' });
    d.complete('Task_ExpertReview', { expertReviewPassed: true });
    d.complete('Task_ReviseForCostReview', { revisionNote: '已调整单价' });
    d.complete('Task_CostReview', { costReviewPassed: true });
    expect(d.task('Task_FinanceReview').candidateGroups).toEqual(['finance']);
    expect(d.passed(pik).filter((id) => id === 'Task_CostReview')).toHaveLength(2);
  });

  it('reminds the Bureau when 初核 passes its due date, and the task stays open', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    d.start('professional-project-initiation', professionalApplication);
    d.advanceTo('2026-12-04T18:00:01+08:00');
    expect(notified(d)).toContain('initial-check-overdue');
    expect(d.task('Task_InitialCheck')).toBeDefined();
  });
});

describe('annual-plan-filing on the engine (P-1)', () => {
  it('one filing on time, one late after a reminder and the escalation to the Bureau', async () => {
    const d = await open('2026-10-12T09:00:00+08:00');
    const pik = d.start('annual-plan-filing', { planYear: 2027 });
    const tasks = d.openTasks(pik);
    expect(tasks.map((t) => t.candidateGroups).sort()).toEqual([['unit-gongan'], ['unit-ziranziyuan']]);
    const gongan = tasks.find((t) => t.candidateGroups?.includes('unit-gongan'))!;
    d.engine.completeUserTask(gongan.userTaskKey, {
      variables: {
        planSummary: '2027 年度规划',
        plannedProjects: '智慧警务',
        estimatedTotalAmount: 3_000_000,
        contactName: '张三',
        contactPhone: '0766-1',
      },
    });
    d.runJobs();
    d.advanceTo('2026-11-23T09:00:01+08:00'); // 5 working days before 30 November
    expect(notified(d)).toContain('annual-plan-reminder');
    d.advanceTo('2026-12-01T00:00:01+08:00');
    expect(notified(d)).toContain('annual-plan-overdue');
    d.complete('Task_FollowUpOverdueFiling', { followUpNote: '已电话督办' });
    const late = d.openTasks(pik).find((t) => t.elementId === 'Task_FileAnnualPlan')!;
    d.engine.completeUserTask(late.userTaskKey, {
      variables: {
        planSummary: '2027',
        plannedProjects: '不动产',
        estimatedTotalAmount: 1,
        contactName: '李四',
        contactPhone: '0766-2',
      },
    });
    d.runJobs();
    expect(d.state(pik)).toBe('COMPLETED');
    expect(
      d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
    ).toEqual(['annual-plan', 'annual-plan']);
    expect(notified(d)).toContain('annual-plan-summary');
  });
});

describe('public-project-initiation on the engine (PUB-1..PUB-4)', () => {
  it('collects needs, treats a Unit that did not answer by the deadline as no need, and is approved', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('public-project-initiation', {
      planYear: 2027,
      projectId: 'YF-2026-0100',
      projectName: '政务云扩容',
      units: UNITS,
      tenantId: 'yunfu',
    });
    const needs = d.openTasks(pik).filter((t) => t.elementId === 'Task_StateUnitNeeds');
    expect(needs).toHaveLength(2);
    d.engine.completeUserTask(needs[0]!.userTaskKey, {
      variables: { hasNeed: true, needDescription: '需要 200 核政务云', estimatedAmount: 800_000 },
    });
    d.runJobs();
    d.advanceTo('2026-12-31T18:00:01+08:00'); // past the 15-working-day collection window
    expect(d.openTasks(pik).filter((t) => t.elementId === 'Task_StateUnitNeeds')).toEqual([]);
    expect(d.variables(pik).unitNeeds).toHaveLength(1);
    d.complete('Task_ConsolidatePlan', {
      planSummary: '全市政务云扩容',
      totalInvestment: 800_000,
      softwareDevCost: 0,
      serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }],
    });
    expect(d.variables(pik)).toMatchObject({ category: 'public', ownerGroup: 'bureau-admin' });
    d.complete('Task_CostReview', { costReviewPassed: true });
    d.complete('Task_ExpertReview', { expertReviewPassed: true });
    d.complete('Task_FinanceReview', { financeApproved: true });
    d.complete('Task_CityGovernmentDecision', { cityGovernmentApproved: true });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.variables(pik).initiationApproved).toBe(true);
  });

  it('ends without funds when Finance refuses', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('public-project-initiation', {
      planYear: 2027,
      projectId: 'P',
      projectName: '政务网',
      units: UNITS,
      outOfPlan: true,
    });
    d.complete('Task_ConsolidatePlan', {
      planSummary: 's',
      totalInvestment: 1,
      softwareDevCost: 0,
      serviceLines: [{ serviceType: 'infrastructure', subType: 'government-network', amount: 1 }],
      unitId: 'gongan',
    });
    d.complete('Task_CostReview', { costReviewPassed: true });
    d.complete('Task_ExpertReview', { expertReviewPassed: true });
    d.complete('Task_FinanceReview', { financeApproved: false, financeOpinion: '预算不足' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.passed(pik)).toContain('Event_FinanceRefused');
    expect(d.variables(pik).initiationApproved).toBe(false);
  });
});

describe('out-of-plan-initiation on the engine (EMG-1)', () => {
  const application = {
    ...professionalApplication,
    outOfPlanReason: 'network-security',
    outOfPlanJustification: '等保整改',
  };

  it('with the City Government consent, runs the professional initiation as a child', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('out-of-plan-initiation', application);
    d.complete('Task_OutOfPlanReasonCheck', {
      outOfPlanReasonQualifies: true,
      outOfPlanReasonOpinion: '符合',
    });
    expect(d.task('Task_CityGovernmentConsent').candidateGroups).toEqual(['city-government']);
    d.complete('Task_CityGovernmentConsent', {
      cityGovernmentConsented: true,
      cityGovernmentConsentOpinion: '同意',
    });
    approveProfessional(d);
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.variables(pik).initiationApproved).toBe(true);
  });

  it('without the consent, ends refused', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('out-of-plan-initiation', application);
    d.complete('Task_OutOfPlanReasonCheck', {
      outOfPlanReasonQualifies: true,
      outOfPlanReasonOpinion: '符合',
    });
    d.complete('Task_CityGovernmentConsent', {
      cityGovernmentConsented: false,
      cityGovernmentConsentOpinion: '不同意',
    });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.passed(pik)).toContain('Event_ConsentRefused');
    expect(d.variables(pik).initiationApproved).toBe(false);
  });
});

const implementationStart = {
  projectId: 'YF-2026-0007',
  unitId: 'gongan',
  unitName: '云浮市公安局',
  projectName: '智慧警务',
  category: 'professional',
  ownerGroup: 'unit-gongan',
  deliveryDate: '2027-06-30T18:00+08:00',
  supplierName: '某科技公司',
};

describe('project-implementation on the engine (IM-3, IM-4, IM-8, IM-9)', () => {
  const rules = (d: ProcessDriver) => d.regulation.rules.rulesVariable(d.regulation.rules.byId('yunfu-v1'));

  it.each([
    [999_999, 499_999, false, false],
    [1_000_000, 500_000, true, true],
  ])(
    'total %i / software %i → 监理 %s, testing %s',
    async (totalInvestment, softwareDevCost, supervision, testing) => {
      const d = await open('2027-01-15T10:00:00+08:00');
      const pik = d.start('project-implementation', {
        ...implementationStart,
        totalInvestment,
        softwareDevCost,
        rules: rules(d),
      });
      expect(d.variables(pik)).toMatchObject({
        requiresSupervision: supervision,
        requiresThirdPartyTesting: testing,
      });
      if (supervision)
        d.complete('Task_EngageSupervisor', {
          supervisorOrg: '广东某监理公司',
          supervisorQualificationNo: 'JL-1',
        });
      d.complete('Task_Implement', { implementationAction: 'completed', completionSummary: '已完成' });
      if (testing)
        d.complete('Task_ThirdPartyTest', { softwareTestResult: 'pass', softwareTestOrg: '测评中心' });
      if (supervision)
        d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
      expect(d.state(pik)).toBe('COMPLETED');
      expect(d.passed(pik).includes('Task_EngageSupervisor')).toBe(supervision);
      expect(d.passed(pik).includes('Task_ThirdPartyTest')).toBe(testing);
      expect(d.variables(pik).projectTerminated).toBe(false);
    },
  );

  it('IM-8 demands a delay filing when the delivery date passes; a delay filing moves the date', async () => {
    const d = await open('2027-01-15T10:00:00+08:00');
    const pik = d.start('project-implementation', {
      ...implementationStart,
      totalInvestment: 100,
      softwareDevCost: 0,
      rules: rules(d),
    });
    d.publish('project-change-filed', 'YF-2026-0007', {
      changeDescription: '增加移动端',
      changeReason: '省政策调整',
    });
    d.complete('Task_RegisterChangeFiling', { changeFilingOpinion: '同意备案' });
    d.advanceTo('2027-06-30T18:00:01+08:00');
    expect(notified(d)).toContain('delay-filing-demanded');
    d.publish('project-delay-filed', 'YF-2026-0007', {
      delayReason: '国家标准更新',
      requestedDeliveryDate: '2027-09-30T18:00+08:00',
    });
    d.complete('Task_RegisterDelayFiling', {
      deliveryDate: '2027-09-30T18:00+08:00',
      delayFilingOpinion: '同意延期',
    });
    const demandsBefore = notified(d).filter((t) => t === 'delay-filing-demanded').length;
    d.advanceTo('2027-08-01T10:00:00+08:00');
    expect(notified(d).filter((t) => t === 'delay-filing-demanded').length).toBe(demandsBefore);
    expect(
      d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
    ).toEqual(['change', 'delay']);
    d.complete('Task_Implement', { implementationAction: 'completed', completionSummary: '按期完成' });
    expect(d.state(pik)).toBe('COMPLETED');
  });

  it('IM-9 termination is filed with the Bureau and Finance and ends the project', async () => {
    const d = await open('2027-01-15T10:00:00+08:00');
    const pik = d.start('project-implementation', {
      ...implementationStart,
      totalInvestment: 100,
      softwareDevCost: 0,
      rules: rules(d),
    });
    d.publish('project-termination-filed', 'YF-2026-0007', { terminationReason: '目标无法实现' });
    expect(
      d
        .openTasks(pik)
        .map((t) => t.elementId)
        .sort(),
    ).toEqual(['Task_RegisterTerminationWithBureau', 'Task_RegisterTerminationWithFinance']);
    d.complete('Task_RegisterTerminationWithBureau', { bureauTerminationFilingOpinion: '已备案' });
    d.complete('Task_RegisterTerminationWithFinance', { financeTerminationFilingOpinion: '已备案' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.variables(pik).projectTerminated).toBe(true);
    expect(
      d.handled
        .filter((h) => h.type === 'yunfu.record-filing')
        .map((h) => h.headers.filedWith)
        .sort(),
    ).toEqual(['bureau', 'finance']);
  });
});

describe('project-acceptance on the engine (AC-1..AC-3)', () => {
  it('a professional project: pre-review, AC-2 gate, each assessment failing once, then the report filed', async () => {
    const d = await open('2027-07-01T10:00:00+08:00');
    let registered = false;
    d.on('yunfu.register-data-resources', () => ({ dataResourcesRegistered: registered }));
    const pik = d.start('project-acceptance', { ...implementationStart, supportsIpv6: true });
    d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
    expect(d.task('Task_RectifyPrerequisites')).toBeDefined();
    expect(d.openTasks(pik).map((t) => t.elementId)).not.toContain('Task_AcceptanceTest');
    registered = true;
    d.complete('Task_RectifyPrerequisites', {
      dataResourceCatalogueRef: 'ML-1',
      ipv6Evidence: 'IPv6 测试报告',
    });
    for (const [task, key, rectify] of [
      ['Task_AcceptanceTest', 'acceptanceTestResult', 'Task_RectifyAcceptanceTest'],
      ['Task_SecurityAssessment', 'securityAssessmentResult', 'Task_RectifySecurityAssessment'],
      ['Task_ExpertReview', 'acceptanceExpertReviewResult', 'Task_RectifyExpertReview'],
    ] as const) {
      d.complete(task, { [key]: 'fail' });
      d.complete(rectify, {});
      d.complete(task, { [key]: 'pass' });
    }
    d.complete('Task_OrganiseAcceptance', {
      acceptanceScope: 'whole-as-approved',
      acceptanceConclusion: '通过',
    });
    d.complete('Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.variables(pik).accepted).toBe(true);
    expect(
      d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
    ).toEqual(['acceptance-report']);
  });

  it('a public project has no pre-review and no report filing', async () => {
    const d = await open('2027-07-01T10:00:00+08:00');
    const pik = d.start('project-acceptance', {
      ...implementationStart,
      category: 'public',
      ownerGroup: 'bureau-admin',
      supportsIpv6: true,
    });
    d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
    d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
    d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' });
    d.complete('Task_OrganiseAcceptance', { acceptanceScope: 'whole-as-approved' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.passed(pik)).not.toContain('Task_PreAcceptanceReview');
    expect(d.passed(pik)).not.toContain('Task_RegisterAcceptanceReport');
  });
});

describe('supervision, audit, infrastructure and coordination on the engine', () => {
  it('SV-1 / SV-2 evaluation by the Bureau and Finance', async () => {
    const d = await open('2027-08-01T10:00:00+08:00');
    const pik = d.start('project-evaluation', { ...implementationStart, totalInvestment: 1 });
    d.complete('Task_BureauEvaluation', {
      applicationEffectRating: 'good',
      applicationEffectComment: '效果良好',
    });
    d.complete('Task_FinanceEvaluation', {
      fundUseCompliance: 'compliant',
      performanceRating: 'good',
      financeEvaluationComment: '合规',
    });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.handled.map((h) => h.type)).toContain('yunfu.record-evaluation');
  });

  it('SV-3 an overdue audit request is escalated and stays open until the Unit answers', async () => {
    const d = await open('2027-08-02T10:00:00+08:00');
    const pik = d.start('audit-request', {
      ...implementationStart,
      auditRequestId: 'SJ-2027-1',
      requestedMaterials: '合同、验收报告',
    });
    d.advanceTo('2027-08-20T10:00:00+08:00');
    expect(notified(d)).toEqual(
      expect.arrayContaining(['audit-materials-overdue', 'audit-materials-reminder']),
    );
    d.complete('Task_ProvideAuditMaterials', {
      auditMaterialsList: '合同',
      electronicDataDescription: '数据库导出',
      auditMaterialsConfirmed: true,
    });
    d.complete('Task_ReviewAuditMaterials', { auditReviewDecision: 'close', auditConclusion: '资料齐全' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.handled.map((h) => h.type)).toContain('yunfu.assemble-audit-package');
  });

  it('IM-6 an infrastructure request allocated and filed', async () => {
    const d = await open('2027-03-01T10:00:00+08:00');
    const pik = d.start('infrastructure-service-request', {
      unitId: 'gongan',
      unitName: '云浮市公安局',
      requestedService: '政务云',
      requestedSpecification: '16 核 64G',
    });
    d.complete('Task_ReviewInfrastructureRequest', {
      allocationDecision: 'allocate',
      allocatedResources: '16 核 64G',
    });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(notified(d)).toContain('infrastructure-allocated');
  });

  it('IM-7 a coordination request answered after consulting other parties', async () => {
    const d = await open('2027-03-01T10:00:00+08:00');
    const pik = d.start('coordination-request', {
      unitId: 'gongan',
      unitName: '云浮市公安局',
      coordinationSubject: '数据共享',
      coordinationDescription: '需人社局数据',
    });
    d.complete('Task_AssessCoordination', { coordinationAction: 'consult', consultedParties: '市人社局' });
    d.complete('Task_ConsultParties', { partyOpinions: '同意共享', coordinationAnswer: '协调完成' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(notified(d)).toContain('coordination-answered');
  });
});

describe('project-lifecycle on the engine (G-2)', () => {
  it('one professional project from submission to evaluation through every phase', async () => {
    const d = await open('2026-11-27T10:00:00+08:00');
    const pik = d.start('project-lifecycle', { ...professionalApplication, initiationRoute: 'professional' });
    approveProfessional(d);
    d.complete('Task_ConductProcurement', {
      procurementResult: 'success',
      supplierName: '某科技公司',
      contractNumber: 'YF-HT-2027-01',
      contractAmount: 1_060_000,
      deliveryDate: '2027-06-30T18:00+08:00',
    });
    expect(d.variables(pik).contractSigner).toBe('unit-gongan');
    d.complete('Task_EngageSupervisor', { supervisorOrg: '监理公司' });
    d.complete('Task_Implement', { implementationAction: 'completed', completionSummary: '完成' });
    d.complete('Task_ThirdPartyTest', { softwareTestResult: 'pass' });
    d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
    d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
    d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
    d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
    d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }, 'project-acceptance');
    d.complete('Task_OrganiseAcceptance', { acceptanceScope: 'whole-as-approved' });
    d.complete('Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
    d.complete('Task_BureauEvaluation', { applicationEffectRating: 'good' });
    d.complete('Task_FinanceEvaluation', { fundUseCompliance: 'compliant', performanceRating: 'good' });
    expect(d.state(pik)).toBe('COMPLETED');
    expect(d.passed(pik)).toEqual(
      expect.arrayContaining([
        'Call_ProfessionalInitiation',
        'Call_Procurement',
        'Call_Implementation',
        'Call_Acceptance',
        'Call_Evaluation',
        'Task_CloseEvaluated',
      ]),
    );
    expect(d.handled.filter((h) => h.type === 'yunfu.close-project').map((h) => h.headers.stage)).toEqual([
      'evaluated',
    ]);
    expect(d.incidents()).toEqual([]);
  });
});

// The paths of the regulation, each named after the clause it proves, driven on the real models with the real
// workers (on a real SQLite store) and the clock moved instead of waiting — twice: on the embedded engine
// in-process, and through the official client against the engine's Camunda REST API with the workers in the
// worker runtime, as `npm start` runs them (test/support/process-driver.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { loadRegulation, parseRuleEditions, type Regulation } from '../../src/domain/index.ts';
import { listFilings } from '../../src/store/filings.ts';
import { findProject } from '../../src/store/projects.ts';
import {
  type DriverKind,
  openDriver,
  type ProcessDriver,
  seedProject,
  UNITS,
} from '../support/process-driver.ts';
import { PROFESSIONAL_APPLICATION } from '../support/projects.ts';

const regulation = loadRegulation();

describe.each<DriverKind>(['engine', 'client'])('on the %s', (kind) => {
  let driver: ProcessDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  async function open(at: string, withRegulation?: Regulation): Promise<ProcessDriver> {
    driver = await openDriver(kind, at, withRegulation);
    return driver;
  }

  const notified = (d: ProcessDriver) =>
    d.handled.filter((h) => h.type === 'yunfu.send-notification').map((h) => h.headers.template);

  const professionalApplication = {
    projectId: 'YF-2026-0007',
    tenantId: 'yunfu',
    unitId: 'gongan',
    unitName: '云浮市公安局',
    projectName: '云浮市智慧警务综合平台',
    ...PROFESSIONAL_APPLICATION,
  };

  const approveProfessional = async (d: ProcessDriver) => {
    await d.complete('Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '符合立项条件',
    });
    await d.complete('Task_CostReview', {
      costReviewPassed: true,
      costReviewReport: '造价合理',
      reviewedAmount: 1_060_000,
    });
    await d.complete('Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
    await d.complete('Task_FinanceReview', {
      financeApproved: true,
      financeOpinion: '同意',
      preliminaryFundingAmount: 1_060_000,
    });
    await d.complete('Task_SubmitFundingApplication', {
      fundingRequestAmount: 1_060_000,
      fundingApplicationNote: '申请资金',
    });
    await d.complete('Task_CityGovernmentDecision', {
      cityGovernmentApproved: true,
      approvedFundingAmount: 1_060_000,
    });
  };

  describe('professional-project-initiation (PRO-1..PRO-4, G-9)', () => {
    it('is approved along the main path, with every task for the right group and due in working days', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      const check = await d.task('Task_InitialCheck');
      expect(check.candidateGroups).toEqual(['bureau-reviewer']);
      expect(check.dueDate).toBe('2026-12-04T10:00:00.000Z'); // 5 working days, 18:00 Shanghai
      await approveProfessional(d);
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.variables(pik)).toMatchObject({
        initiationApproved: true,
        category: 'professional',
        ownerGroup: 'unit-gongan',
      });
      const passed = await d.passed(pik);
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
      expect(await d.incidents()).toEqual([]);
    });

    it('G-9 refuses a 涉密 application before any person sees it', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', {
        ...professionalApplication,
        classified: true,
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain('Event_ApplicationRefused');
      expect(await d.openTasks()).toEqual([]);
      expect((await d.variables(pik)).initiationApproved).toBe(false);
      expect(notified(d)).toEqual(['application-refused']);
    });

    it('a project mixing both categories stops at classification with an incident that says why', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const mixed = [
        ...professionalApplication.serviceLines,
        { serviceType: 'infrastructure', subType: 'government-cloud', amount: 5 },
      ];
      const pik = await d.start('professional-project-initiation', {
        ...professionalApplication,
        serviceLines: mixed,
      });
      const [incident] = await d.incidents();
      expect(incident).toMatchObject({ elementId: 'Task_ClassifyProject', errorType: 'JOB_NO_RETRIES' });
      expect(incident!.errorMessage).toContain('同时包含公共类与专业类服务');
      expect(await d.state(pik)).toBe('ACTIVE');
      expect(await d.openTasks()).toEqual([]);
    });

    it('PRO-1 sends an incomplete application back to the Unit, then checks it again', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', {
        ...professionalApplication,
        supportsIpv6: false,
      });
      const correction = await d.task('Task_CorrectApplication');
      expect(correction.candidateGroups).toEqual(['unit-gongan']);
      expect((await d.variables(pik)).missingItems).toEqual(['未承诺支持 IPv6（PRO-1）']);
      await d.complete('Task_CorrectApplication', { supportsIpv6: true, correctionNote: '已补充 IPv6 承诺' });
      expect((await d.task('Task_InitialCheck')).candidateGroups).toEqual(['bureau-reviewer']);
    });

    it('PRO-2 a failed cost review goes back for revision while the expert review goes on', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', { initialCheckDecision: 'pass' });
      await d.complete('Task_CostReview', { costReviewPassed: false, costReviewReport: '单价偏高' });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      await d.complete('Task_ReviseForCostReview', { revisionNote: '已调整单价' });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      expect((await d.task('Task_FinanceReview')).candidateGroups).toEqual(['finance']);
      expect((await d.passed(pik)).filter((id) => id === 'Task_CostReview')).toHaveLength(2);
    });

    it('PRO-2 初核 rejects: the Unit is told and nothing else happens', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', {
        initialCheckDecision: 'reject',
        initialCheckOpinion: '不符合规划',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain('Event_InitialCheckRejected');
      expect((await d.variables(pik)).initiationApproved).toBe(false);
      expect(await d.openTasks()).toEqual([]);
    });

    it('PRO-2 初核 returns for correction: the Unit corrects, the check runs again, 初核 again', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', {
        initialCheckDecision: 'return',
        initialCheckOpinion: '补充建设内容',
      });
      expect((await d.task('Task_CorrectApplication')).candidateGroups).toEqual(['unit-gongan']);
      await d.complete('Task_CorrectApplication', { correctionNote: '已补充' });
      expect((await d.task('Task_InitialCheck')).candidateGroups).toEqual(['bureau-reviewer']);
      const passed = await d.passed(pik);
      expect(passed.filter((id) => id === 'Task_CheckApplication')).toHaveLength(2);
      expect(passed.filter((id) => id === 'Task_InitialCheck')).toHaveLength(1);
    });

    it('PRO-2 a failed expert review goes back to the Unit for revision, then passes', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', { initialCheckDecision: 'pass' });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', {
        expertReviewPassed: false,
        expertReviewReport: '需补充安全方案',
      });
      expect((await d.task('Task_ReviseForExpertReview')).candidateGroups).toEqual(['unit-gongan']);
      await d.complete('Task_ReviseForExpertReview', { revisionNote: '已补充' });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      expect((await d.task('Task_FinanceReview')).candidateGroups).toEqual(['finance']);
      expect((await d.passed(pik)).filter((id) => id === 'Task_ExpertReview')).toHaveLength(2);
    });

    it.each([
      [
        'PRO-3 Finance refuses',
        'Task_FinanceReview',
        { financeApproved: false, financeOpinion: '资金不足' },
        'Event_FinanceRefused',
      ],
      [
        'PRO-4 the City Government refuses',
        'Task_CityGovernmentDecision',
        { cityGovernmentApproved: false },
        'Event_CityGovernmentRefused',
      ],
    ] as const)('%s: the initiation ends not approved', async (_, task, decision, end) => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', { initialCheckDecision: 'pass' });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      if (task === 'Task_CityGovernmentDecision') {
        await d.complete('Task_FinanceReview', { financeApproved: true });
        await d.complete('Task_SubmitFundingApplication', { fundingRequestAmount: 1 });
      }
      await d.complete(task, decision);
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain(end);
      expect((await d.variables(pik)).initiationApproved).toBe(false);
    });

    it('reminds the Bureau when 初核 passes its due date, and the task stays open', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      await d.start('professional-project-initiation', professionalApplication);
      await d.advanceTo('2026-12-04T18:00:01+08:00');
      expect(notified(d)).toContain('initial-check-overdue');
      expect(await d.task('Task_InitialCheck')).toBeDefined();
    });
  });

  describe('annual-plan-filing (P-1)', () => {
    it('one filing on time, one late after a reminder and the escalation to the Bureau', async () => {
      const d = await open('2026-10-12T09:00:00+08:00');
      const pik = await d.start('annual-plan-filing', { planYear: 2027 });
      const tasks = await d.openTasks(pik);
      expect(tasks.map((t) => t.candidateGroups).sort()).toEqual([['unit-gongan'], ['unit-ziranziyuan']]);
      const gongan = tasks.find((t) => t.candidateGroups?.includes('unit-gongan'))!;
      await d.completeTask(gongan.userTaskKey, {
        planSummary: '2027 年度规划',
        plannedProjects: '智慧警务',
        estimatedTotalAmount: 3_000_000,
        contactName: '张三',
        contactPhone: '0766-1',
      });
      await d.advanceTo('2026-11-23T09:00:01+08:00'); // 5 working days before 30 November
      expect(notified(d)).toContain('annual-plan-reminder');
      await d.advanceTo('2026-12-01T00:00:01+08:00');
      expect(notified(d)).toContain('annual-plan-overdue');
      await d.complete('Task_FollowUpOverdueFiling', { followUpNote: '已电话督办' });
      const late = (await d.openTasks(pik)).find((t) => t.elementId === 'Task_FileAnnualPlan')!;
      await d.completeTask(late.userTaskKey, {
        planSummary: '2027',
        plannedProjects: '不动产',
        estimatedTotalAmount: 1,
        contactName: '李四',
        contactPhone: '0766-2',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(
        d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
      ).toEqual(['annual-plan', 'annual-plan']);
      expect(notified(d)).toContain('annual-plan-summary');
    });

    it('with public holidays inside the reminder window: the reminder counts working days back over them', async () => {
      // An edition whose deadline is 9 October: 5 working days before it skip the National Day and Mid-Autumn
      // holidays (1-7 October, 25-27 September 2026) and fall on 24 September.
      const base = loadRegulation();
      const edition = { ...base.rules.list()[0]!, id: 'autumn', annualPlanDeadline: '10-09' };
      const rules = parseRuleEditions({ editions: [edition] }, base.rules.deadlines, 'test');
      const d = await open('2026-09-01T09:00:00+08:00', { ...base, rules });
      const pik = await d.start('annual-plan-filing', { planYear: 2027 });
      expect((await d.variables(pik)).annualPlanReminderDue).toBe('2026-09-24T09:00:00+08:00');
      await d.advanceTo('2026-09-23T18:00:00+08:00');
      expect(notified(d)).not.toContain('annual-plan-reminder');
      await d.advanceTo('2026-09-24T09:00:01+08:00');
      expect(notified(d).filter((t) => t === 'annual-plan-reminder')).toHaveLength(2);
    });
  });

  describe('public-project-initiation (PUB-1..PUB-4)', () => {
    it('collects needs, treats a Unit that did not answer by the deadline as no need, and is approved', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('public-project-initiation', {
        planYear: 2027,
        projectId: 'YF-2026-0100',
        projectName: '政务云扩容',
        units: UNITS,
        tenantId: 'yunfu',
      });
      const needs = (await d.openTasks(pik)).filter((t) => t.elementId === 'Task_StateUnitNeeds');
      expect(needs).toHaveLength(2);
      await d.completeTask(needs[0]!.userTaskKey, {
        hasNeed: true,
        needDescription: '需要 200 核政务云',
        estimatedAmount: 800_000,
      });
      await d.advanceTo('2026-12-31T18:00:01+08:00'); // past the 15-working-day collection window
      expect((await d.openTasks(pik)).filter((t) => t.elementId === 'Task_StateUnitNeeds')).toEqual([]);
      expect((await d.variables(pik)).unitNeeds).toHaveLength(1);
      await d.complete('Task_ConsolidatePlan', {
        planSummary: '全市政务云扩容',
        totalInvestment: 800_000,
        softwareDevCost: 0,
        serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }],
      });
      expect(await d.variables(pik)).toMatchObject({ category: 'public', ownerGroup: 'bureau-admin' });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      await d.complete('Task_FinanceReview', { financeApproved: true });
      await d.complete('Task_CityGovernmentDecision', { cityGovernmentApproved: true });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).initiationApproved).toBe(true);
    });

    it('ends without funds when Finance refuses', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('public-project-initiation', {
        planYear: 2027,
        projectId: 'P',
        projectName: '政务网',
        units: UNITS,
        outOfPlan: true,
      });
      await d.complete('Task_ConsolidatePlan', {
        planSummary: 's',
        totalInvestment: 1,
        softwareDevCost: 0,
        serviceLines: [{ serviceType: 'infrastructure', subType: 'government-network', amount: 1 }],
        unitId: 'gongan',
      });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      await d.complete('Task_FinanceReview', { financeApproved: false, financeOpinion: '预算不足' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain('Event_FinanceRefused');
      expect((await d.variables(pik)).initiationApproved).toBe(false);
    });
  });

  describe('out-of-plan-initiation (EMG-1)', () => {
    const application = {
      ...professionalApplication,
      outOfPlanReason: 'network-security',
      outOfPlanJustification: '等保整改',
    };

    it('with the City Government consent, runs the professional initiation as a child', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('out-of-plan-initiation', application);
      await d.complete('Task_OutOfPlanReasonCheck', {
        outOfPlanReasonQualifies: true,
        outOfPlanReasonOpinion: '符合',
      });
      expect((await d.task('Task_CityGovernmentConsent')).candidateGroups).toEqual(['city-government']);
      await d.complete('Task_CityGovernmentConsent', {
        cityGovernmentConsented: true,
        cityGovernmentConsentOpinion: '同意',
      });
      await approveProfessional(d);
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).initiationApproved).toBe(true);
    });

    it('without the consent, ends refused', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('out-of-plan-initiation', application);
      await d.complete('Task_OutOfPlanReasonCheck', {
        outOfPlanReasonQualifies: true,
        outOfPlanReasonOpinion: '符合',
      });
      await d.complete('Task_CityGovernmentConsent', {
        cityGovernmentConsented: false,
        cityGovernmentConsentOpinion: '不同意',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain('Event_ConsentRefused');
      expect((await d.variables(pik)).initiationApproved).toBe(false);
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

  describe('project-procurement (PC-1, PC-2, IM-1, IM-2)', () => {
    it.each([
      ['PC-1 a public project is procured by the Bureau', 'public', 'bureau-admin'],
      ['PC-2 a professional project is procured by the Unit', 'professional', 'unit-gongan'],
    ])('%s', async (_, category, owner) => {
      const d = await open('2027-01-04T10:00:00+08:00');
      const pik = await d.start('project-procurement', {
        ...implementationStart,
        category,
        ownerGroup: owner,
      });
      const task = await d.task('Task_ConductProcurement');
      expect(task.candidateGroups).toEqual([owner]);
      expect(task.formKey).not.toBeNull();
      await d.complete('Task_ConductProcurement', {
        procurementResult: 'success',
        supplierName: '某科技公司',
        contractNumber: 'HT-2027-01',
        contractAmount: 900_000,
        deliveryDate: '2027-06-30T18:00+08:00',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.variables(pik)).toMatchObject({ procurementCompleted: true, contractSigner: owner });
    });
  });

  describe('project-implementation (IM-3, IM-4, IM-8, IM-9)', () => {
    const rules = regulation.rules.rulesVariable(regulation.rules.byId('yunfu-v1'));

    it.each([
      [999_999, 499_999, false, false],
      [1_000_000, 499_999, true, false],
      [999_999, 500_000, false, true],
      [1_000_000, 500_000, true, true],
    ])(
      'total %i / software %i → 监理 %s, testing %s',
      async (totalInvestment, softwareDevCost, supervision, testing) => {
        const d = await open('2027-01-15T10:00:00+08:00');
        const pik = await d.start('project-implementation', {
          ...implementationStart,
          totalInvestment,
          softwareDevCost,
          rules,
        });
        expect(await d.variables(pik)).toMatchObject({
          requiresSupervision: supervision,
          requiresThirdPartyTesting: testing,
        });
        if (supervision)
          await d.complete('Task_EngageSupervisor', {
            supervisorOrg: '广东某监理公司',
            supervisorQualificationNo: 'JL-1',
          });
        await d.complete('Task_Implement', {
          implementationAction: 'completed',
          completionSummary: '已完成',
        });
        if (testing)
          await d.complete('Task_ThirdPartyTest', {
            softwareTestResult: 'pass',
            softwareTestOrg: '测评中心',
          });
        if (supervision)
          await d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
        expect(await d.state(pik)).toBe('COMPLETED');
        expect((await d.passed(pik)).includes('Task_EngageSupervisor')).toBe(supervision);
        expect((await d.passed(pik)).includes('Task_ThirdPartyTest')).toBe(testing);
        expect((await d.variables(pik)).projectTerminated).toBe(false);
      },
    );

    it('IM-8 demands a delay filing when the delivery date passes; a delay filing moves the date', async () => {
      const d = await open('2027-01-15T10:00:00+08:00');
      const pik = await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules,
      });
      await d.publish('project-change-filed', 'YF-2026-0007', {
        changeDescription: '增加移动端',
        changeReason: '省政策调整',
      });
      await d.complete('Task_RegisterChangeFiling', { changeFilingOpinion: '同意备案' });
      await d.advanceTo('2027-06-30T18:00:01+08:00');
      expect(notified(d)).toContain('delay-filing-demanded');
      await d.publish('project-delay-filed', 'YF-2026-0007', {
        delayReason: '国家标准更新',
        requestedDeliveryDate: '2027-09-30T18:00+08:00',
      });
      await d.complete('Task_RegisterDelayFiling', {
        deliveryDate: '2027-09-30T18:00+08:00',
        delayFilingOpinion: '同意延期',
      });
      const demandsBefore = notified(d).filter((t) => t === 'delay-filing-demanded').length;
      await d.advanceTo('2027-08-01T10:00:00+08:00');
      expect(notified(d).filter((t) => t === 'delay-filing-demanded').length).toBe(demandsBefore);
      expect(
        d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
      ).toEqual(['change', 'delay']);
      await d.complete('Task_Implement', {
        implementationAction: 'completed',
        completionSummary: '按期完成',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
    });

    it('IM-9 termination is filed with the Bureau and Finance and ends the project', async () => {
      const d = await open('2027-01-15T10:00:00+08:00');
      const pik = await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules,
      });
      await d.publish('project-termination-filed', 'YF-2026-0007', { terminationReason: '目标无法实现' });
      expect((await d.openTasks(pik)).map((t) => t.elementId).sort()).toEqual([
        'Task_RegisterTerminationWithBureau',
        'Task_RegisterTerminationWithFinance',
      ]);
      await d.complete('Task_RegisterTerminationWithBureau', { bureauTerminationFilingOpinion: '已备案' });
      await d.complete('Task_RegisterTerminationWithFinance', { financeTerminationFilingOpinion: '已备案' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).projectTerminated).toBe(true);
      expect(
        d.handled
          .filter((h) => h.type === 'yunfu.record-filing')
          .map((h) => h.headers.filedWith)
          .sort(),
      ).toEqual(['bureau', 'finance']);
    });
  });

  describe('project-acceptance (AC-1..AC-3)', () => {
    it('a professional project: pre-review, AC-2 gate, each assessment failing once, then the report filed', async () => {
      const d = await open('2027-07-01T10:00:00+08:00');
      // no data-sharing catalogue yet: registration cannot happen until the Unit rectifies (AC-2)
      const pik = await d.start('project-acceptance', {
        ...implementationStart,
        supportsIpv6: true,
        hasDataCatalogue: false,
      });
      await d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
      expect(await d.task('Task_RectifyPrerequisites')).toBeDefined();
      expect((await d.openTasks(pik)).map((t) => t.elementId)).not.toContain('Task_AcceptanceTest');
      await d.complete('Task_RectifyPrerequisites', {
        dataResourceCatalogueRef: 'ML-1',
        ipv6Evidence: 'IPv6 测试报告',
      });
      for (const [task, key, rectify] of [
        ['Task_AcceptanceTest', 'acceptanceTestResult', 'Task_RectifyAcceptanceTest'],
        ['Task_SecurityAssessment', 'securityAssessmentResult', 'Task_RectifySecurityAssessment'],
        ['Task_ExpertReview', 'acceptanceExpertReviewResult', 'Task_RectifyExpertReview'],
      ] as const) {
        await d.complete(task, { [key]: 'fail' });
        await d.complete(rectify, {});
        await d.complete(task, { [key]: 'pass' });
      }
      await d.complete('Task_OrganiseAcceptance', {
        acceptanceScope: 'whole-as-approved',
        acceptanceConclusion: '通过',
      });
      await d.complete('Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).accepted).toBe(true);
      expect(
        d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
      ).toEqual(['acceptance-report']);
    });

    it('a public project has no pre-review and no report filing', async () => {
      const d = await open('2027-07-01T10:00:00+08:00');
      const pik = await d.start('project-acceptance', {
        ...implementationStart,
        category: 'public',
        ownerGroup: 'bureau-admin',
        supportsIpv6: true,
        hasDataCatalogue: true,
      });
      await d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
      await d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
      await d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' });
      await d.complete('Task_OrganiseAcceptance', { acceptanceScope: 'whole-as-approved' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).not.toContain('Task_PreAcceptanceReview');
      expect(await d.passed(pik)).not.toContain('Task_RegisterAcceptanceReport');
    });
  });

  describe('supervision, audit, infrastructure and coordination', () => {
    it('SV-1 / SV-2 evaluation by the Bureau and Finance', async () => {
      const d = await open('2027-08-01T10:00:00+08:00');
      const pik = await d.start('project-evaluation', { ...implementationStart, totalInvestment: 1 });
      await d.complete('Task_BureauEvaluation', {
        applicationEffectRating: 'good',
        applicationEffectComment: '效果良好',
      });
      await d.complete('Task_FinanceEvaluation', {
        fundUseCompliance: 'compliant',
        performanceRating: 'good',
        financeEvaluationComment: '合规',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(d.handled.map((h) => h.type)).toContain('yunfu.record-evaluation');
    });

    it('SV-3 an overdue audit request is escalated and stays open until the Unit answers', async () => {
      const d = await open('2027-08-02T10:00:00+08:00');
      await seedProject(d.store, 'YF-2026-0007');
      const pik = await d.start('audit-request', {
        ...implementationStart,
        auditRequestId: 'SJ-2027-1',
        requestedMaterials: '合同、验收报告',
      });
      await d.advanceTo('2027-08-20T10:00:00+08:00');
      expect(notified(d)).toEqual(
        expect.arrayContaining(['audit-materials-overdue', 'audit-materials-reminder']),
      );
      await d.complete('Task_ProvideAuditMaterials', {
        auditMaterialsList: '合同',
        electronicDataDescription: '数据库导出',
        auditMaterialsConfirmed: true,
      });
      await d.complete('Task_ReviewAuditMaterials', {
        auditReviewDecision: 'close',
        auditConclusion: '资料齐全',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(d.handled.map((h) => h.type)).toContain('yunfu.assemble-audit-package');
    });

    it('IM-6 an infrastructure request allocated and filed', async () => {
      const d = await open('2027-03-01T10:00:00+08:00');
      const pik = await d.start('infrastructure-service-request', {
        unitId: 'gongan',
        unitName: '云浮市公安局',
        requestedService: '政务云',
        requestedSpecification: '16 核 64G',
      });
      await d.complete('Task_ReviewInfrastructureRequest', {
        allocationDecision: 'allocate',
        allocatedResources: '16 核 64G',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(notified(d)).toContain('infrastructure-allocated');
    });

    it('IM-7 a coordination request answered after consulting other parties', async () => {
      const d = await open('2027-03-01T10:00:00+08:00');
      const pik = await d.start('coordination-request', {
        unitId: 'gongan',
        unitName: '云浮市公安局',
        coordinationSubject: '数据共享',
        coordinationDescription: '需人社局数据',
      });
      await d.complete('Task_AssessCoordination', {
        coordinationAction: 'consult',
        consultedParties: '市人社局',
      });
      await d.complete('Task_ConsultParties', { partyOpinions: '同意共享', coordinationAnswer: '协调完成' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(notified(d)).toContain('coordination-answered');
    });
  });

  describe('project-lifecycle (G-2)', () => {
    it('one professional project from submission to evaluation through every phase', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      await seedProject(d.store, 'YF-2026-0007');
      const pik = await d.start('project-lifecycle', {
        ...professionalApplication,
        initiationRoute: 'professional',
      });
      expect((await findProject(d.store.db, 'yunfu', 'YF-2026-0007'))?.stage).toBe('initiation');
      await approveProfessional(d);
      expect((await findProject(d.store.db, 'yunfu', 'YF-2026-0007'))?.stage).toBe('procurement');
      await d.complete('Task_ConductProcurement', {
        procurementResult: 'success',
        supplierName: '某科技公司',
        contractNumber: 'YF-HT-2027-01',
        contractAmount: 1_060_000,
        deliveryDate: '2027-06-30T18:00+08:00',
      });
      expect((await d.variables(pik)).contractSigner).toBe('unit-gongan');
      await d.complete('Task_EngageSupervisor', { supervisorOrg: '监理公司' });
      await d.complete('Task_Implement', { implementationAction: 'completed', completionSummary: '完成' });
      await d.complete('Task_ThirdPartyTest', { softwareTestResult: 'pass' });
      await d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
      await d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
      await d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
      await d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
      await d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }, 'project-acceptance');
      await d.complete('Task_OrganiseAcceptance', { acceptanceScope: 'whole-as-approved' });
      await d.complete('Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
      await d.complete('Task_BureauEvaluation', { applicationEffectRating: 'good' });
      await d.complete('Task_FinanceEvaluation', {
        fundUseCompliance: 'compliant',
        performanceRating: 'good',
      });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toEqual(
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
      expect(await d.incidents()).toEqual([]);
      // the workers wrote the business records: the opinion, the acceptance report filing, the evaluation, the stage
      expect((await findProject(d.store.db, 'yunfu', 'YF-2026-0007'))?.stage).toBe('closed');
      expect(await d.store.db.selectFrom('approvalOpinions').select('number').execute()).toEqual([
        { number: '云政数审〔2026〕1号' },
      ]);
      expect(await d.store.db.selectFrom('evaluations').select('projectId').execute()).toEqual([
        { projectId: 'YF-2026-0007' },
      ]);
      expect(
        (await listFilings(d.store.db, { tenantId: 'yunfu', projectId: 'YF-2026-0007' })).map((f) => f.kind),
      ).toEqual(['acceptance-report']);
    });
  });
});

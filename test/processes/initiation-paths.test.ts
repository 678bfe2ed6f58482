// The initiation paths (PRO-1..PRO-4, G-9, PUB-1..PUB-4, EMG-1), each named after the clause it proves, driven on
// the real models with the real workers (on a real SQLite store) and the clock moved instead of waiting — twice: on
// the embedded engine in-process, and through the official client against the engine's Camunda REST API with the
// workers in the worker runtime, as `npm start` runs them (test/support/process-driver.ts).
import { describe, expect, it } from 'vitest';
import { type DriverKind, seedProject, UNITS } from '../support/process-driver.ts';
import { approveProfessional, driverPerTest, notified, professionalApplication } from './paths.ts';

describe.each<DriverKind>(['engine', 'client'])('on the %s', (kind) => {
  const open = driverPerTest(kind);

  describe('professional-project-initiation (PRO-1..PRO-4, G-9)', () => {
    it('is approved along the main path, with every task for the right group and due in working days', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      // PRO-3: the opinion's document belongs to a project of the 项目库
      await seedProject(d.store, professionalApplication.projectId);
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
        'Task_BureauApprovalOpinion',
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
      await seedProject(d.store, professionalApplication.projectId);
      const pik = await d.start('professional-project-initiation', professionalApplication);
      await d.complete('Task_InitialCheck', { initialCheckDecision: 'pass' });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      if (task === 'Task_CityGovernmentDecision') {
        await d.complete('Task_FinanceReview', { financeApproved: true });
        await d.complete('Task_BureauApprovalOpinion', { bureauOpinion: '同意立项' });
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

  describe('public-needs-collection (PUB-1)', () => {
    it('collects needs from each Unit in its own task; the deadline ends the tasks not answered; lines not all public go back to the Bureau', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('public-needs-collection', {
        needsCollectionId: 'PN-2027-01',
        planYear: 2027,
        units: UNITS,
        needsCollectionDue: '2026-12-11T18:00:00+08:00',
        openedBy: 'bureau-admin-account',
        tenantId: 'yunfu',
      });
      const needs = (await d.openTasks(pik)).filter((t) => t.elementId === 'Task_StateUnitNeeds');
      expect(needs.map((t) => t.candidateGroups)).toEqual(UNITS.map((u) => [`unit-${u.unitId}`]));
      await d.completeTask(needs[0]!.userTaskKey, {
        hasNeed: true,
        needDescription: '需要 200 核政务云',
        estimatedAmount: 800_000,
      });
      await d.advanceTo('2026-12-11T18:00:01+08:00');
      expect((await d.openTasks(pik)).map((t) => t.elementId)).toEqual(['Task_ConsolidatePlan']);
      expect((await d.variables(pik)).unitNeeds).toEqual([
        expect.objectContaining({ unitId: UNITS[0]!.unitId, hasNeed: true, estimatedAmount: 800_000 }),
      ]);
      // G-5: lines that are not all 公共类 go back to the Bureau with the reason.
      await d.complete('Task_ConsolidatePlan', {
        consolidationAction: 'form-project',
        leadUnitId: UNITS[0]!.unitId,
        projectName: '警务平台',
        planSummary: 's',
        serviceLines: [{ serviceType: 'software-development', subType: 'professional-software', amount: 1 }],
      });
      expect((await d.openTasks(pik)).map((t) => t.elementId)).toEqual(['Task_ConsolidatePlan']);
      expect(String((await d.variables(pik)).consolidationIssue)).toContain('专业类');
      await d.complete('Task_ConsolidatePlan', { consolidationAction: 'finish' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).toContain('Event_NotPublic');
    });
  });

  describe('public-project-initiation (PUB-1..PUB-4)', () => {
    it('a project consolidated from a needs collection goes from classification through both reviews, Finance and the City Government, and is approved', async () => {
      const d = await open('2026-11-27T10:00:00+08:00');
      const pik = await d.start('public-project-initiation', {
        planYear: 2027,
        projectId: 'YF-2026-0100',
        projectName: '政务云扩容',
        unitId: 'gongan',
        needsCollectionId: 'PN-2027-01',
        serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }],
        tenantId: 'yunfu',
      });
      // PUB-1 happened before, in public-needs-collection: no needs task and no consolidation here.
      expect((await d.openTasks(pik)).map((t) => t.elementId).sort()).toEqual([
        'Task_CostReview',
        'Task_ExpertReview',
      ]);
      expect(await d.variables(pik)).toMatchObject({
        category: 'public',
        ownerGroup: 'bureau-admin',
        totalInvestment: 800_000,
      });
      await d.complete('Task_CostReview', { costReviewPassed: true });
      await d.complete('Task_ExpertReview', { expertReviewPassed: true });
      await d.complete('Task_FinanceReview', { financeApproved: true });
      await d.complete('Task_CityGovernmentDecision', { cityGovernmentApproved: true });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect(await d.passed(pik)).not.toContain('Task_ConsolidatePlan');
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
      await seedProject(d.store, String(application.projectId));
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
});

// The annual plan campaign (P-1), supervision, audit, infrastructure and coordination (SV-1..SV-3, IM-6, IM-7), each
// path named after the clause it proves, driven as test/processes/initiation-paths.test.ts says.
import { describe, expect, it } from 'vitest';
import { loadRegulation, parseRuleEditions } from '../../src/domain/index.ts';
import { type DriverKind, seedProject } from '../support/process-driver.ts';
import { driverPerTest, implementationStart, notified } from './paths.ts';

describe.each<DriverKind>(['engine', 'client'])('on the %s', (kind) => {
  const open = driverPerTest(kind);

  describe('annual-plan-filing (P-1)', () => {
    it('one filing on time after the section sent it back once, one late: prepared in time but signed off after 30 November, so reminded and escalated', async () => {
      const d = await open('2026-10-12T09:00:00+08:00');
      const pik = await d.start('annual-plan-filing', { planYear: 2027 });
      const tasks = await d.openTasks(pik);
      expect(tasks.map((t) => t.candidateGroups).sort()).toEqual([['unit-gongan'], ['unit-ziranziyuan']]);
      const open1 = async (elementId: string, group: string) =>
        (await d.openTasks(pik)).find(
          (t) => t.elementId === elementId && t.candidateGroups?.includes(group),
        )!;
      const plan = (summary: string) => ({
        planSummary: summary,
        plannedProjects: '智慧警务',
        estimatedTotalAmount: 3_000_000,
        contactName: '张三',
        contactPhone: '0766-1',
      });
      // G-6: gongan's staff prepares, its section returns it with a reason, the staff revises, the section approves.
      await d.completeTask(
        (await open1('Task_FileAnnualPlan', 'unit-gongan')).userTaskKey,
        plan('2027 年度规划'),
      );
      const review = await open1('Task_SectionReviewAnnualPlan', 'unit-section-gongan');
      await d.completeTask(review.userTaskKey, { sectionDecision: 'return', sectionOpinion: '缺少估算依据' });
      expect(d.handled.filter((h) => h.type === 'yunfu.record-filing')).toHaveLength(0);
      const revise = await open1('Task_ReviseAnnualPlan', 'unit-gongan');
      expect((await d.variables(pik)).sectionOpinion).toBeUndefined(); // local to gongan's branch
      await d.completeTask(revise.userTaskKey, plan('2027 年度规划（附估算依据）'));
      const again = await open1('Task_SectionReviewAnnualPlan', 'unit-section-gongan');
      await d.completeTask(again.userTaskKey, { sectionDecision: 'approve', sectionOpinion: '同意报送' });
      expect(d.handled.filter((h) => h.type === 'yunfu.record-filing')).toHaveLength(1);
      // ziranziyuan's staff prepares in time, but its section has not signed off by the deadline.
      await d.completeTask(
        (await open1('Task_FileAnnualPlan', 'unit-ziranziyuan')).userTaskKey,
        plan('2027'),
      );
      await d.advanceTo('2026-11-23T09:00:01+08:00'); // 5 working days before 30 November
      expect(notified(d).filter((t) => t === 'annual-plan-reminder')).toHaveLength(1); // gongan's plan went out
      await d.advanceTo('2026-12-01T00:00:01+08:00');
      expect(notified(d).filter((t) => t === 'annual-plan-overdue')).toHaveLength(1);
      await d.complete('Task_FollowUpOverdueFiling', { followUpNote: '已电话督办' });
      const late = await open1('Task_SectionReviewAnnualPlan', 'unit-section-ziranziyuan');
      await d.completeTask(late.userTaskKey, { sectionDecision: 'approve', sectionOpinion: '同意' });
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
      const edition = {
        ...base.rules.list()[0]!,
        id: 'autumn',
        annualPlanDeadline: '10-09',
        campaignOpens: '09-01',
        validUntil: null,
      };
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
});

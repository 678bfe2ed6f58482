// Procurement, implementation, acceptance and the whole lifecycle (PC-1, PC-2, IM-1..IM-4, IM-8, IM-9, AC-1..AC-3,
// G-2), each path named after the clause it proves, driven as test/processes/initiation-paths.test.ts says.
import { describe, expect, it } from 'vitest';
import { listFilings } from '../../src/store/filings.ts';
import { findProject } from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { type DriverKind, seedProject } from '../support/process-driver.ts';
import {
  acceptanceStart,
  approveProfessional,
  driverPerTest,
  implementationStart,
  notified,
  professionalApplication,
  regulation,
} from './paths.ts';

/** The Unit's 责任科室 signs the filing off (G-6). */
const SECTION_APPROVES = { sectionDecision: 'approve', sectionOpinion: '同意报送' };

describe.each<DriverKind>(['engine', 'client'])('on the %s', (kind) => {
  const open = driverPerTest(kind);

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
            supervisorOrgId: 'jianli-nanfang',
            supervisorQualificationNo: 'JL-1',
          });
        await d.complete('Task_Implement', {
          implementationAction: 'completed',
          completionSummary: '已完成',
          ...(testing ? { softwareTestOrgId: 'ceping-saiyun' } : {}),
        });
        if (testing) {
          // IM-4: the result is the engaged organisation's task, not the Unit's
          expect((await d.task('Task_ThirdPartyTest')).candidateGroups).toEqual(['org-ceping-saiyun']);
          await d.complete('Task_ThirdPartyTest', {
            softwareTestResult: 'pass',
            softwareTestReportNumber: 'SY-2027-01',
            softwareTestReportDocumentId: 'doc-test',
          });
        }
        if (supervision) {
          // IM-3: the confirmation is the engaged 监理 firm's task, not any supervisor's
          expect((await d.task('Task_SupervisorConfirmCompletion')).candidateGroups).toEqual([
            'org-jianli-nanfang',
          ]);
          await d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
        }
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
      await d.complete('Task_SectionReviewChangeFiling', SECTION_APPROVES);
      await d.complete('Task_RegisterChangeFiling', { changeFilingOpinion: '同意备案' });
      await d.advanceTo('2027-06-30T18:00:01+08:00');
      expect(notified(d)).toContain('delay-filing-demanded');
      await d.publish('project-delay-filed', 'YF-2026-0007', {
        delayReason: '国家标准更新',
        requestedDeliveryDate: '2027-09-30T18:00+08:00',
      });
      await d.complete('Task_SectionReviewDelayFiling', SECTION_APPROVES);
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

    // IM-8, SU-2, SU-4: the interval after which the Unit is asked again is its edition's (rules.delayRedemandInterval),
    // read by the timer's FEEL expression from the instance's variables when the token reaches it — Zeebe evaluates a
    // timer definition given as an expression (`=…`) against the process instance's variables:
    // https://docs.camunda.io/docs/components/concepts/expressions (timer definition of a timer catch event as an
    // expression) and https://docs.camunda.io/docs/next/components/modeler/bpmn/timer-events/ (a duration timer).
    it.each([
      ['an edition of P3D asks again 3 days later', 'P3D', 3],
      ['yunfu-v1 (P7D) asks again 7 days later', null, 7],
    ])('IM-8 %s', async (_, interval, days) => {
      const d = await open('2027-01-15T10:00:00+08:00');
      await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules: interval ? { ...rules, delayRedemandInterval: interval } : rules,
      });
      const demands = () => notified(d).filter((t) => t === 'delay-filing-demanded').length;
      await d.advanceTo('2027-06-30T18:00:01+08:00');
      expect(demands()).toBe(1);
      const at = (n: number) =>
        new Date(Date.parse('2027-06-30T18:00:01+08:00') + n * 86_400_000).toISOString();
      await d.advanceTo(at(days - 1));
      expect(demands()).toBe(1);
      await d.advanceTo(at(days));
      expect(demands()).toBe(2);
      await d.advanceTo(at(2 * days));
      expect(demands()).toBe(3);
    });

    it.each([
      ['yunfu-v1', '市政务服务数据管理局'],
      ['yunfu-2024', '市政务服务和数据管理局'],
    ])(
      'IM-5 a public project of %s names the Bureau as its edition does (rules.bureauName)',
      async (id, bureau) => {
        const d = await open('2027-01-15T10:00:00+08:00');
        const pik = await d.start('project-implementation', {
          ...implementationStart,
          category: 'public',
          ownerGroup: 'bureau-admin',
          totalInvestment: 100,
          softwareDevCost: 0,
          rules: regulation.rules.rulesVariable(regulation.rules.byId(id)),
        });
        expect((await d.variables(pik)).securityResponsible).toMatchObject({ managementParty: bureau });
      },
    );

    it('G-6 a filing still with the 责任科室 at its due date reminds the Unit once; the sign-off stays open', async () => {
      const d = await open('2027-01-15T10:00:00+08:00');
      await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules,
      });
      await d.publish('project-change-filed', 'YF-2026-0007', {
        changeDescription: '增加移动端',
        changeReason: '省政策调整',
      });
      const reminders = () => notified(d).filter((t) => t === 'section-filing-review-due');
      await d.advanceTo('2027-01-18T10:00:00+08:00'); // one working day later: not due yet
      expect(reminders()).toHaveLength(0);
      await d.advanceTo('2027-01-25T10:00:00+08:00'); // past 3 working days
      expect(reminders()).toHaveLength(1);
      await d.complete('Task_SectionReviewChangeFiling', SECTION_APPROVES);
      await d.complete('Task_RegisterChangeFiling', { changeFilingOpinion: '同意备案' });
      expect(
        d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
      ).toEqual(['change']);
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
      // G-6: the Unit's 责任科室 signs it off first; until then the implementation goes on
      expect((await d.openTasks(pik)).map((t) => t.elementId).sort()).toEqual([
        'Task_Implement',
        'Task_SectionReviewTerminationFiling',
      ]);
      await d.complete('Task_SectionReviewTerminationFiling', {
        sectionDecision: 'return',
        sectionOpinion: '终止理由须写明合同条款',
      });
      await d.complete('Task_ReviseTerminationFiling', { terminationReason: '目标无法实现（合同第九条）' });
      await d.complete('Task_SectionReviewTerminationFiling', SECTION_APPROVES);
      expect((await d.variables(pik)).terminationReason).toBe('目标无法实现（合同第九条）');
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
    it.each([
      ['a public project (the Bureau files)', { initiationRoute: 'public' }, {}],
      ['a termination started by operations cancel', {}, { terminationRequestedBy: 'operations' }],
    ])('G-6 %s skips the 责任科室: the filing reaches the Bureau at once', async (_, start, filed) => {
      const d = await open('2027-01-15T10:00:00+08:00');
      const pik = await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules,
        ...start,
      });
      await d.publish('project-termination-filed', 'YF-2026-0007', {
        terminationReason: '目标无法实现',
        ...filed,
      });
      expect((await d.openTasks(pik)).map((t) => t.elementId).sort()).toEqual([
        'Task_RegisterTerminationWithBureau',
        'Task_RegisterTerminationWithFinance',
      ]);
      expect(await d.passed(pik)).not.toContain('Task_SectionReviewTerminationFiling');
    });

    it('G-6 a public project’s change filing goes to the Bureau without a 责任科室 step', async () => {
      const d = await open('2027-01-15T10:00:00+08:00');
      const pik = await d.start('project-implementation', {
        ...implementationStart,
        totalInvestment: 100,
        softwareDevCost: 0,
        rules,
        initiationRoute: 'public',
      });
      await d.publish('project-change-filed', 'YF-2026-0007', {
        changeDescription: '增加接口',
        changeReason: '省政策调整',
      });
      expect((await d.openTasks(pik)).map((t) => t.elementId).sort()).toEqual([
        'Task_Implement',
        'Task_RegisterChangeFiling',
      ]);
    });
  });

  describe('project-acceptance (AC-1..AC-3)', () => {
    /** What the Bureau records when AC-2 holds: the catalogue entries and the IPv6 test report it checked. */
    const ac2Verified = {
      dataResources: [
        { resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0101' },
        { resourceName: '视频点位数据', catalogueNumber: 'YF-ML-2027-0102' },
      ],
      dataResourcesVerified: 'pass',
      ipv6TestReportDocumentId: 'doc-ipv6',
      ipv6TestReportNumber: 'IPV6-2027-01',
      ipv6Verified: 'pass',
    };
    const stageOf = async (d: { store: Store }) =>
      (await findProject(d.store.db, 'yunfu', 'YF-2026-0007'))?.stage;

    it('AC-2 verified by the Bureau (failing once), each assessment failing once, AC-1 failing once and rectified, then the report filed', async () => {
      const d = await open('2027-07-01T10:00:00+08:00');
      await seedProject(d.store, 'YF-2026-0007', { hasDataCatalogue: true, supportsIpv6: true });
      const pik = await d.start('project-acceptance', acceptanceStart);
      await d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
      // AC-2 is the Bureau's verification, not the application's tick boxes: IPv6 not proven → rectification
      const verify = await d.task('Task_VerifyAc2');
      expect(verify.candidateGroups).toEqual(['bureau-reviewer']);
      await d.complete('Task_VerifyAc2', {
        ...ac2Verified,
        ipv6Verified: 'fail',
        ac2VerificationReasons: '未提供IPv6支持测试报告',
      });
      expect((await d.task('Task_RectifyPrerequisites')).candidateGroups).toEqual(['unit-gongan']);
      expect((await d.openTasks(pik)).map((t) => t.elementId)).not.toContain('Task_AcceptanceTest');
      await d.complete('Task_RectifyPrerequisites', {
        prerequisitesRectificationNote: '已完成IPv6改造并测试',
      });
      await d.complete('Task_VerifyAc2', ac2Verified);
      const registered = await d.store.db
        .selectFrom('dataResources')
        .select(['projectId', 'catalogueRef'])
        .orderBy('catalogueRef')
        .execute();
      expect(registered).toEqual([
        { projectId: 'YF-2026-0007', catalogueRef: 'YF-ML-2027-0101' },
        { projectId: 'YF-2026-0007', catalogueRef: 'YF-ML-2027-0102' },
      ]);
      for (const [task, key, rectify] of [
        ['Task_AcceptanceTest', 'acceptanceTestResult', 'Task_RectifyAcceptanceTest'],
        ['Task_SecurityAssessment', 'securityAssessmentResult', 'Task_RectifySecurityAssessment'],
        ['Task_ExpertReview', 'acceptanceExpertReviewResult', 'Task_RectifyExpertReview'],
      ] as const) {
        // AC-3: each test is the engaged organisation's task, not the Unit's
        if (task !== 'Task_ExpertReview')
          expect((await d.task(task)).candidateGroups).toEqual([
            task === 'Task_AcceptanceTest' ? 'org-ceping-gdsoft' : 'org-ceping-saiyun',
          ]);
        await d.complete(task, { [key]: 'fail' });
        await d.complete(rectify, {});
        await d.complete(task, { [key]: 'pass' });
      }
      // AC-1: the acceptance fails; the Bureau orders rectification; the project is in 验收整改中 until it is done
      await d.complete('Task_OrganiseAcceptance', {
        acceptanceScope: 'whole-as-approved',
        acceptanceDecision: 'fail',
        acceptanceFailureReasons: '系统主要功能未实现',
      });
      expect((await d.task('Task_DecideFailedAcceptance')).candidateGroups).toEqual(['bureau-reviewer']);
      await d.complete('Task_DecideFailedAcceptance', { failedAcceptanceDecision: 'rectify' });
      expect((await d.task('Task_RectifyAcceptance')).candidateGroups).toEqual(['unit-gongan']);
      expect(await stageOf(d)).toBe('acceptance-rectification');
      await d.complete('Task_RectifyAcceptance', { acceptanceRectificationNote: '已补齐主要功能' });
      await d.task('Task_OrganiseAcceptance');
      expect(await stageOf(d)).toBe('acceptance');
      await d.complete('Task_OrganiseAcceptance', {
        acceptanceScope: 'whole-as-approved',
        acceptanceDecision: 'pass',
      });
      await d.complete('Task_RegisterAcceptanceReport', { acceptanceReportFilingOpinion: '已备案' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).accepted).toBe(true);
      expect(
        d.handled.filter((h) => h.type === 'yunfu.record-filing').map((h) => h.headers.filingKind),
      ).toEqual(['acceptance-report']);
      expect(await d.incidents()).toEqual([]);
    });

    it('AC-3 two assessments failing on different days: each rectification keeps its own deadline', async () => {
      const d = await open('2027-07-01T10:00:00+08:00');
      await seedProject(d.store, 'YF-2026-0008', { hasDataCatalogue: true, supportsIpv6: true });
      const pik = await d.start('project-acceptance', { ...acceptanceStart, projectId: 'YF-2026-0008' });
      await d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
      await d.complete('Task_VerifyAc2', ac2Verified);
      await d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'fail' });
      await d.advanceTo('2027-07-12T10:00:00+08:00');
      await d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'fail' });
      const first = await d.task('Task_RectifyAcceptanceTest');
      const second = await d.task('Task_RectifySecurityAssessment');
      expect(first.dueDate).not.toBe(second.dueDate);
      // each rectification form shows its own branch's deadline (the forms read these variables)
      const v = await d.variables(pik);
      expect(Date.parse(String(v.acceptanceTestRectificationDue))).toBe(Date.parse(first.dueDate!));
      expect(Date.parse(String(v.securityAssessmentRectificationDue))).toBe(Date.parse(second.dueDate!));
    });

    it('AC-1 a public project has no pre-review and no report filing; a failed acceptance the Bureau closes ends not accepted', async () => {
      const d = await open('2027-07-01T10:00:00+08:00');
      const pik = await d.start('project-acceptance', {
        ...acceptanceStart,
        category: 'public',
        ownerGroup: 'bureau-admin',
      });
      // passed without a single catalogue entry: not verified, back for rectification (by the owner, here the Bureau).
      // The gateway reads a missing `dataResources` as null, as Camunda 8.8's FEEL does for a variable that does not
      // exist (https://docs.camunda.io/docs/components/modeler/feel/language-guide/feel-error-handling).
      const { dataResources: _, ...noEntries } = ac2Verified;
      await d.complete('Task_VerifyAc2', noEntries);
      expect((await d.task('Task_RectifyPrerequisites')).candidateGroups).toEqual(['bureau-admin']);
      await d.complete('Task_RectifyPrerequisites', { prerequisitesRectificationNote: '已登记数据资源' });
      await d.complete('Task_VerifyAc2', ac2Verified);
      await d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
      await d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
      await d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' });
      await d.complete('Task_OrganiseAcceptance', {
        acceptanceScope: 'whole-as-approved',
        acceptanceDecision: 'fail',
        acceptanceFailureReasons: '系统主要功能未实现',
      });
      await d.complete('Task_DecideFailedAcceptance', { failedAcceptanceDecision: 'not-accepted' });
      expect(await d.state(pik)).toBe('COMPLETED');
      expect((await d.variables(pik)).accepted).toBe(false);
      expect(await d.passed(pik)).toContain('Event_NotAccepted');
      expect(await d.passed(pik)).not.toContain('Task_PreAcceptanceReview');
      expect(await d.passed(pik)).not.toContain('Task_RegisterAcceptanceReport');
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
      // G-6: the Unit's 责任科室 signs off before the application goes to the Bureau.
      await d.complete('Task_SectionReview', { sectionDecision: 'approve', sectionOpinion: '同意报送' });
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
      await d.complete('Task_EngageSupervisor', { supervisorOrgId: 'jianli-yuehua' });
      await d.complete('Task_Implement', {
        implementationAction: 'completed',
        completionSummary: '完成',
        softwareTestOrgId: 'ceping-gdsoft',
        acceptanceTestOrgId: 'ceping-gdsoft',
        securityAssessmentOrgId: 'ceping-gdsoft',
      });
      await d.complete('Task_ThirdPartyTest', { softwareTestResult: 'pass' });
      await d.complete('Task_SupervisorConfirmCompletion', { supervisorConfirmation: 'confirmed' });
      await d.complete('Task_PreAcceptanceReview', { preAcceptanceReviewDecision: 'pass' });
      await d.complete('Task_VerifyAc2', {
        dataResources: [{ resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0101' }],
        dataResourcesVerified: 'pass',
        ipv6TestReportDocumentId: 'doc-ipv6',
        ipv6TestReportNumber: 'IPV6-2027-01',
        ipv6Verified: 'pass',
      });
      await d.complete('Task_AcceptanceTest', { acceptanceTestResult: 'pass' });
      await d.complete('Task_SecurityAssessment', { securityAssessmentResult: 'pass' });
      await d.complete('Task_ExpertReview', { acceptanceExpertReviewResult: 'pass' }, 'project-acceptance');
      await d.complete('Task_OrganiseAcceptance', {
        acceptanceScope: 'whole-as-approved',
        acceptanceDecision: 'pass',
      });
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

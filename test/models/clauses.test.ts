// Each clause that a model implements, proved by the model's shape: what must come before what, who is asked,
// which condition guards which path. Driving the same paths on the engine is test/processes/.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ModdleElement } from '../../src/modeling/moddle.ts';
import { loadProcess, type ModelGraph } from '../support/model-graph.ts';

const ids = (els: ModdleElement[]) => els.map((e) => e.id);
const isUserTask = (e: ModdleElement) => e.$type === 'bpmn:UserTask';
const groupsOf = (g: ModelGraph, id: string) =>
  g.extension(id, 'zeebe:AssignmentDefinition')?.candidateGroups;
const startOf = (g: ModelGraph) =>
  g.process.flowElements.find((e: ModdleElement) => e.$type === 'bpmn:StartEvent').id;

/** `from` and the elements reachable from it without passing `gate`. */
function beforeGate(g: ModelGraph, gate: string, from = startOf(g)) {
  return [from, ...ids(g.reachable(from, (e) => e.id === gate))];
}

function flowWhere(g: ModelGraph, gateway: string, condition: RegExp) {
  const flow = g.outgoing(gateway).find((o) => o.condition && condition.test(o.condition));
  if (!flow) throw new Error(`${gateway} has no flow with a condition matching ${condition}`);
  return flow;
}

describe('G-9 and PRO-1: the automatic check comes before any person sees the application', () => {
  it('professional initiation: no user task is reachable from submission without passing the check', async () => {
    const g = await loadProcess('professional-project-initiation');
    expect(g.jobType('Task_CheckApplication')).toBe('yunfu.check-application');
    const early = g.reachable(startOf(g), (e) => e.id === 'Task_CheckApplication');
    expect(early.filter(isUserTask)).toEqual([]);
  });

  it('a refused (涉密 or out-of-scope) application ends without any user task', async () => {
    const g = await loadProcess('professional-project-initiation');
    const refused = flowWhere(g, 'Gateway_ApplicationCheck', /refusalReason/);
    const path = [refused.target, ...g.reachable(refused.target.id)];
    expect(path.filter(isUserTask)).toEqual([]);
    expect(ids(path)).toContain('Event_ApplicationRefused');
  });

  it('an incomplete application goes back to the Unit for correction, then through the check again', async () => {
    const g = await loadProcess('professional-project-initiation');
    const incomplete = flowWhere(g, 'Gateway_ApplicationCheck', /applicationComplete\s*=\s*false/);
    const after = ids(g.reachable(incomplete.target.id, (e) => e.id === 'Task_CheckApplication'));
    expect(after).toContain('Task_CorrectApplication');
    expect(after).toContain('Task_CheckApplication');
    expect(groupsOf(g, 'Task_CorrectApplication')).toBe('=["unit-" + unitId]');
  });

  it('out-of-plan initiation checks scope before the Bureau or the City Government sees it', async () => {
    const g = await loadProcess('out-of-plan-initiation');
    expect(g.reachable(startOf(g), (e) => e.id === 'Task_CheckApplication').filter(isUserTask)).toEqual([]);
  });
});

describe('PRO-2 初核 passes, rejects or returns; then cost review and expert review', () => {
  it('初核 belongs to the Bureau reviewers and has three explicit outcomes', async () => {
    const g = await loadProcess('professional-project-initiation');
    expect(groupsOf(g, 'Task_InitialCheck')).toBe('bureau-reviewer');
    const conditions = g.outgoing('Gateway_InitialCheckDecision').map((o) => o.condition ?? '');
    expect(conditions).toHaveLength(3);
    for (const value of ['pass', 'reject', 'return']) expect(conditions.join(' ')).toContain(`"${value}"`);
    expect(g.outgoing('Gateway_InitialCheckDecision').some((o) => o.isDefault)).toBe(false);
  });

  it('reject ends the application; return sends it back to the Unit', async () => {
    const g = await loadProcess('professional-project-initiation');
    const reject = flowWhere(g, 'Gateway_InitialCheckDecision', /"reject"/);
    expect(ids(g.reachable(reject.target.id))).toContain('Event_InitialCheckRejected');
    const ret = flowWhere(g, 'Gateway_InitialCheckDecision', /"return"/);
    expect(beforeGate(g, 'Task_InitialCheck', ret.target.id)).toContain('Task_CorrectApplication');
  });

  it('the reviews are not reachable without passing 初核', async () => {
    const g = await loadProcess('professional-project-initiation');
    const before = beforeGate(g, 'Task_InitialCheck');
    expect(before).not.toContain('Task_CostReview');
    expect(before).not.toContain('Task_ExpertReview');
  });
});

describe.each([
  ['PUB-2', 'public-project-initiation', 'bureau-admin'],
  ['PRO-2', 'professional-project-initiation', '=["unit-" + unitId]'],
])(
  '%s cost review and expert review in parallel, each able to send the plan back',
  (_, processId, reviser) => {
    it('a parallel split leads to both reviews, by the cost reviewers and the experts', async () => {
      const g = await loadProcess(processId);
      expect(g.element('Gateway_ReviewsFork').$type).toBe('bpmn:ParallelGateway');
      const branches = g
        .outgoing('Gateway_ReviewsFork')
        .map((o) => ids([o.target, ...g.reachable(o.target.id, (e) => e.id === 'Gateway_ReviewsJoin')]));
      expect(branches).toHaveLength(2);
      expect(branches.some((b) => b.includes('Task_CostReview') && !b.includes('Task_ExpertReview'))).toBe(
        true,
      );
      expect(branches.some((b) => b.includes('Task_ExpertReview') && !b.includes('Task_CostReview'))).toBe(
        true,
      );
      expect(groupsOf(g, 'Task_CostReview')).toBe('cost-reviewer');
      expect(groupsOf(g, 'Task_ExpertReview')).toBe('expert');
    });

    it.each([
      ['Gateway_CostReviewPassed', 'Task_ReviseForCostReview', 'Task_CostReview'],
      ['Gateway_ExpertReviewPassed', 'Task_ReviseForExpertReview', 'Task_ExpertReview'],
    ])(
      'a failed review (%s) goes to revision and back to the same review',
      async (gateway, revise, review) => {
        const g = await loadProcess(processId);
        const failed = flowWhere(g, gateway, /=\s*false/);
        const loop = beforeGate(g, review, failed.target.id);
        expect(loop).toContain(revise);
        expect(loop).toContain(review);
        expect(loop).not.toContain('Gateway_ReviewsJoin');
        expect(groupsOf(g, revise)).toBe(reviser);
      },
    );
  },
);

describe('PUB-1 需求汇总: the Bureau collects public-category needs from the Units', () => {
  it('one needs task per Unit (multi-instance over units), then the Bureau consolidates', async () => {
    const g = await loadProcess('public-needs-collection');
    const mi = g.element('Task_StateUnitNeeds').loopCharacteristics;
    expect(mi?.$type).toBe('bpmn:MultiInstanceLoopCharacteristics');
    expect(mi.extensionElements.values[0].inputCollection).toBe('=units');
    expect(groupsOf(g, 'Task_StateUnitNeeds')).toBe('=["unit-" + unit.unitId]');
    expect(groupsOf(g, 'Task_ConsolidatePlan')).toBe('bureau-admin');
    expect(ids(g.reachable('Task_StateUnitNeeds'))).toContain('Task_ConsolidatePlan');
    // the consolidation forms public projects one by one, each started as its own lifecycle, until the Bureau ends it
    expect(ids(g.reachable('Task_ConsolidatePlan'))).toEqual(
      expect.arrayContaining(['Task_StartPublicProject', 'Event_NeedsCollectionFinished']),
    );
  });

  it('the deadline interrupts the Units’ tasks; the consolidation follows either way', async () => {
    const g = await loadProcess('public-needs-collection');
    const closed = g.element('Event_NeedsCollectionClosed');
    expect(closed.attachedToRef.id).toBe('Task_StateUnitNeeds');
    expect(closed.cancelActivity).not.toBe(false);
    expect(ids(g.reachable('Event_NeedsCollectionClosed'))).toContain('Task_ConsolidatePlan');
  });

  it('a public project initiated in plan starts after the consolidation, at the classification', async () => {
    const g = await loadProcess('public-project-initiation');
    expect(() => g.element('Task_StateUnitNeeds')).toThrow(/no element/);
    expect(g.element('Gateway_OutOfPlan').default.targetRef.id).toBe('Gateway_PlanReady');
  });
});

describe.each([
  ['PUB-3 / PUB-4', 'public-project-initiation'],
  ['PRO-3 / PRO-4', 'professional-project-initiation'],
])('%s Finance reviews the funds, then the City Government decides', (_, processId) => {
  it('Finance and the City Government each decide, and a refusal ends the initiation', async () => {
    const g = await loadProcess(processId);
    expect(groupsOf(g, 'Task_FinanceReview')).toBe('finance');
    expect(groupsOf(g, 'Task_CityGovernmentDecision')).toBe('city-government');
    expect(beforeGate(g, 'Task_FinanceReview')).not.toContain('Task_CityGovernmentDecision');
    const refused = flowWhere(g, 'Gateway_FinanceApproved', /=\s*false/);
    expect(ids(g.reachable(refused.target.id))).toContain('Event_FinanceRefused');
    expect(ids(g.reachable(refused.target.id))).not.toContain('Task_CityGovernmentDecision');
  });
});

describe('PRO-3 the Bureau issues the numbered 立项审批意见 after Finance approves; PRO-4 the Unit applies to the City Government', () => {
  it('the opinion is issued only on Finance approval, before the Unit applies for funds', async () => {
    const g = await loadProcess('professional-project-initiation');
    expect(g.jobType('Task_IssueApprovalOpinion')).toBe('yunfu.issue-approval-opinion');
    expect(beforeGate(g, 'Task_FinanceReview')).not.toContain('Task_IssueApprovalOpinion');
    const approved = flowWhere(g, 'Gateway_FinanceApproved', /=\s*true/);
    const after = beforeGate(g, 'Task_CityGovernmentDecision', approved.target.id);
    expect(after).toContain('Task_IssueApprovalOpinion');
    expect(after).toContain('Task_SubmitFundingApplication');
    // the opinion is a decision of a person of the Bureau, combining Finance's, before the document is issued
    expect(after).toContain('Task_BureauApprovalOpinion');
    expect(groupsOf(g, 'Task_BureauApprovalOpinion')).toBe('bureau-admin');
    expect(beforeGate(g, 'Task_IssueApprovalOpinion', approved.target.id)).toContain(
      'Task_BureauApprovalOpinion',
    );
    expect(groupsOf(g, 'Task_SubmitFundingApplication')).toBe('=["unit-" + unitId]');
  });
});

describe('EMG-1 out-of-plan initiation needs the City Government consent first', () => {
  it('neither initiation flow is reachable without passing the consent', async () => {
    const g = await loadProcess('out-of-plan-initiation');
    const before = beforeGate(g, 'Task_CityGovernmentConsent');
    expect(before).not.toContain('Call_ProfessionalInitiation');
    expect(before).not.toContain('Call_PublicInitiation');
    expect(groupsOf(g, 'Task_CityGovernmentConsent')).toBe('city-government');
    const refused = flowWhere(g, 'Gateway_CityGovernmentConsented', /=\s*false/);
    expect(ids(g.reachable(refused.target.id))).toContain('Event_ConsentRefused');
  });
});

describe('P-1 the yearly annual plan campaign', () => {
  it('opens by a yearly timer, asks every Unit, reminds before and escalates after 30 November, and records each filing', async () => {
    const g = await loadProcess('annual-plan-filing');
    expect(g.element('Event_CampaignYearly').eventDefinitions[0].timeCycle.body).toMatch(/\S/);
    const mi = g.element('SubProcess_UnitFiling').loopCharacteristics;
    expect(mi.isSequential).toBe(false);
    expect(mi.extensionElements.values[0].inputCollection).toBe('=units');
    const reminder = g.element('Event_FilingReminderDue');
    const overdue = g.element('Event_FilingOverdue');
    for (const b of [reminder, overdue]) {
      expect(b.attachedToRef.id).toBe('SubProcess_PlanSignOff');
      expect(b.cancelActivity).toBe(false);
    }
    expect(reminder.eventDefinitions[0].timeDate.body).toBe('=annualPlanReminderDue');
    expect(overdue.eventDefinitions[0].timeDate.body).toBe('=filingDeadline');
    expect(ids(g.reachable('Event_FilingOverdue'))).toContain('Task_FollowUpOverdueFiling');
    expect(groupsOf(g, 'Task_FollowUpOverdueFiling')).toBe('bureau-admin');
    expect(g.header('Task_RecordAnnualPlanFiling', 'filingKind')).toBe('annual-plan');
  });

  it('SU-2, SU-3: a daily timer runs only the opening check, which starts each tenant’s campaign on its edition’s day', async () => {
    const g = await loadProcess('annual-plan-filing');
    // 09:00 Shanghai every day (01:00 UTC): the opening day is the edition's campaignOpens, not the model's
    expect(g.element('Event_CampaignYearly').eventDefinitions[0].timeCycle.body).toBe('0 0 1 * * *');
    expect(ids(g.reachable('Event_CampaignYearly'))).toEqual(
      expect.arrayContaining(['Task_OpenDueCampaigns', 'Event_OpeningChecked']),
    );
    expect(ids(g.reachable('Event_CampaignYearly'))).not.toContain('Task_ListUnits');
    expect(g.extension('Task_OpenDueCampaigns', 'zeebe:TaskDefinition').type).toBe(
      'yunfu.open-annual-plan-campaigns',
    );
    expect(ids(g.reachable('Event_CampaignManual'))).toContain('Task_ListUnits');
  });

  it('G-6: the plan goes out only after the Unit’s 责任科室 approved it; a returned plan goes back to the staff', async () => {
    const g = await loadProcess('annual-plan-filing');
    expect(groupsOf(g, 'Task_FileAnnualPlan')).toBe('=["unit-" + unit.unitId]');
    expect(groupsOf(g, 'Task_SectionReviewAnnualPlan')).toBe('=["unit-section-" + unit.unitId]');
    expect(groupsOf(g, 'Task_ReviseAnnualPlan')).toBe('=["unit-" + unit.unitId]');
    expect(g.extension('Task_SectionReviewAnnualPlan', 'zeebe:FormDefinition').formId).toBe(
      'unit-section-annual-plan-review',
    );
    const approved = flowWhere(g, 'Gateway_PlanSectionDecision', /"approve"/);
    expect(approved.target.id).toBe('Event_PlanSignedOff');
    const returned = flowWhere(g, 'Gateway_PlanSectionDecision', /"return"/);
    expect(returned.target.id).toBe('Task_ReviseAnnualPlan');
    expect(ids(g.reachable('Task_ReviseAnnualPlan'))).toContain('Task_SectionReviewAnnualPlan');
    // The filing is recorded only once the sign-off sub-process ends (its only end is the approval).
    expect(g.element('Flow_ToRecordFiling').sourceRef.id).toBe('SubProcess_PlanSignOff');
  });

  it('G-6: a filing’s sign-off still open at its due date reminds the Unit, without taking it from the section', async () => {
    const g = await loadProcess('project-implementation');
    for (const kind of ['Change', 'Delay', 'Termination']) {
      const due = g.element(`Event_SectionReview${kind}FilingDue`);
      expect(due.attachedToRef.id).toBe(`Task_SectionReview${kind}Filing`);
      expect(due.cancelActivity).toBe(false);
      expect(due.eventDefinitions[0].timeDate.body).toBe('=sectionFilingReviewDue');
      expect(g.header(`Task_RemindSection${kind}Filing`, 'template')).toBe('section-filing-review-due');
      expect(g.header(`Task_RemindSection${kind}Filing`, 'recipients')).toBe('unit');
    }
  });

  it('the 初核 form shows whether the Unit filed its plan', async () => {
    const g = await loadProcess('professional-project-initiation');
    expect(g.extension('Task_InitialCheck', 'zeebe:FormDefinition').formId).toBe('initial-check');
  });
});

describe('PC-1 / PC-2 and IM-1: the category owner procures, manages and accepts', () => {
  it.each([
    ['project-procurement', 'Task_ConductProcurement'],
    ['project-implementation', 'Task_Implement'],
    ['project-acceptance', 'Task_OrganiseAcceptance'],
  ])('%s: %s is assigned to ownerGroup', async (processId, task) => {
    const g = await loadProcess(processId);
    expect(groupsOf(g, task)).toBe('=[ownerGroup]');
  });

  it('IM-2: the procurement records the contract with its dates and parties', async () => {
    const g = await loadProcess('project-procurement');
    expect(g.extension('Task_ConductProcurement', 'zeebe:FormDefinition').formId).toBe('procurement-record');
    expect(g.element('Task_RecordContractSigner').$type).toBe('bpmn:ScriptTask');
  });
});

describe('IM-3 / IM-4 / IM-5 implementation requirements', () => {
  it('the decision table decides; 监理 and third-party testing happen only where required', async () => {
    const g = await loadProcess('project-implementation');
    expect(g.extension('Task_DetermineRequirements', 'zeebe:CalledDecision').decisionId).toBe(
      'implementation-requirements',
    );
    const supervision = flowWhere(g, 'Gateway_SupervisionRequired', /requiresSupervision\s*=\s*true/);
    expect(supervision.target.id).toBe('Task_EngageSupervisor');
    const noSupervision = flowWhere(g, 'Gateway_SupervisionRequired', /requiresSupervision\s*=\s*false/);
    expect(noSupervision.target.id).not.toBe('Task_EngageSupervisor');
    const testing = flowWhere(g, 'Gateway_TestingRequired', /requiresThirdPartyTesting\s*=\s*true/);
    expect(beforeGate(g, 'Task_ThirdPartyTest', testing.target.id)).toContain('Task_ThirdPartyTest');
    const noTesting = flowWhere(g, 'Gateway_TestingRequired', /requiresThirdPartyTesting\s*=\s*false/);
    expect(beforeGate(g, 'Gateway_TestingRequired', noTesting.target.id)).not.toContain(
      'Task_ThirdPartyTest',
    );
  });

  it('IM-5 records who carries security responsibility', async () => {
    const g = await loadProcess('project-implementation');
    expect(g.extension('Task_RecordSecurityResponsibility', 'zeebe:Script').resultVariable).toBe(
      'securityResponsible',
    );
  });
});

describe('IM-8 / IM-9 filings during implementation', () => {
  it('change, delay and termination filings start non-interrupting event sub-processes by message; termination interrupts after sign-off', async () => {
    const g = await loadProcess('project-implementation');
    const starts: Record<string, ModdleElement> = {
      change: g.element('Event_ChangeFiled'),
      delay: g.element('Event_DelayFiled'),
      termination: g.element('Event_TerminationRequested'),
    };
    for (const s of Object.values(starts)) expect(s.isInterrupting).toBe(false);
    expect(starts.change.eventDefinitions[0].messageRef.name).toBe('project-change-filed');
    expect(starts.delay.eventDefinitions[0].messageRef.name).toBe('project-delay-filed');
    expect(starts.termination.eventDefinitions[0].messageRef.name).toBe('project-termination-filed');
    for (const s of Object.values(starts)) expect(s.$parent.triggeredByEvent).toBe(true);
    // G-6: the termination interrupts only once the 责任科室 signed it off, by the escalation termination-filed
    const signedOff = g.element('Event_TerminationSignedOff');
    expect(signedOff.eventDefinitions[0].escalationRef.escalationCode).toBe('termination-filed');
    const terminated = g.element('Event_TerminationFiled');
    expect(terminated.isInterrupting).not.toBe(false);
    expect(terminated.$parent.triggeredByEvent).toBe(true);
    expect(terminated.eventDefinitions[0].escalationRef.escalationCode).toBe('termination-filed');
  });

  it('G-6 the Unit’s 责任科室 signs off change, delay and termination filings; send-back goes to the staff', async () => {
    const g = await loadProcess('project-implementation');
    for (const kind of ['Change', 'Delay', 'Termination']) {
      expect(groupsOf(g, `Task_SectionReview${kind}Filing`)).toBe('=["unit-section-" + unitId]');
      expect(groupsOf(g, `Task_Revise${kind}Filing`)).toBe('=["unit-" + unitId]');
      const returned = flowWhere(g, `Gateway_${kind}FilingSectionDecision`, /sectionDecision\s*=\s*"return"/);
      expect(returned.target.id).toBe(`Task_Revise${kind}Filing`);
    }
  });

  it('a passed delivery date demands a delay filing, unless a delay filing already moved the date', async () => {
    const g = await loadProcess('project-implementation');
    expect(g.jobType('Task_DemandDelayFiling')).toBe('yunfu.send-notification');
    const moved = flowWhere(g, 'Gateway_DeliveryDateMoved', /deliveryDate\s*!=\s*watchedDeliveryDate/);
    expect(moved.target.id).not.toBe('Task_DemandDelayFiling');
    const timers = g
      .elements('bpmn:IntermediateCatchEvent')
      .filter((e) => e.eventDefinitions?.[0]?.timeDate?.body === '=watchedDeliveryDate');
    expect(timers).toHaveLength(1);
  });

  it('IM-9 termination is filed with both the Bureau and Finance', async () => {
    const g = await loadProcess('project-implementation');
    expect(groupsOf(g, 'Task_RegisterTerminationWithBureau')).toBe('bureau-reviewer');
    const filings = g
      .elements()
      .filter(
        (e) => g.jobType(e.id) === 'yunfu.record-filing' && g.header(e.id, 'filingKind') === 'termination',
      )
      .map((e) => g.header(e.id, 'filedWith'))
      .sort();
    expect(filings).toEqual(['bureau', 'finance']);
  });
});

describe('AC-1 / AC-2 / AC-3 acceptance', () => {
  it('AC-1 pre-review only for professional projects', async () => {
    const g = await loadProcess('project-acceptance');
    expect(groupsOf(g, 'Task_PreAcceptanceReview')).toBe('bureau-reviewer');
    const pub = flowWhere(g, 'Gateway_Category', /"public"/);
    expect(ids([pub.target, ...g.reachable(pub.target.id)])).not.toContain('Task_PreAcceptanceReview');
    const pro = flowWhere(g, 'Gateway_Category', /"professional"/);
    expect(ids([pro.target, ...g.reachable(pro.target.id)])).toContain('Task_PreAcceptanceReview');
  });

  it('AC-2 no assessment before the Bureau verified the catalogue entries and the IPv6 report; no automatic gate', async () => {
    const g = await loadProcess('project-acceptance');
    expect(groupsOf(g, 'Task_VerifyAc2')).toBe('bureau-reviewer');
    expect(g.extension('Task_VerifyAc2', 'zeebe:FormDefinition').formId).toBe('acceptance-ac2-verification');
    // both categories pass through the verification before the assessments
    for (const category of [/"public"/, /"professional"/]) {
      const flow = flowWhere(g, 'Gateway_Category', category);
      expect(beforeGate(g, 'Gateway_AssessmentsFork', flow.target.id)).toContain('Task_VerifyAc2');
    }
    expect(beforeGate(g, 'Task_VerifyAc2')).not.toContain('Gateway_AssessmentsFork');
    // the verified entries are registered only after the verification passed
    const met = flowWhere(
      g,
      'Gateway_PrerequisitesMet',
      /dataResourcesVerified = "pass" and ipv6Verified = "pass"/,
    );
    expect(met.target.id).toBe('Task_RegisterDataResources');
    const notMet = flowWhere(g, 'Gateway_PrerequisitesMet', /^=not\(/);
    expect(beforeGate(g, 'Task_VerifyAc2', notMet.target.id)).toContain('Task_RectifyPrerequisites');
    // nothing reads the application's tick boxes any more
    const xml = await readFile(new URL('../../processes/project-acceptance.bpmn', import.meta.url), 'utf8');
    expect(xml).not.toMatch(/hasDataCatalogue|supportsIpv6|check-acceptance-prerequisites/);
  });

  it('AC-1 a failed acceptance goes to the Bureau: rectification and a new acceptance, or the not-accepted end', async () => {
    const g = await loadProcess('project-acceptance');
    const failed = flowWhere(g, 'Gateway_AcceptanceDecision', /acceptanceDecision = "fail"/);
    expect(failed.target.id).toBe('Task_DecideFailedAcceptance');
    expect(groupsOf(g, 'Task_DecideFailedAcceptance')).toBe('bureau-reviewer');
    const rectify = flowWhere(g, 'Gateway_FailedAcceptanceDecision', /"rectify"/);
    const loop = beforeGate(g, 'Task_OrganiseAcceptance', rectify.target.id);
    expect(loop).toContain('Task_RectifyAcceptance');
    expect(groupsOf(g, 'Task_RectifyAcceptance')).toBe('=[ownerGroup]');
    const final = flowWhere(g, 'Gateway_FailedAcceptanceDecision', /"not-accepted"/);
    expect(ids(g.reachable(final.target.id))).toContain('Event_NotAccepted');
    expect(ids(g.reachable(final.target.id))).not.toContain('Task_RecordAccepted');
  });

  it('AC-3 the three assessments run in parallel, each with its own rectification loop', async () => {
    const g = await loadProcess('project-acceptance');
    expect(g.element('Gateway_AssessmentsFork').$type).toBe('bpmn:ParallelGateway');
    expect(g.outgoing('Gateway_AssessmentsFork')).toHaveLength(3);
    for (const [gateway, rectify, assessment] of [
      ['Gateway_AcceptanceTestPassed', 'Task_RectifyAcceptanceTest', 'Task_AcceptanceTest'],
      ['Gateway_SecurityAssessmentPassed', 'Task_RectifySecurityAssessment', 'Task_SecurityAssessment'],
      ['Gateway_ExpertReviewPassed', 'Task_RectifyExpertReview', 'Task_ExpertReview'],
    ] as const) {
      const failed = flowWhere(g, gateway, /=\s*false|"fail"/);
      const loop = beforeGate(g, assessment, failed.target.id);
      expect(loop, gateway).toContain(rectify);
      expect(loop, gateway).toContain(assessment);
    }
  });

  it('AC-1 the acceptance report is filed with the Bureau', async () => {
    const g = await loadProcess('project-acceptance');
    expect(g.header('Task_RecordAcceptanceReportFiling', 'filingKind')).toBe('acceptance-report');
  });
});

describe('SV-1 / SV-2 evaluation and SV-3 audit', () => {
  it('SV-1 and SV-2: the Bureau and Finance evaluate in parallel, and the record is written', async () => {
    const g = await loadProcess('project-evaluation');
    expect(groupsOf(g, 'Task_BureauEvaluation')).toBe('bureau-reviewer');
    expect(groupsOf(g, 'Task_FinanceEvaluation')).toBe('finance');
    expect(g.element('Gateway_EvaluationSplit').$type).toBe('bpmn:ParallelGateway');
    expect(g.jobType('Task_RecordEvaluation')).toBe('yunfu.record-evaluation');
  });

  it('SV-3: the Unit provides materials by a due date, overdue is escalated, then the package is assembled', async () => {
    const g = await loadProcess('audit-request');
    expect(g.extension('Task_ProvideAuditMaterials', 'zeebe:TaskSchedule').dueDate).toBe(
      '=auditMaterialsDue',
    );
    const overdue = g.element('Event_AuditMaterialsOverdue');
    expect(overdue.attachedToRef.id).toBe('Task_ProvideAuditMaterials');
    expect(overdue.cancelActivity).toBe(false);
    expect(g.jobType('Task_AssembleAuditPackage')).toBe('yunfu.assemble-audit-package');
    expect(groupsOf(g, 'Task_ReviewAuditMaterials')).toBe('audit');
  });
});

describe('IM-6 infrastructure requests and IM-7 coordination go to the Bureau', () => {
  it.each([
    ['infrastructure-service-request', 'Task_ReviewInfrastructureRequest', 'infrastructure-allocation'],
    ['coordination-request', 'Task_AssessCoordination', 'coordination'],
  ])('%s: the Bureau decides and the result is filed', async (processId, task, filingKind) => {
    const g = await loadProcess(processId);
    expect(groupsOf(g, task)).toBe('bureau-admin');
    const filing = g.elements().find((e) => g.jobType(e.id) === 'yunfu.record-filing');
    expect(g.header(filing.id, 'filingKind')).toBe(filingKind);
  });
});

describe('G-2 one lifecycle for every project', () => {
  it('initiation, procurement, implementation, acceptance and evaluation follow each other', async () => {
    const g = await loadProcess('project-lifecycle');
    const order = ['Call_Procurement', 'Call_Implementation', 'Call_Acceptance', 'Call_Evaluation'];
    for (let i = 1; i < order.length; i++) {
      expect(beforeGate(g, order[i]!)).toContain(order[i - 1]);
      expect(beforeGate(g, order[i - 1]!)).not.toContain(order[i]);
    }
    const called = g
      .elements('bpmn:CallActivity')
      .map((c) => g.extension(c.id, 'zeebe:CalledElement').processId);
    expect(called.sort()).toEqual(
      [
        'out-of-plan-initiation',
        'professional-project-initiation',
        'project-acceptance',
        'project-evaluation',
        'project-implementation',
        'project-procurement',
        'public-project-initiation',
      ].sort(),
    );
  });
});

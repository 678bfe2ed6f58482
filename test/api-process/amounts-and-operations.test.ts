// IM-3, IM-4, SV-2: the amounts come from the service lines, everywhere. A Unit revises its lines after a failed
// 造价审核 to exactly 999,999 / 499,999 — no 监理, no third-party testing — and then to exactly 1,000,000 /
// 500,000 — both required; after each loop the process, the 项目库 and (once initiation ends) the lifecycle and
// implementation agree, and a typed total the form does not have is refused. The figures each stage produced are
// in the amounts' history Finance reads. IM-9, SV-4: operations cannot edit a decision or an amount, and cancelling
// the lifecycle needs a reason and becomes the termination filing that the Bureau and Finance register.
// Every step is a role account through /api with what the task's form sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Item = Record<string, unknown>;

/** What form-js sends for the revise-plan form's lines: every field of a repetition, hidden ones left out. */
const lines = (software: number, supervision: number) => [
  {
    serviceType: 'software-development',
    subType: 'professional-software',
    amount: software,
    description: '',
  },
  {
    serviceType: 'third-party',
    subType: 'supervision',
    relatedTo: 'professional-software',
    amount: supervision,
    description: '',
  },
];

describe('amounts from the lines through every loop; operations cannot rewrite decisions (IM-3, IM-4, SV-2, IM-9, SV-4)', () => {
  let s: Stack;
  const t: Record<string, string> = {};
  let projectId: string;
  let lifecycleKey: string;

  const inbox = async (who: string) =>
    (await s.api(t[who]!, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Item[];
  const waitTask = async (who: string, elementId: string, after = new Set<string>()) => {
    const fits = (i: Item) => i.elementId === elementId && !after.has(String(i.userTaskKey));
    const items = await until(
      () => inbox(who),
      (x) => x.some(fits),
    );
    const task = items.find(fits);
    if (!task)
      throw new Error(`${elementId} not in ${who}'s inbox: ${items.map((i) => i.elementId).join(', ')}`);
    return String(task.userTaskKey);
  };
  const complete = async (who: string, elementId: string, variables: Item, after?: Set<string>) => {
    const key = await waitTask(who, elementId, after);
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables });
    expect(res.statusCode, `${elementId}: ${res.body}`).toBe(200);
    return key;
  };
  /** The root-scope variables of an instance, read behind the API's back. */
  const rootVariables = async (key: string) => {
    const vars = await s.client.searchVariables(
      { filter: { processInstanceKey: key, scopeKey: key }, truncateValues: false } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    return Object.fromEntries(vars.items.map((x) => [x.name, JSON.parse(x.value)])) as Item;
  };
  const instanceOf = async (who: string, userTaskKey: string) =>
    String((await s.api(t[who]!, 'GET', `/api/tasks/${userTaskKey}`)).json().task.processInstanceKey);
  const projectRow = async () => (await s.api(t.finance!, 'GET', `/api/projects/${projectId}`)).json();

  /** 造价审核 fails; the Unit revises its lines; the plan is back at 造价审核. Returns the new review's key. */
  const reviseTo = async (software: number, supervision: number, failed: Set<string>) => {
    const review = await complete(
      'cost.reviewer',
      'Task_CostReview',
      {
        costReviewPassed: false,
        reviewedAmount: software + supervision,
        costReviewReport: '请按审核意见调整',
      },
      failed,
    );
    failed.add(review);
    const revision = await waitTask('gongan.staff', 'Task_ReviseForCostReview', failed);
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${revision}/complete`, {
      variables: {
        planSummary: '按造价审核意见调整',
        serviceLines: lines(software, supervision),
        revisionNote: '调整',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    failed.add(revision);
    return waitTask('cost.reviewer', 'Task_CostReview', failed);
  };

  beforeAll(async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [
      'gongan.staff',
      'gongan.section',
      'bureau.reviewer',
      'bureau.admin',
      'cost.reviewer',
      'expert',
      'finance',
      'citygov',
      'audit',
    ])
      t[name] = await s.login(name);
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    projectId = created.json().project.id;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    lifecycleKey = submitted.json().processInstanceKey;
    await complete('gongan.section', 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送',
    });
    await complete('bureau.reviewer', 'Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '符合',
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const failed = new Set<string>();

  it('a revision cannot type a total: the form has none, the server refuses it naming the field', async () => {
    const review = await complete('cost.reviewer', 'Task_CostReview', {
      costReviewPassed: false,
      reviewedAmount: 999_999,
      costReviewReport: '核减',
    });
    failed.add(review);
    const revision = await waitTask('gongan.staff', 'Task_ReviseForCostReview');
    const typed = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${revision}/complete`, {
      variables: {
        planSummary: '核减',
        totalInvestment: 999_999,
        softwareDevCost: 499_999,
        serviceLines: lines(1_000_000, 60_000),
        revisionNote: '只改总数',
      },
    });
    expect(typed.statusCode).toBe(400);
    expect((typed.json() as Problem).errors?.map((e) => e.field)).toEqual([
      'variables.totalInvestment',
      'variables.softwareDevCost',
    ]);
    // The revision with the lines changed to exactly 999,999 / 499,999.
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${revision}/complete`, {
      variables: { planSummary: '核减', serviceLines: lines(499_999, 500_000), revisionNote: '核减' },
    });
    expect(res.statusCode, res.body).toBe(200);
    failed.add(revision);
  });

  it('999,999 / 499,999 by the lines: neither 监理 (IM-3) nor testing (IM-4); the 项目库 agrees', async () => {
    const again = await waitTask('cost.reviewer', 'Task_CostReview', failed);
    const v = await rootVariables(await instanceOf('cost.reviewer', again));
    expect(v).toMatchObject({
      totalInvestment: 999_999,
      softwareDevCost: 499_999,
      requiresSupervision: false,
      requiresThirdPartyTesting: false,
      category: 'professional',
    });
    expect(await projectRow()).toMatchObject({ totalInvestment: 999_999, softwareDevCost: 499_999 });
  });

  it('1,000,000 / 500,000 by the lines: 监理 and testing both required; the 项目库 agrees', async () => {
    const again = await reviseTo(500_000, 500_000, failed);
    const v = await rootVariables(await instanceOf('cost.reviewer', again));
    expect(v).toMatchObject({
      totalInvestment: 1_000_000,
      softwareDevCost: 500_000,
      requiresSupervision: true,
      requiresThirdPartyTesting: true,
    });
    const row = await projectRow();
    expect(row).toMatchObject({ totalInvestment: 1_000_000, softwareDevCost: 500_000 });
    expect((row.serviceLines as Item[]).map((l) => l.amount)).toEqual([500_000, 500_000]);
  });

  it('after initiation the lifecycle holds the revised amounts and implementation requires 监理 at exactly 1,000,000', async () => {
    await complete(
      'cost.reviewer',
      'Task_CostReview',
      { costReviewPassed: true, reviewedAmount: 1_000_000, costReviewReport: '合理' },
      failed,
    );
    await complete('expert', 'Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '可行' });
    // Finance decides on the cost reviewer's approved amount, which its task shows.
    const financeKey = await waitTask('finance', 'Task_FinanceReview');
    const financeTask = (await s.api(t.finance!, 'GET', `/api/tasks/${financeKey}`)).json();
    expect(financeTask.variables.reviewedAmount).toBe(1_000_000);
    expect(JSON.stringify(financeTask.form.schema)).toContain('{{reviewedAmount}}');
    await complete('finance', 'Task_FinanceReview', {
      financeApproved: true,
      financeOpinion: '同意',
      preliminaryFundingAmount: 980_000,
    });
    await complete('bureau.admin', 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项' });
    await complete('gongan.staff', 'Task_SubmitFundingApplication', {
      fundingRequestAmount: 980_000,
      fundingApplicationNote: '申请',
    });
    // The City Government sees the amount applied for and the approved figures.
    const cityKey = await waitTask('citygov', 'Task_CityGovernmentDecision');
    const schema = JSON.stringify(
      (await s.api(t.citygov!, 'GET', `/api/tasks/${cityKey}`)).json().form.schema,
    );
    for (const shown of ['{{fundingRequestAmount}}', '{{reviewedAmount}}', '{{preliminaryFundingAmount}}'])
      expect(schema).toContain(shown);
    await complete('citygov', 'Task_CityGovernmentDecision', {
      cityGovernmentApproved: true,
      approvedFundingAmount: 980_000,
      cityGovernmentOpinion: '同意',
    });
    await complete('gongan.staff', 'Task_ConductProcurement', {
      procurementResult: 'success',
      procurementMethod: 'public-tender',
      procurementNoticeNumber: 'YFCG-2027-009',
      purchaserName: '云浮市公安局',
      supplierName: '云浮智慧科技有限公司',
      supplierCreditCode: '91445300MA4W000000',
      contractNumber: 'HT-2027-009',
      contractAmount: 975_000,
      contractSignedDate: '2027-01-15',
      deliveryDate: '2027-06-30T18:00+08:00',
    });
    // IM-3 at exactly 1,000,000 元 (derived from the revised lines): a supervisor must be engaged.
    const engage = await waitTask('gongan.staff', 'Task_EngageSupervisor');
    const impl = await rootVariables(await instanceOf('gongan.staff', engage));
    expect(impl).toMatchObject({
      totalInvestment: 1_000_000,
      requiresSupervision: true,
      requiresThirdPartyTesting: true,
    });
    expect(await rootVariables(lifecycleKey)).toMatchObject({
      totalInvestment: 1_000_000,
      softwareDevCost: 500_000,
    });
    expect(await projectRow()).toMatchObject({ totalInvestment: 1_000_000, stage: 'implementation' });
  });

  it('SV-2: Finance reads every stage figure of the amounts, in the order they were produced', async () => {
    const res = await s.api(t.finance!, 'GET', `/api/projects/${projectId}/amounts`);
    expect(res.statusCode, res.body).toBe(200);
    const figures = (res.json().items as Item[]).map((f) => [f.stage, f.amount]);
    expect(figures.filter(([stage]) => stage === 'applied')).toEqual([
      ['applied', 1_060_000],
      ['applied', 999_999],
      ['applied', 1_000_000],
    ]);
    expect(figures).toEqual(
      expect.arrayContaining([
        ['cost-review', 1_000_000],
        ['finance-preliminary', 980_000],
        ['approved', 980_000],
        ['contract', 975_000],
      ]),
    );
  });

  it('SV-4: operations cannot set an amount, the category or a decision — a 400 naming each', async () => {
    const res = await s.api(t['bureau.admin']!, 'PUT', `/api/ops/instances/${lifecycleKey}/variables`, {
      variables: { totalInvestment: 999_999, category: 'public', requiresSupervision: false, note: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as Problem).errors?.map((e) => e.field)).toEqual([
      'variables.totalInvestment',
      'variables.category',
      'variables.requiresSupervision',
    ]);
    expect(await rootVariables(lifecycleKey)).toMatchObject({
      totalInvestment: 1_000_000,
      category: 'professional',
    });
  });

  it('IM-9: cancelling the lifecycle needs a reason and becomes the termination filing for the Bureau and Finance', async () => {
    const bare = await s.api(t['bureau.admin']!, 'POST', `/api/ops/instances/${lifecycleKey}/cancel`);
    expect(bare.statusCode).toBe(400);
    expect((bare.json() as Problem).errors?.map((e) => e.field)).toEqual(['reason']);

    const res = await s.api(t['bureau.admin']!, 'POST', `/api/ops/instances/${lifecycleKey}/cancel`, {
      reason: '供应商无法履约，合同须终止',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'TERMINATION_FILING', projectId });
    // The lifecycle is not cancelled: it waits for the two registrations.
    const instance = await s.client.getProcessInstance(
      { processInstanceKey: lifecycleKey },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(instance.state).toBe('ACTIVE');
    await complete('bureau.reviewer', 'Task_RegisterTerminationWithBureau', {
      bureauTerminationFilingOpinion: '同意备案',
    });
    await complete('finance', 'Task_RegisterTerminationWithFinance', {
      financeTerminationFilingOpinion: '同意备案',
    });
    const ended = await until(projectRow, (p) => p.stage === 'terminated');
    expect(ended.stage).toBe('terminated');

    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
      payload: { via?: string; variables?: { terminationReason?: string } };
    }>;
    const filing = log.find((e) => e.action === 'project.termination-filing');
    expect(filing?.payload.via).toBe('operations');
    expect(filing?.payload.variables?.terminationReason).toBe('供应商无法履约，合同须终止');
  });
});

// PUB-1, G-5: the Bureau leads public-category needs. Driven from each role's seat through /api only: bureau.admin
// opens a needs collection for three Units with a deadline in working days; two Units answer in their own tasks with
// exactly what form-js submits for state-public-needs.form; the third misses the deadline, its task ends and the
// consolidation shows it as not answered; the Bureau consolidates the answers (consolidate-public-plan.form, as
// form-js submits it) into two public projects, which appear in the 项目库 and go on through PUB-2..PUB-4; the second
// fails 造价审核 and 专家论证 and the Bureau revises it each time (PUB-2's send-back loops). A Unit's own 公共类
// application is refused with where its need belongs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
type Item = { userTaskKey: string; elementId: string; projectId?: string | null; processInstanceKey: string };

const ACCOUNTS = [
  'bureau.admin',
  'gongan.staff',
  'jiaoyu.staff',
  'cost.reviewer',
  'expert',
  'finance',
  'citygov',
];
const CLOUD = [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }];
const PLATFORM = [
  { serviceType: 'software-development', subType: 'public-platform', amount: 600_000 },
  {
    serviceType: 'operation-maintenance',
    subType: 'software-om',
    relatedTo: 'public-platform',
    amount: 50_000,
  },
];

describe('the Bureau leads public-category needs (PUB-1, G-5)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    formJs = await launchFormJs();
    // Friday 27 November 2026, 10:00 in Yunfu
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of ACCOUNTS) t[name] = await s.login(name);
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  const inbox = async (who: string, elementId: string): Promise<Item[]> => {
    const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Item[]).filter((i) => i.elementId === elementId);
  };
  const waitTask = async (who: string, elementId: string, pick: (i: Item) => boolean = () => true) =>
    (
      await until(
        async () => (await inbox(who, elementId)).filter(pick),
        (x) => x.length > 0,
      )
    )[0]!;
  /** Opens the task as the page does and completes it with form-js's submission of its own form. */
  const completeAsPage = async (who: string, item: Item, choices: Data) => {
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${item.userTaskKey}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const { form, variables } = detail.json() as { form: { schema: Data }; variables: Data };
    const submitted = await formJs.submit(form.schema, fill(form.schema, variables, choices));
    expect(submitted.errors).toEqual({});
    const done = await s.api(t[who]!, 'POST', `/api/tasks/${item.userTaskKey}/complete`, {
      variables: submitted.data,
    });
    expect(done.statusCode, done.body).toBe(200);
    return { variables, submitted: submitted.data };
  };
  const collections = async () => {
    const res = await s.api(t['bureau.admin']!, 'GET', '/api/needs-collections');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<Data & { answers: Data[]; publicProjects: Data[] }>;
  };

  it('a Unit that applies for a 公共类 project is told where its need belongs (G-5, PUB-1, IM-6)', async () => {
    const res = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: '政务云扩容', serviceLines: CLOUD }),
    );
    expect(res.statusCode, res.body).toBe(422);
    const p = res.json() as Problem;
    expect(p.detail).toContain('公共类服务需求征集');
    expect(p.detail).toContain('基础设施服务申请');
    expect(p.errors?.map((e) => e.field)).toEqual(['serviceLines']);
  });

  it('only the Bureau opens a collection, and bad input is a 4xx naming the field', async () => {
    const unit = await s.api(t['gongan.staff']!, 'POST', '/api/needs-collections', {
      planYear: 2027,
      workingDays: 10,
    });
    expect(unit.statusCode).toBe(403);
    const bad = async (body: Data) => {
      const res = await s.api(t['bureau.admin']!, 'POST', '/api/needs-collections', body);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json() as Problem).errors?.map((e) => e.field);
    };
    expect(await bad({ planYear: 2027, workingDays: 0 })).toEqual(['workingDays']);
    expect(await bad({ planYear: 2027, workingDays: 10, unitIds: ['gongan', 'nope'] })).toEqual([
      'unitIds[1]',
    ]);
    expect(await bad({ planYear: 2027, workingDays: 10, unitIds: [] })).toEqual(['unitIds']);
    expect(await bad({ planYear: 2020, workingDays: 10 })).toEqual(['planYear']);
    expect(await bad({ planYear: 2027, workingDays: '10天' })).toEqual(['workingDays']);
  });

  /** The second public project the Bureau consolidates (教育公共支撑平台), revised in the next test. */
  let platformId = '';
  it('two Units answer, one misses the deadline, the Bureau consolidates two public projects that go on through PUB-2..4', async () => {
    const opened = await s.api(t['bureau.admin']!, 'POST', '/api/needs-collections', {
      planYear: 2027,
      workingDays: 10,
      unitIds: ['gongan', 'jiaoyu', 'weijian'],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    // 10 working days after Friday 27 November 2026, the day itself not counted: Friday 11 December, 18:00.
    expect(opened.json()).toMatchObject({
      needsCollectionId: 'PN-2027-01',
      needsCollectionDue: '2026-12-11T18:00:00+08:00',
      units: [
        { unitId: 'gongan', unitName: '云浮市公安局' },
        { unitId: 'jiaoyu', unitName: '云浮市教育局' },
        { unitId: 'weijian', unitName: '云浮市卫生健康局' },
      ],
    });
    const pik = opened.json().processInstanceKey as string;
    // While it is open, the same Units cannot be asked overlapping for 2027 (each would hold two tasks for one year's needs).
    const overlapping = await s.api(t['bureau.admin']!, 'POST', '/api/needs-collections', {
      planYear: 2027,
      workingDays: 5,
      unitIds: ['weijian', 'jiaoyu'],
    });
    expect(overlapping.statusCode, overlapping.body).toBe(409);
    expect((overlapping.json() as Problem).errors?.map((e) => e.field)).toEqual(['unitIds[0]', 'unitIds[1]']);
    const everyUnit = await s.api(t['bureau.admin']!, 'POST', '/api/needs-collections', {
      planYear: 2027,
      workingDays: 5,
    });
    expect(everyUnit.statusCode, everyUnit.body).toBe(409);
    expect((everyUnit.json() as Problem).errors?.map((e) => e.field)).toContain('unitIds');
    const ofThis = (i: Item) => i.processInstanceKey === pik;

    // Each Unit meets its own task in its inbox, and only its own.
    const gongan = await waitTask('gongan.staff', 'Task_StateUnitNeeds', ofThis);
    const jiaoyu = await waitTask('jiaoyu.staff', 'Task_StateUnitNeeds', ofThis);
    expect(gongan.userTaskKey).not.toBe(jiaoyu.userTaskKey);
    expect((await inbox('gongan.staff', 'Task_StateUnitNeeds')).filter(ofThis)).toHaveLength(1);
    const g = await completeAsPage('gongan.staff', gongan, {
      hasNeed: true,
      needDescription: '警务视频云存储扩容 200 核',
      estimatedAmount: 800_000,
    });
    expect(g.variables.unit).toEqual({ unitId: 'gongan', unitName: '云浮市公安局' });
    await completeAsPage('jiaoyu.staff', jiaoyu, {
      hasNeed: true,
      needDescription: '全市统一的教育公共支撑平台',
      estimatedAmount: 650_000,
    });
    const before = (await collections()).find((c) => c.processInstanceKey === pik)!;
    expect(before.answers.map((a) => [a.unitId, a.status])).toEqual([
      ['gongan', 'answered'],
      ['jiaoyu', 'answered'],
      ['weijian', 'waiting'],
    ]);

    // The deadline passes: 卫健局's task ends, and the consolidation lists it as not answered.
    await s.setClock('2026-12-11T10:00:01Z');
    for (const name of ACCOUNTS) t[name] = await s.login(name); // two weeks on, the sessions have expired
    const consolidate = await waitTask('bureau.admin', 'Task_ConsolidatePlan', ofThis);
    // No task of the collection is open but the Bureau's: 卫健局's ended with the deadline.
    const open = await s.gateway.searchUserTasks({ processInstanceKey: pik, state: 'CREATED' });
    expect(open.items.map((i) => i.elementId)).toEqual(['Task_ConsolidatePlan']);
    const after = (await collections()).find((c) => c.processInstanceKey === pik)!;
    expect(after.answers.find((a) => a.unitId === 'weijian')).toMatchObject({ status: 'not-answered' });

    const first = await completeAsPage('bureau.admin', consolidate, {
      consolidationAction: 'form-project',
      leadUnitId: 'gongan',
      projectName: '全市政务云扩容',
      planSummary: '为公安局等单位扩容政务云计算与存储资源',
      hasDataCatalogue: true,
      supportsIpv6: true,
      serviceLines: CLOUD,
    });
    expect(first.variables.unansweredUnits).toEqual([{ unitId: 'weijian', unitName: '云浮市卫生健康局' }]);
    expect(first.variables.needUnitOptions).toEqual([
      { label: '云浮市公安局', value: 'gongan' },
      { label: '云浮市教育局', value: 'jiaoyu' },
    ]);
    const second = await until(
      async () => (await inbox('bureau.admin', 'Task_ConsolidatePlan')).filter(ofThis),
      (x) => x.length > 0 && x[0]!.userTaskKey !== consolidate.userTaskKey,
    );
    const again = await completeAsPage('bureau.admin', second[0]!, {
      consolidationAction: 'form-project',
      leadUnitId: 'jiaoyu',
      projectName: '教育公共支撑平台',
      planSummary: '全市教育系统共用的身份认证与数据交换平台',
      serviceLines: PLATFORM,
    });
    // The form opens empty for the next project: the previous one's fields are not carried over.
    expect(again.variables.projectName ?? null).toBeNull();
    const third = await until(
      async () => (await inbox('bureau.admin', 'Task_ConsolidatePlan')).filter(ofThis),
      (x) => x.length > 0 && x[0]!.userTaskKey !== second[0]!.userTaskKey,
    );
    await completeAsPage('bureau.admin', third[0]!, { consolidationAction: 'finish' });

    // Both projects are in the 项目库, 公共类, in initiation, each visible to the Unit whose need it answers.
    const done = await until(
      async () => (await collections()).find((c) => c.processInstanceKey === pik)!,
      (c) => c.state === 'COMPLETED',
    );
    expect(done.publicProjects.map((p) => p.projectName)).toEqual(['全市政务云扩容', '教育公共支撑平台']);
    const ids = done.publicProjects.map((p) => String(p.projectId));
    platformId = ids[1]!;
    const library = await until(
      async () => {
        const res = await s.api(t['bureau.admin']!, 'GET', '/api/projects?category=public&pageSize=100');
        return (res.json().items as Data[]).filter((p) => ids.includes(String(p.id)));
      },
      (x) => x.length === 2 && x.every((p) => p.stage === 'initiation'),
    );
    expect(library.map((p) => [p.name, p.unitId, p.category, p.totalInvestment])).toEqual(
      expect.arrayContaining([
        ['全市政务云扩容', 'gongan', 'public', 800_000],
        ['教育公共支撑平台', 'jiaoyu', 'public', 650_000],
      ]),
    );
    const mine = await s.api(t['gongan.staff']!, 'GET', '/api/projects?category=public');
    expect((mine.json().items as Data[]).map((p) => p.id)).toEqual([ids[0]]);

    // PUB-2..PUB-4 for the first: cost review and expert review, Finance, the City Government.
    const [cloudId] = ids;
    const ofProject = (i: Item) => i.projectId === cloudId;
    await completeAsPage('cost.reviewer', await waitTask('cost.reviewer', 'Task_CostReview', ofProject), {
      costReviewPassed: true,
    });
    await completeAsPage('expert', await waitTask('expert', 'Task_ExpertReview', ofProject), {
      expertReviewPassed: true,
    });
    await completeAsPage('finance', await waitTask('finance', 'Task_FinanceReview', ofProject), {
      financeApproved: true,
    });
    await completeAsPage('citygov', await waitTask('citygov', 'Task_CityGovernmentDecision', ofProject), {
      cityGovernmentApproved: true,
    });
    const procured = await until(
      async () => (await s.api(t['bureau.admin']!, 'GET', `/api/projects/${cloudId}`)).json() as Data,
      (p) => p.stage === 'procurement',
    );
    expect(procured).toMatchObject({
      category: 'public',
      unitId: 'gongan',
      hasDataCatalogue: true,
      supportsIpv6: true,
    });
  }, 180_000);

  it('PUB-2: a failed 造价审核 and a failed 专家论证 each come back to the Bureau, which revises the plan; the 项目库 follows', async () => {
    const ofProject = (i: Item) => i.projectId === platformId;
    const review = await waitTask('cost.reviewer', 'Task_CostReview', ofProject);
    await completeAsPage('cost.reviewer', review, {
      costReviewPassed: false,
      reviewedAmount: 560_000,
      costReviewReport: '平台开发工作量偏高，建议核减 9 万元',
    });
    // The Bureau leads a public project: the revision is its task, not the lead Unit's.
    const revision = await waitTask('bureau.admin', 'Task_ReviseForCostReview', ofProject);
    expect((await inbox('jiaoyu.staff', 'Task_ReviseForCostReview')).filter(ofProject)).toEqual([]);
    const lines = [{ ...PLATFORM[0]!, amount: 510_000 }, PLATFORM[1]!];
    const revised = await completeAsPage('bureau.admin', revision, {
      planSummary: '按造价审核意见核减平台开发工作量',
      revisionNote: '平台开发费用核减为 51 万元',
      serviceLines: lines,
    });
    expect(revised.variables.costReviewReport).toBe('平台开发工作量偏高，建议核减 9 万元');
    const again = await waitTask(
      'cost.reviewer',
      'Task_CostReview',
      (i) => ofProject(i) && i.userTaskKey !== review.userTaskKey,
    );
    await until(
      async () => (await s.api(t['bureau.admin']!, 'GET', `/api/projects/${platformId}`)).json() as Data,
      (p) => p.totalInvestment === 560_000 && p.softwareDevCost === 510_000,
    );
    await completeAsPage('cost.reviewer', again, { costReviewPassed: true, reviewedAmount: 560_000 });

    const expert = await waitTask('expert', 'Task_ExpertReview', ofProject);
    await completeAsPage('expert', expert, {
      expertReviewPassed: false,
      expertReviewReport: '须说明与省统一身份认证平台的对接方式',
    });
    const second = await waitTask('bureau.admin', 'Task_ReviseForExpertReview', ofProject);
    const answered = await completeAsPage('bureau.admin', second, {
      planSummary: '对接省统一身份认证平台，按省标准交换数据',
      revisionNote: '补充与省平台的对接方式',
    });
    expect(answered.variables.expertReviewReport).toBe('须说明与省统一身份认证平台的对接方式');
    const back = await waitTask(
      'expert',
      'Task_ExpertReview',
      (i) => ofProject(i) && i.userTaskKey !== expert.userTaskKey,
    );
    const detail = (await s.api(t.expert!, 'GET', `/api/tasks/${back.userTaskKey}`)).json();
    expect(detail.variables.planSummary).toBe('对接省统一身份认证平台，按省标准交换数据');
  }, 120_000);
});

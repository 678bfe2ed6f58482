// G-3 and IM-1 from the Unit's seat, through /api on the real engine: the application page's draft with two
// funding lines is accepted; one without 市级财政资金 is refused (422) with the rule's reason; lines not adding up
// to the total investment are refused (400) naming `fundingLines` and the figures; a client still sending the single
// `fundingSource` gets a one-line list. A co-funded project with 中央资金, once approved, waits for the Bureau's
// 与国家有关方面衔接 (IM-1), completed with form-js's own submission of its form, before procurement; Finance and
// the City Government see the funding lines where they decide; the timeline records the step.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { PROFESSIONAL_LINES } from '../support/projects.ts';
import { type Problem, type Stack, startStack, until } from './stack.ts';

type Item = Record<string, unknown>;

/** The body the application page posts (project-form.js submitDraft), with its funding lines. */
const pageDraft = (fundingLines: Item[]) => ({
  projectName: '云浮市智慧警务综合平台',
  description: '警务数据汇聚、分析与指挥调度',
  planYear: 2027,
  fundingLines,
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  serviceLines: PROFESSIONAL_LINES, // 1,060,000 元 in all
  unitId: 'gongan',
});
const CO_FUNDED = [
  { source: 'city-fiscal', amount: 760_000 },
  { source: 'national-fiscal', amount: 300_000 },
];

describe('funding lines (G-3) and national-funds coordination (IM-1) through /api', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};

  const inbox = async (who: string) => {
    const res = await s.api(t[who]!, 'GET', '/api/tasks');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Item[];
  };
  const waitTask = async (who: string, elementId: string, projectId: string) => {
    const items = await until(
      () => inbox(who),
      (x) => x.some((i) => i.elementId === elementId && i.projectId === projectId),
    );
    return items.find((i) => i.elementId === elementId && i.projectId === projectId)!;
  };
  const complete = async (who: string, projectId: string, elementId: string, variables: Item) => {
    const task = await waitTask(who, elementId, projectId);
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.userTaskKey}/complete`, { variables });
    expect(res.statusCode, `${elementId}: ${res.body}`).toBe(200);
  };
  const taskVariables = async (who: string, projectId: string, elementId: string) => {
    const task = await waitTask(who, elementId, projectId);
    const res = await s.api(t[who]!, 'GET', `/api/tasks/${task.userTaskKey}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { form: { formId: string; schema: Item }; variables: Item };
  };
  const create = (body: unknown) => s.api(t['gongan.staff']!, 'POST', '/api/projects', body);

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
    ]) {
      t[name] = await s.login(name);
    }
    formJs = await launchFormJs();
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('accepts a co-funded draft, refuses one without city funds and one whose lines do not add up', async () => {
    const ok = await create(pageDraft(CO_FUNDED));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().project).toMatchObject({ fundingLines: CO_FUNDED, fundingSource: 'city-fiscal' });

    const noCity = await create(
      pageDraft([
        { source: 'provincial-fiscal', amount: 760_000 },
        { source: 'national-fiscal', amount: 300_000 },
      ]),
    );
    expect(noCity.statusCode, noCity.body).toBe(422);
    const refused = noCity.json() as Problem;
    expect(refused.errors).toEqual([
      { field: 'fundingLines', reason: expect.stringContaining('没有市级财政资金') },
    ]);
    expect(refused.detail).toContain('G-3');

    const mismatch = await create(
      pageDraft([
        { source: 'city-fiscal', amount: 760_000 },
        { source: 'self-raised', amount: 200_000 },
      ]),
    );
    expect(mismatch.statusCode, mismatch.body).toBe(400);
    expect((mismatch.json() as Problem).errors).toEqual([
      { field: 'fundingLines', reason: expect.stringContaining('合计 960000 元与项目总投资 1060000 元') },
    ]);

    const badSource = await create(pageDraft([{ source: 'lottery', amount: 1_060_000 }]));
    expect(badSource.statusCode).toBe(400);
    expect((badSource.json() as Problem).errors?.[0]?.field).toBe('fundingLines[0].source');
  });

  it('keeps the single fundingSource of earlier clients working, as one line of the whole total', async () => {
    const { fundingLines: _, ...rest } = pageDraft([]);
    const res = await create({ ...rest, fundingSource: 'city-fiscal' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().project.fundingLines).toEqual([{ source: 'city-fiscal', amount: 1_060_000 }]);
  });

  it('edits a draft’s funding with its version: changed lines must still add up; one source follows the total', async () => {
    const created = await create(pageDraft(CO_FUNDED));
    const { id, version } = created.json().project as { id: string; version: number };
    const cheaper = [{ ...PROFESSIONAL_LINES[0]!, amount: 900_000 }, ...PROFESSIONAL_LINES.slice(1)]; // 960,000 元
    const patch = (body: Item) => s.api(t['gongan.staff']!, 'PATCH', `/api/projects/${id}`, body);
    const stale = await patch({ version, serviceLines: cheaper });
    expect(stale.statusCode, stale.body).toBe(400);
    expect((stale.json() as Problem).errors).toEqual([
      { field: 'fundingLines', reason: expect.stringContaining('合计 1060000 元与项目总投资 960000 元') },
    ]);
    const fixed = await patch({
      version,
      serviceLines: cheaper,
      fundingLines: [
        { source: 'city-fiscal', amount: 660_000 },
        { source: 'national-fiscal', amount: 300_000 },
      ],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const single = await patch({
      version: version + 1,
      fundingLines: [{ source: 'city-fiscal', amount: 960_000 }],
    });
    expect(single.statusCode, single.body).toBe(200);
    const again = await patch({ version: version + 2, serviceLines: PROFESSIONAL_LINES });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().project.fundingLines).toEqual([{ source: 'city-fiscal', amount: 1_060_000 }]);
  });

  it('routes a project with 中央资金 through the Bureau’s coordination (IM-1) before procurement', async () => {
    const created = await create(pageDraft(CO_FUNDED));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);

    await complete('gongan.section', id, 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送',
    });
    await complete('bureau.reviewer', id, 'Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '符合立项条件',
    });
    await complete('cost.reviewer', id, 'Task_CostReview', {
      costReviewPassed: true,
      reviewedAmount: 1_060_000,
      costReviewReport: '造价合理',
    });
    await complete('expert', id, 'Task_ExpertReview', {
      expertReviewPassed: true,
      expertReviewReport: '方案可行',
    });
    // Finance decides seeing the funding lines (its form shows {{fundingSummary}}).
    const finance = await taskVariables('finance', id, 'Task_FinanceReview');
    const summary = '市级财政资金 760000 元；中央（国家）资金 300000 元';
    expect(finance.variables.fundingSummary).toBe(summary);
    expect(JSON.stringify(finance.form.schema)).toContain('{{fundingSummary}}');
    await complete('finance', id, 'Task_FinanceReview', {
      financeApproved: true,
      financeOpinion: '同意',
      preliminaryFundingAmount: 760_000,
    });
    // PRO-3: the Bureau's approval opinion, which combines Finance's
    await complete('bureau.admin', id, 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项。' });
    await complete('gongan.staff', id, 'Task_SubmitFundingApplication', {
      fundingRequestAmount: 760_000,
      fundingApplicationNote: '申请市级财政资金，其余为中央资金',
    });
    const cityGov = await taskVariables('citygov', id, 'Task_CityGovernmentDecision');
    expect(cityGov.variables).toMatchObject({ fundingSummary: summary });
    expect(JSON.stringify(cityGov.form.schema)).toContain('{{fundingSummary}}');
    await complete('citygov', id, 'Task_CityGovernmentDecision', {
      cityGovernmentApproved: true,
      approvedFundingAmount: 760_000,
      cityGovernmentOpinion: '同意',
    });

    // IM-1: the Bureau's task, its form filled and submitted by form-js as the task page does.
    const task = await waitTask('bureau.admin', 'Task_CoordinateNationalFunds', id);
    const detail = await taskVariables('bureau.admin', id, 'Task_CoordinateNationalFunds');
    expect(detail.form.formId).toBe('national-funds-coordination');
    const onDisk = JSON.parse(readFileSync('processes/national-funds-coordination.form', 'utf8'));
    expect(detail.form.schema.id).toBe(onDisk.id);
    const empty = await formJs.submit(detail.form.schema, detail.variables);
    expect(Object.keys(empty.errors).sort()).toEqual([
      'Field_NationalCoordinationNote',
      'Field_NationalCounterpart',
    ]);
    const { data, errors } = await formJs.submit(detail.form.schema, {
      ...detail.variables,
      nationalCounterpart: '国家发展改革委',
      nationalCoordinationNote: '已报送中央资金使用计划，对方同意按本市采购安排执行。',
    });
    expect(errors).toEqual({});
    // Procurement waits for the coordination.
    expect(
      (await inbox('gongan.staff')).some(
        (i) => i.projectId === id && i.elementId === 'Task_ConductProcurement',
      ),
    ).toBe(false);
    const done = await s.api(t['bureau.admin']!, 'POST', `/api/tasks/${task.userTaskKey}/complete`, {
      variables: data,
    });
    expect(done.statusCode, done.body).toBe(200);
    await waitTask('gongan.staff', 'Task_ConductProcurement', id);

    const timeline = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${id}/timeline`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const titles = JSON.stringify(timeline.json());
    expect(titles).toContain('与国家有关方面衔接：完成');
  }, 180_000);
});

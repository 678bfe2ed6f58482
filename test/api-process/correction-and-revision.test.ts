// PRO-2: a Unit answers the Bureau. 初核 returns the application for correction; the Unit opens 补正申请材料, which
// shows the project's current service lines (form-js fills its dynamic list from the task's `serviceLines`),
// corrects a line and submits — the data is form-js's own submit() in headless chromium, posted through /api as
// the task page posts it — and the application is checked again and back at 初核. Then 造价审核 fails; the Unit
// revises the plan through 根据造价审核意见修改方案 the same way, and the plan is back at 造价审核 with the
// revised amounts and lines in the process. Last 专家论证 fails; the Unit revises through 根据专家论证意见修改方案 and the
// plan is back at 专家论证 — every send-back loop of PRO-2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { PROFESSIONAL_LINES } from '../support/projects.ts';
import { professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

describe('a return for correction and a failed cost review answered by the Unit through its forms (PRO-2)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  let projectId: string;

  const waitTask = async (who: string, elementId: string, after = new Set<string>()) => {
    const items = await until(
      async () => (await s.api(t[who]!, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Data[],
      (x) => x.some((i) => i.elementId === elementId && !after.has(String(i.userTaskKey))),
    );
    const task = items.find((i) => i.elementId === elementId && !after.has(String(i.userTaskKey)));
    if (!task)
      throw new Error(`${elementId} not in ${who}'s inbox: ${items.map((i) => i.elementId).join(', ')}`);
    return String(task.userTaskKey);
  };
  /** The task page: GET the task, let form-js render it with the variables, edit, submit(), POST the data. */
  const submitPage = async (who: string, key: string, edit: (data: Data) => Data) => {
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const { form, variables } = detail.json() as { form: { schema: Data }; variables: Data };
    const { data, errors } = await formJs.submit(form.schema, edit(structuredClone(variables)));
    expect(errors).toEqual({});
    const done = await s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables: data });
    expect(done.statusCode, done.body).toBe(200);
    return { variables, submitted: data };
  };
  /** The variables of the initiation instance that holds the task (the lifecycle calls it). */
  const processVariables = async (who: string, userTaskKey: string) => {
    const detail = (await s.api(t[who]!, 'GET', `/api/tasks/${userTaskKey}`)).json();
    const key = String(detail.task.processInstanceKey);
    const vars = await s.client.searchVariables(
      { filter: { processInstanceKey: key, scopeKey: key }, truncateValues: false } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    return Object.fromEntries(vars.items.map((x) => [x.name, JSON.parse(x.value)])) as Data;
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of ['gongan.staff', 'gongan.section', 'bureau.reviewer', 'cost.reviewer', 'expert'])
      t[name] = await s.login(name);
    await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    projectId = created.json().project.id;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    // G-6: the Unit's 责任科室 signs off before the application goes to the Bureau.
    await submitPage('gongan.section', await waitTask('gongan.section', 'Task_SectionReview'), (d) => ({
      ...d,
      sectionDecision: 'approve',
      sectionOpinion: '同意报送',
    }));
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('初核 returns for correction; the Unit corrects the lines in the form and the application is back at 初核', async () => {
    const first = await waitTask('bureau.reviewer', 'Task_InitialCheck');
    await submitPage('bureau.reviewer', first, (d) => ({
      ...d,
      initialCheckDecision: 'return',
      initialCheckOpinion: '监理费用偏高，请核减并说明',
    }));

    const correction = await waitTask('gongan.staff', 'Task_CorrectApplication');
    const { variables, submitted } = await submitPage('gongan.staff', correction, (d) => {
      const lines = d.serviceLines as Data[];
      lines[1] = { ...lines[1], amount: 20_000 };
      return {
        ...d,
        totalInvestment: 1_050_000,
        planSummary: '警务数据汇聚、分析与指挥调度；核减监理费用',
        correctionNote: '监理费用按市场价核减为 2 万元',
      };
    });
    // The form opened with the current lines, and form-js sent them back with the corrected amount.
    expect(variables.serviceLines).toEqual(PROFESSIONAL_LINES);
    expect(variables.initialCheckOpinion).toBe('监理费用偏高，请核减并说明');
    expect(submitted.serviceLines).toEqual([
      // form-js sends every field of a repetition: the untouched 说明 as its empty value.
      { ...PROFESSIONAL_LINES[0], description: '' },
      { ...PROFESSIONAL_LINES[1], amount: 20_000, description: '' },
      { ...PROFESSIONAL_LINES[2], description: '' },
    ]);

    // Checked again (check-application, classification) and back at 初核 — not withdrawn.
    const again = await waitTask('bureau.reviewer', 'Task_InitialCheck', new Set([first]));
    expect(again).not.toBe(first);
    const v = await processVariables('bureau.reviewer', again);
    expect(v).toMatchObject({
      totalInvestment: 1_050_000,
      applicationComplete: true,
      category: 'professional',
    });
    expect((v.serviceLines as Data[])[1]).toMatchObject({ subType: 'supervision', amount: 20_000 });
    const detail = (await s.api(t['bureau.reviewer']!, 'GET', `/api/tasks/${again}`)).json();
    expect(detail.variables.correctionNote).toBeUndefined();
    expect(detail.variables.totalInvestment).toBe(1_050_000);
  });

  it('造价审核 fails; the Unit revises the plan in the form and the plan is back at 造价审核', async () => {
    const check = await waitTask('bureau.reviewer', 'Task_InitialCheck');
    await submitPage('bureau.reviewer', check, (d) => ({
      ...d,
      initialCheckDecision: 'pass',
      initialCheckOpinion: '符合立项条件',
    }));
    const review = await waitTask('cost.reviewer', 'Task_CostReview');
    await submitPage('cost.reviewer', review, (d) => ({
      ...d,
      costReviewPassed: false,
      reviewedAmount: 950_000,
      costReviewReport: '软件开发工作量偏高，建议核减 10 万元',
    }));

    const revision = await waitTask('gongan.staff', 'Task_ReviseForCostReview');
    const { variables, submitted } = await submitPage('gongan.staff', revision, (d) => {
      const lines = d.serviceLines as Data[];
      lines[0] = { ...lines[0], amount: 900_000 };
      return {
        ...d,
        totalInvestment: 950_000,
        softwareDevCost: 900_000,
        planSummary: '按造价审核意见核减软件开发工作量',
        revisionNote: '软件开发费用核减为 90 万元',
      };
    });
    expect(variables.costReviewReport).toBe('软件开发工作量偏高，建议核减 10 万元');
    expect((variables.serviceLines as Data[]).map((l) => l.amount)).toEqual([1_000_000, 20_000, 30_000]);
    expect((submitted.serviceLines as Data[]).map((l) => l.amount)).toEqual([900_000, 20_000, 30_000]);

    const again = await waitTask('cost.reviewer', 'Task_CostReview', new Set([review]));
    expect(again).not.toBe(review);
    const v = await processVariables('cost.reviewer', again);
    expect(v).toMatchObject({
      totalInvestment: 950_000,
      softwareDevCost: 900_000,
      revisionNote: '软件开发费用核减为 90 万元',
    });
    expect((v.serviceLines as Data[]).map((l) => l.amount)).toEqual([900_000, 20_000, 30_000]);
  });

  it('a revision whose subtype does not belong to its type is a 400 naming the line, and the task stays open', async () => {
    const review = await waitTask('cost.reviewer', 'Task_CostReview');
    await submitPage('cost.reviewer', review, (d) => ({
      ...d,
      costReviewPassed: false,
      reviewedAmount: 900_000,
      costReviewReport: '请再核减',
    }));
    const revision = await waitTask('gongan.staff', 'Task_ReviseForCostReview');
    const detail = (await s.api(t['gongan.staff']!, 'GET', `/api/tasks/${revision}`)).json();
    const { data } = await formJs.submit(detail.form.schema, {
      ...detail.variables,
      planSummary: '再次核减',
      revisionNote: '核减',
      serviceLines: [{ serviceType: 'infrastructure', subType: 'supervision', amount: 900_000 }],
    });
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${revision}/complete`, {
      variables: data,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'variables.serviceLines[0].subType',
    ]);
    const still = (await s.api(t['gongan.staff']!, 'GET', `/api/tasks/${revision}`)).json();
    expect(still.task.state).toBe('CREATED');
  });

  it('IM-3: a revision of a project of 1,000,000 or more that drops its 监理 line is a 400 naming the lines', async () => {
    const revision = await waitTask('gongan.staff', 'Task_ReviseForCostReview');
    const detail = (await s.api(t['gongan.staff']!, 'GET', `/api/tasks/${revision}`)).json();
    const { data } = await formJs.submit(detail.form.schema, {
      ...detail.variables,
      planSummary: '软件开发按原方案',
      revisionNote: '不再单独聘请监理',
      serviceLines: [
        { serviceType: 'software-development', subType: 'professional-software', amount: 1_000_000 },
      ],
    });
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${revision}/complete`, {
      variables: data,
    });
    expect(res.statusCode, res.body).toBe(400);
    const issues = res.json().errors as Array<{ field: string; reason: string }>;
    expect(issues.map((e) => e.field)).toEqual(['variables.serviceLines']);
    expect(issues[0]!.reason).toContain('必须实行监理');
    const still = (await s.api(t['gongan.staff']!, 'GET', `/api/tasks/${revision}`)).json();
    expect(still.task.state).toBe('CREATED');
  });

  it('专家论证 fails; the Unit revises the plan in 根据专家论证意见修改方案 and the plan is back at 专家论证', async () => {
    // The review in parallel with 造价审核 has waited since 初核 passed; it fails on the technical design.
    const review = await waitTask('expert', 'Task_ExpertReview');
    await submitPage('expert', review, (d) => ({
      ...d,
      expertReviewPassed: false,
      expertReviewReport: '视频解析须说明国产化适配方案',
    }));
    const revision = await waitTask('gongan.staff', 'Task_ReviseForExpertReview');
    const { variables, submitted } = await submitPage('gongan.staff', revision, (d) => ({
      ...d,
      planSummary: '增加国产化适配方案：视频解析支持国产芯片',
      revisionNote: '补充国产化适配方案',
    }));
    expect(variables.expertReviewReport).toBe('视频解析须说明国产化适配方案');
    expect(submitted.revisionNote).toBe('补充国产化适配方案');

    const again = await waitTask('expert', 'Task_ExpertReview', new Set([review]));
    expect(again).not.toBe(review);
    const v = await processVariables('expert', again);
    expect(v).toMatchObject({
      planSummary: '增加国产化适配方案：视频解析支持国产芯片',
      revisionNote: '补充国产化适配方案',
    });
  });
});

// Issue #15 §3: a task's page shows the completed tasks of its project — who completed each, when, and the decision
// they submitted — and the variables the task sees, read-only. A real 专业类 project walked on the real engine with
// the real workers through /api, each task completed with exactly what form-js submits; the cost reviewer and the
// expert read the history of the project they now review; another Unit and another group's reviewer do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalDraft, type Stack, startStack, until } from '../api-process/stack.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';

type Data = Record<string, unknown>;
type History = {
  total: number;
  items: Array<{
    name: string;
    elementId: string;
    completionDate: string;
    completedBy: { displayName: string; role: string } | null;
    decision: Data | null;
  }>;
};

describe('the completed-task history and the variables of a task', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  let projectId: string;
  const sent: Record<string, Data> = {};

  const get = (who: string, url: string) => s.api(t[who]!, 'GET', url);
  const openTask = async (who: string, elementId: string) => {
    const items = await until(
      async () => (await get(who, '/api/tasks?scope=groups')).json().items as Data[],
      (x) => x.some((i) => i.elementId === elementId && i.projectId === projectId),
    );
    return String(items.find((i) => i.elementId === elementId && i.projectId === projectId)!.userTaskKey);
  };
  const complete = async (who: string, elementId: string, choices: Data) => {
    const key = await openTask(who, elementId);
    const detail = (await get(who, `/api/tasks/${key}`)).json() as {
      form: { schema: Data };
      variables: Data;
    };
    const form = await formJs.submit(detail.form.schema, fill(detail.form.schema, detail.variables, choices));
    expect(form.errors).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables: form.data });
    expect(res.statusCode, res.body).toBe(200);
    sent[elementId] = form.data;
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [
      'gongan.staff',
      'jiaoyu.staff',
      'gongan.section',
      'bureau.reviewer',
      'cost.reviewer',
      'expert',
      'finance',
    ])
      t[name] = await s.login(name);
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    projectId = created.json().project.id;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    // G-6: the Unit's 责任科室 sends the application on, then the Bureau's 初核
    await complete('gongan.section', 'Task_SectionReview', { sectionDecision: 'approve' });
    await s.setClock('2026-11-27T02:30:00Z');
    await complete('bureau.reviewer', 'Task_InitialCheck', { initialCheckDecision: 'pass' });
    // the cost review is done an hour and a half later
    await s.setClock('2026-11-27T03:30:00Z');
    await complete('cost.reviewer', 'Task_CostReview', { costReviewPassed: true });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await formJs?.close();
  });

  it('shows the expert who completed the 责任科室 sign-off, 初核 and 造价审核, when, and what each decided', async () => {
    const key = await openTask('expert', 'Task_ExpertReview');
    const res = await get('expert', `/api/tasks/${key}/history`);
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json() as History;
    expect(history.total).toBe(3);
    // the latest first
    expect(history.items.map((i) => [i.elementId, i.completedBy?.displayName, i.completedBy?.role])).toEqual([
      ['Task_CostReview', '造价审核机构', 'cost-reviewer'],
      ['Task_InitialCheck', '市政数局审核员', 'bureau-reviewer'],
      ['Task_SectionReview', '市公安局责任科室', 'unit-section'],
    ]);
    // exactly what form-js submitted, as the audit trail holds it
    expect(history.items[1]!.decision).toEqual(sent.Task_InitialCheck);
    expect(history.items[1]!.decision).toMatchObject({ initialCheckDecision: 'pass' });
    expect(history.items[0]!.decision).toEqual(sent.Task_CostReview);
    expect(history.items.map((i) => new Date(i.completionDate).toISOString())).toEqual([
      '2026-11-27T03:30:00.000Z',
      '2026-11-27T02:30:00.000Z',
      '2026-11-27T02:00:00.000Z',
    ]);
  });

  it('shows the task’s variables without identity, amounts or decisions', async () => {
    const key = await openTask('expert', 'Task_ExpertReview');
    const res = await get('expert', `/api/tasks/${key}/variables`);
    expect(res.statusCode, res.body).toBe(200);
    const names = (res.json().variables as Array<{ name: string }>).map((v) => v.name);
    expect(names).toContain('projectName');
    for (const hidden of [
      'projectId',
      'tenantId',
      'totalInvestment',
      'initialCheckDecision',
      'costReviewPassed',
    ])
      expect(names).not.toContain(hidden);
  });

  it('hides both from whoever may not read the task', async () => {
    const key = await openTask('expert', 'Task_ExpertReview');
    for (const who of ['finance', 'jiaoyu.staff', 'cost.reviewer']) {
      expect((await get(who, `/api/tasks/${key}/history`)).statusCode, who).toBe(404);
      expect((await get(who, `/api/tasks/${key}/variables`)).statusCode, who).toBe(404);
    }
  });
});

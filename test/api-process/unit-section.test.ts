// G-6 from the users' seats: a Unit's application goes to the Bureau only after the Unit's 责任科室 has approved what
// its staff prepared. gongan.staff submits; the task 责任科室审核立项申请 is gongan.section's alone (the staff, the
// Bureau's reviewer and another Unit's section, jiaoyu.section, neither list nor open it); the section sends it back
// with a reason, the staff revises through 按责任科室意见修改申请 and the revision is back with the section, which
// approves; only then is 初核 in the Bureau's inbox, with the revised plan. Every completion is form-js's own
// submission of the task's form (test/forms/form-js.ts), posted through /api as the task page posts it. A one-person
// Unit: one account holding both Unit roles prepares and signs off, each step still its own recorded act.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/auth/passwords.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { PASSWORD, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
interface TaskDetail {
  form: { formId: string; schema: Data };
  variables: Data;
}

const ACCOUNTS = ['gongan.staff', 'gongan.section', 'jiaoyu.section', 'bureau.reviewer', 'audit'];

describe('G-6: the Unit’s 责任科室 signs off its staff’s application before it goes to the Bureau', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  const seen = new Set<string>();

  const inbox = async (who: string) => {
    const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Data[];
  };
  const fresh = (projectId: string, elementId: string) => (i: Data) =>
    i.elementId === elementId && i.projectId === projectId && !seen.has(String(i.userTaskKey));
  const openTask = async (who: string, projectId: string, elementId: string) => {
    const items = await until(
      () => inbox(who),
      (x) => x.some(fresh(projectId, elementId)),
    );
    const key = String(items.find(fresh(projectId, elementId))!.userTaskKey);
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as TaskDetail) };
  };
  /** `who` completes the task with form-js's submission of the form filled with `choices`; returns what was sent. */
  const complete = async (who: string, task: { key: string } & TaskDetail, choices: Data) => {
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${task.form.formId} as ${who}: ${res.body}`).toBe(200);
    seen.add(task.key);
    return submitted.data;
  };
  const submit = async (who: string, name: string) => {
    const created = await s.api(t[who]!, 'POST', '/api/projects', professionalDraft({ projectName: name }));
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id as string;
    const res = await s.api(t[who]!, 'POST', `/api/projects/${projectId}/submit`);
    expect(res.statusCode, res.body).toBe(201);
    return projectId;
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    // A Unit of one person: the operator gives the one account both Unit roles (accounts are kept in the store).
    await s.store.transaction(async (tx) => {
      await createAccount(tx, {
        tenantId: 'yunfu',
        username: 'jiaoyu.solo',
        displayName: '市教育局信息化专员（经办兼责任科室）',
        roles: ['unit-staff', 'unit-section'],
        unitId: 'jiaoyu',
        passwordHash: await hashPassword(PASSWORD),
      });
    });
    for (const name of [...ACCOUNTS, 'jiaoyu.solo']) t[name] = await s.login(name);
    const plan = await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
    expect(plan.statusCode, plan.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('the section sends the application back with a reason; the revision returns to it; approved, it reaches 初核', async () => {
    const projectId = await submit('gongan.staff', '云浮市智慧警务综合平台');
    const review = await openTask('gongan.section', projectId, 'Task_SectionReview');
    expect(review.form.formId).toBe('unit-section-review');
    expect(review.variables).toMatchObject({ projectId, projectName: '云浮市智慧警务综合平台' });
    // Only the Unit's own section sees it: not the staff who prepared it, not the Bureau, not another Unit's section.
    for (const who of ['gongan.staff', 'bureau.reviewer', 'jiaoyu.section']) {
      expect((await inbox(who)).some((i) => i.userTaskKey === review.key)).toBe(false);
    }
    for (const who of ['gongan.staff', 'jiaoyu.section']) {
      expect((await s.api(t[who]!, 'GET', `/api/tasks/${review.key}`)).statusCode, who).toBe(404);
      const taken = await s.api(t[who]!, 'POST', `/api/tasks/${review.key}/complete`, {
        variables: { sectionDecision: 'approve', sectionOpinion: '同意' },
      });
      expect(taken.statusCode, `${who}: ${taken.body}`).toBe(404);
    }
    // The form requires a decision and an opinion: an empty completion is refused naming the fields.
    const empty = await s.api(t['gongan.section']!, 'POST', `/api/tasks/${review.key}/complete`, {
      variables: {},
    });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.body).toContain('sectionDecision');

    const reason = '方案概述未说明与现有警务平台的关系，请补充后再报。';
    const returned = await complete('gongan.section', review, {
      sectionDecision: 'return',
      sectionOpinion: reason,
    });
    expect(returned).toMatchObject({ sectionDecision: 'return', sectionOpinion: reason });

    // Back with the staff who prepared it, with the section's reason; the Bureau still has nothing.
    const revise = await openTask('gongan.staff', projectId, 'Task_ReviseForSection');
    expect(revise.form.formId).toBe('revise-for-section');
    expect(revise.variables.sectionOpinion).toBe(reason);
    expect((await inbox('bureau.reviewer')).some((i) => i.projectId === projectId)).toBe(false);
    const revisedPlan = '建设警情研判与视频联网应用，复用现有警务云平台的数据与身份认证，不重复建设。';
    const sent = await complete('gongan.staff', revise, {
      planSummary: revisedPlan,
      sectionRevisionNote: '已补充与现有警务平台的关系',
    });
    expect(sent.planSummary).toBe(revisedPlan);

    // The revision is back with the section, which sees the note and the revised plan, and approves.
    const again = await openTask('gongan.section', projectId, 'Task_SectionReview');
    expect(again.key).not.toBe(review.key);
    expect(again.variables).toMatchObject({
      planSummary: revisedPlan,
      sectionRevisionNote: '已补充与现有警务平台的关系',
    });
    await complete('gongan.section', again, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });

    const check = await openTask('bureau.reviewer', projectId, 'Task_InitialCheck');
    expect(check.variables).toMatchObject({ planSummary: revisedPlan });
    // Audit reads who decided what: the section's two decisions and the staff's revision, under their own accounts.
    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
      role: string | null;
      payload: Data;
    }>;
    const completions = log.filter((e) => e.action === 'task.complete').map((e) => e.role);
    expect(completions).toEqual(['unit-section', 'unit-staff', 'unit-section']);
  }, 240_000);

  it('a one-person Unit: the account holding both Unit roles prepares, then signs off as the section', async () => {
    const projectId = await submit('jiaoyu.solo', '云浮市智慧教育资源平台');
    const review = await openTask('jiaoyu.solo', projectId, 'Task_SectionReview');
    expect((await inbox('gongan.section')).some((i) => i.userTaskKey === review.key)).toBe(false);
    await complete('jiaoyu.solo', review, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });
    await openTask('bureau.reviewer', projectId, 'Task_InitialCheck');
    // The auditors see that the one person signed off as the section: the step, the decision and both roles.
    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
      role: string | null;
      payload: Data;
    }>;
    const signedOff = log.filter((e) => e.action === 'task.complete');
    expect(signedOff).toHaveLength(1);
    expect(signedOff[0]!.role).toBe('unit-staff,unit-section');
    expect(signedOff[0]!.payload).toMatchObject({
      elementId: 'Task_SectionReview',
      variables: { sectionDecision: 'approve', sectionOpinion: '同意报送。' },
    });
  }, 240_000);
});

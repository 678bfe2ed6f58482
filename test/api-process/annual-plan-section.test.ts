// G-6 and P-1 for the annual plan, from the users' seats: while the campaign (annual-plan-filing) is open, gongan.staff
// prepares the 2027 plan with what the Plans page posts (POST /api/annual-plans), which completes the campaign's task
// and hands the plan to the Unit's 责任科室; nothing is filed yet. gongan.section sends it back with a reason, the staff
// revises it through its 按责任科室意见修改年度规划 task, the section approves: only then is it numbered, on time, and the
// Bureau's campaign board shows it. Another Unit's section (jiaoyu.section) neither lists nor opens the sign-off.
// jiaoyu's staff prepares in time through the campaign task, but its section approves only after 30 November: the
// overdue escalation fired meanwhile and the filing is late. Every task completion is form-js's own submission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { formTasks } from './form-tasks.ts';
import { type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

const ACCOUNTS = ['gongan.staff', 'gongan.section', 'jiaoyu.staff', 'jiaoyu.section', 'bureau.admin'];
/** What the Plans page posts (src/app/pages/public/views/plans.js). */
const PAGE_BODY = {
  planYear: 2027,
  summary: '2027 年度警务信息化规划：警务云扩容与视频联网',
  contactName: '公安局经办人',
  contactPhone: '0766-8888001',
  projects: [
    { name: '警务云扩容', estimatedAmount: 1_200_000 },
    { name: '视频联网平台', estimatedAmount: 800_000 },
  ],
};

describe('G-6 / P-1: the annual plan goes out only after the Unit’s 责任科室 signed it off', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};

  const relogin = async () => {
    for (const name of ACCOUNTS) t[name] = await s.login(name);
  };
  const { inbox, openTask, complete, done } = formTasks(() => ({ s, formJs }), t);
  const plans = async (who: string) =>
    (await s.api(t[who]!, 'GET', '/api/annual-plans?planYear=2027')).json() as Data[];
  const board = async () => {
    const res = await s.api(t['bureau.admin']!, 'GET', '/api/ops/campaigns/2027');
    expect(res.statusCode, res.body).toBe(200);
    const units = res.json().units as Array<{ unitId: string; status: string; daysLate: number }>;
    return Object.fromEntries(units.map((u) => [u.unitId, u]));
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-20T02:00:00Z' });
    await relogin();
    // P-1: the Bureau opens the 2027 campaign (Event_CampaignManual, as from Camunda's tools).
    await s.client.createProcessInstance({
      processDefinitionId: 'annual-plan-filing',
      variables: { planYear: 2027 },
    } as never);
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('the staff prepares through the Plans page, the section returns it with a reason, the staff revises, the section approves: filed on time', async () => {
    const prepare = await openTask('gongan.staff', 'Task_FileAnnualPlan');
    expect(prepare.form.formId).toBe('file-annual-plan');
    // The page's post completes the campaign's task; without a contact phone it is refused naming the field.
    const { contactPhone: _, ...noPhone } = PAGE_BODY;
    const refused = await s.api(t['gongan.staff']!, 'POST', '/api/annual-plans', noPhone);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().errors.map((e: Data) => e.field)).toEqual(['contactPhone']);
    const posted = await s.api(t['gongan.staff']!, 'POST', '/api/annual-plans', PAGE_BODY);
    expect(posted.statusCode, posted.body).toBe(202);
    expect(posted.json()).toMatchObject({ status: 'awaiting-section', planYear: 2027, unitId: 'gongan' });
    expect(posted.json().userTaskKey).toBe(prepare.key);
    done.add(prepare.key);
    // Nothing is filed yet; a second post while the section holds it is refused.
    expect(await plans('gongan.staff')).toEqual([]);
    const twice = await s.api(t['gongan.staff']!, 'POST', '/api/annual-plans', PAGE_BODY);
    expect(twice.statusCode, twice.body).toBe(409);
    expect(twice.json().errors[0].field).toBe('planYear');

    const review = await openTask('gongan.section', 'Task_SectionReviewAnnualPlan');
    expect(review.form.formId).toBe('unit-section-annual-plan-review');
    expect(review.variables).toMatchObject({
      planSummary: PAGE_BODY.summary,
      plannedProjects: '警务云扩容：1200000元\n视频联网平台：800000元',
      estimatedTotalAmount: 2_000_000,
      contactPhone: '0766-8888001',
    });
    // Only gongan's section: its staff and another Unit's section neither list, open nor complete it.
    for (const who of ['gongan.staff', 'jiaoyu.section']) {
      expect(
        (await inbox(who)).some((i) => i.userTaskKey === review.key),
        who,
      ).toBe(false);
      expect((await s.api(t[who]!, 'GET', `/api/tasks/${review.key}`)).statusCode, who).toBe(404);
      const taken = await s.api(t[who]!, 'POST', `/api/tasks/${review.key}/complete`, {
        variables: { sectionDecision: 'approve', sectionOpinion: '同意' },
      });
      expect(taken.statusCode, `${who}: ${taken.body}`).toBe(404);
    }
    const reason = '拟申报项目缺少估算依据，请补充后再报。';
    await complete('gongan.section', review, { sectionDecision: 'return', sectionOpinion: reason });

    const revise = await openTask('gongan.staff', 'Task_ReviseAnnualPlan');
    expect(revise.form.formId).toBe('revise-annual-plan');
    expect(revise.variables.sectionOpinion).toBe(reason);
    expect(await plans('gongan.staff')).toEqual([]);
    expect((await board()).gongan!.status).toBe('pending');
    const revisedSummary = '2027 年度警务信息化规划（附估算依据）';
    await complete('gongan.staff', revise, { planSummary: revisedSummary });

    const again = await openTask('gongan.section', 'Task_SectionReviewAnnualPlan');
    expect(again.key).not.toBe(review.key);
    expect(again.variables.planSummary).toBe(revisedSummary);
    await complete('gongan.section', again, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });

    const [filed] = await until(
      () => plans('gongan.staff'),
      (x) => x.length === 1,
    );
    expect(filed).toMatchObject({ unitId: 'gongan', planYear: 2027, summary: revisedSummary, onTime: true });
    expect(String(filed!.filingNumber)).toMatch(/^云政数备〔2026〕\d+号$/);
    expect((await board()).gongan).toMatchObject({ status: 'on-time', filingNumber: filed!.filingNumber });
    // Another Unit sees nothing of it; gongan's plan cannot be handed on again.
    expect(await plans('jiaoyu.section')).toEqual([]);
    const after = await s.api(t['gongan.staff']!, 'POST', '/api/annual-plans', PAGE_BODY);
    expect(after.statusCode, after.body).toBe(409);
    expect(after.json().detail).toContain(String(filed!.filingNumber));
  }, 120_000);

  it('a plan prepared in time but signed off after 30 November goes out late, after the escalation', async () => {
    const prepare = await openTask('jiaoyu.staff', 'Task_FileAnnualPlan');
    await complete('jiaoyu.staff', prepare, { planSummary: '2027 年度教育信息化规划' });
    const review = await openTask('jiaoyu.section', 'Task_SectionReviewAnnualPlan');
    // 2 December: the plan is still with the section, so the deadline passed without it going out.
    await s.setClock('2026-12-02T02:00:00Z');
    await relogin();
    expect((await board()).jiaoyu!.status).toBe('overdue');
    await until(
      () => inbox('bureau.admin'),
      (x) => x.some((i) => i.elementId === 'Task_FollowUpOverdueFiling'),
    );
    await complete('jiaoyu.section', review, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });
    const [filed] = await until(
      () => plans('jiaoyu.section'),
      (x) => x.length === 1,
    );
    expect(filed).toMatchObject({ unitId: 'jiaoyu', onTime: false, daysLate: 2 });
    expect((await board()).jiaoyu).toMatchObject({ status: 'late', daysLate: 2 });
  }, 120_000);
});

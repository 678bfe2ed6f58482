// G-6 for filings, from the users' seats: a change, delay or termination filing (IM-8, IM-9) that gongan.staff raises
// through /api reaches the Bureau (and, for a termination, Finance) only after the Unit's 责任科室, gongan.section,
// has approved it. The sign-off task is the section's alone: the staff who filed, the Bureau's reviewer and another
// Unit's section (jiaoyu.section) neither list nor open nor complete it. The section sends each filing back with a
// reason; the staff revises it through its own 按责任科室意见修改… task and it is back with the section, which
// approves; only then does the registration task appear, with the revised text. Every completion is form-js's own
// submission of the task's form, posted through /api as the task page posts it. The termination an administrator's
// cancel becomes skips the section; a one-person Unit (weijian.solo, both Unit roles) files and signs off itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { formTasks } from './form-tasks.ts';
import { TO_PRE_ACCEPTANCE } from './lifecycle-steps.ts';
import { professionalDraft, type Stack, startStack } from './stack.ts';

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'jiaoyu.section',
  'bureau.reviewer',
  'bureau.admin',
  'cost.reviewer',
  'expert',
  'finance',
  'citygov',
  'supervisor',
  'audit',
];
/** Every step up to the signed contract and the engaged 监理: the project is being implemented. */
const TO_IMPLEMENTATION = TO_PRE_ACCEPTANCE.slice(
  0,
  TO_PRE_ACCEPTANCE.findIndex(([, elementId]) => elementId === 'Task_EngageSupervisor') + 1,
);

/** Each kind of filing: what the staff files, what it changes when sent back, where it goes once approved. */
const KINDS = [
  {
    kind: 'change',
    element: 'ChangeFiling',
    filed: { changeDescription: '增加移动端警务应用', changeReason: '公安部新要求' },
    revised: { changeDescription: '增加移动端警务应用（仅限内网终端）' },
    registrations: [['bureau.reviewer', 'Task_RegisterChangeFiling']],
  },
  {
    kind: 'delay',
    element: 'DelayFiling',
    filed: { delayReason: '设备到货延迟', requestedDeliveryDate: '2027-09-30T18:00:00+08:00' },
    revised: { delayReason: '设备到货延迟（供货合同第五条，附到货证明）' },
    registrations: [['bureau.reviewer', 'Task_RegisterDelayFiling']],
  },
  {
    kind: 'termination',
    element: 'TerminationFiling',
    filed: { terminationReason: '供应商无法履约' },
    revised: { terminationReason: '供应商无法履约，依合同第九条解除' },
    registrations: [
      ['bureau.reviewer', 'Task_RegisterTerminationWithBureau'],
      ['finance', 'Task_RegisterTerminationWithFinance'],
    ],
  },
] as const;

describe('G-6: the Unit’s 责任科室 signs off change, delay and termination filings before they go out', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  let projectId = '';
  // the project of the test under way: its tasks only
  const { inbox, openTask, complete } = formTasks(
    () => ({ s, formJs }),
    t,
    (i) => i.projectId === projectId,
  );
  /** Whether anyone's inbox of `who` lists an open task of this project at `elementId`. */
  const lists = async (who: string, elementId: string) =>
    (await inbox(who)).some((i) => i.projectId === projectId && i.elementId === elementId);

  /**
   * A new project of the Unit (gongan's by default), submitted and walked to implementation; it becomes `projectId`.
   * `unit` names the account that does the Unit's steps, staff's and section's alike.
   */
  const implementing = async (name: string, unit?: string) => {
    const staff = unit ?? 'gongan.staff';
    const created = await s.api(t[staff]!, 'POST', '/api/projects', professionalDraft({ projectName: name }));
    expect(created.statusCode, created.body).toBe(201);
    projectId = created.json().project.id as string;
    const submitted = await s.api(t[staff]!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    for (const [step, elementId, choices] of TO_IMPLEMENTATION) {
      const who = unit && step.startsWith('gongan.') ? unit : step;
      await complete(who, await openTask(who, elementId), choices);
    }
    return String(submitted.json().processInstanceKey);
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [...ACCOUNTS, 'weijian.solo']) t[name] = await s.login(name);
    for (const [who, summary] of [
      ['gongan.section', '2027 年度警务信息化规划'],
      ['weijian.solo', '2027 年度卫生健康信息化规划'],
    ] as const) {
      const plan = await s.api(t[who]!, 'POST', '/api/annual-plans', { planYear: 2027, summary });
      expect(plan.statusCode, plan.body).toBe(201);
    }
    await implementing('云浮市智慧警务综合平台');
  }, 240_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it.each(KINDS)(
    'a $kind filing: sent back by the section, revised by the staff, approved, then registered',
    async (k) => {
      const filed = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/filings`, {
        kind: k.kind,
        ...k.filed,
      });
      expect(filed.statusCode, filed.body).toBe(202);
      const review = await openTask('gongan.section', `Task_SectionReview${k.element}`);
      expect(review.form.formId).toBe('unit-section-filing-review');
      expect(review.variables).toMatchObject({ projectId, sectionFilingKind: k.kind, ...k.filed });
      // Only the Unit's own section sees it; the Bureau and Finance have nothing to register yet.
      for (const who of ['gongan.staff', 'bureau.reviewer', 'jiaoyu.section']) {
        expect(
          (await inbox(who)).some((i) => i.userTaskKey === review.key),
          who,
        ).toBe(false);
      }
      for (const who of ['gongan.staff', 'jiaoyu.section']) {
        expect((await s.api(t[who]!, 'GET', `/api/tasks/${review.key}`)).statusCode, who).toBe(404);
        const taken = await s.api(t[who]!, 'POST', `/api/tasks/${review.key}/complete`, {
          variables: { sectionDecision: 'approve', sectionOpinion: '同意' },
        });
        expect(taken.statusCode, `${who}: ${taken.body}`).toBe(404);
      }
      for (const [who, elementId] of k.registrations)
        expect(await lists(who, elementId), elementId).toBe(false);
      // The form requires the decision and the opinion: an empty completion is refused naming the field.
      const empty = await s.api(t['gongan.section']!, 'POST', `/api/tasks/${review.key}/complete`, {
        variables: {},
      });
      expect(empty.statusCode, empty.body).toBe(400);
      expect(empty.body).toContain('sectionDecision');

      const reason = '理由须写明依据，请补充后再报。';
      await complete('gongan.section', review, { sectionDecision: 'return', sectionOpinion: reason });
      const revise = await openTask('gongan.staff', `Task_Revise${k.element}`);
      expect(revise.form.formId).toBe(`revise-${k.kind}-filing`);
      expect(revise.variables.sectionOpinion).toBe(reason);
      expect(await lists('gongan.section', `Task_SectionReview${k.element}`)).toBe(false);
      const sent = await complete('gongan.staff', revise, k.revised);
      expect(sent).toMatchObject(k.revised);

      const again = await openTask('gongan.section', `Task_SectionReview${k.element}`);
      expect(again.key).not.toBe(review.key);
      expect(again.variables).toMatchObject(k.revised);
      await complete('gongan.section', again, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });

      // Only now does the filing reach the Bureau (and Finance), with the revised text.
      for (const [who, elementId] of k.registrations) {
        const registration = await openTask(who, elementId);
        expect(registration.variables).toMatchObject(k.revised);
      }
      const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
        action: string;
        role: string | null;
        payload: { elementId?: string };
      }>;
      const steps = log
        .filter((e) => e.action === 'task.complete')
        .slice(-3)
        .map((e) => e.role);
      expect(steps).toEqual(['unit-section', 'unit-staff', 'unit-section']);
    },
    120_000,
  );

  it('a termination started by an administrator’s cancel (IM-9) skips the section: Bureau and Finance at once', async () => {
    const lifecycleKey = await implementing('云浮市警务视频联网平台');
    const res = await s.api(t['bureau.admin']!, 'POST', `/api/ops/instances/${lifecycleKey}/cancel`, {
      reason: '上级统一建设，本项目不再实施',
    });
    expect(res.statusCode, res.body).toBe(200);
    await openTask('bureau.reviewer', 'Task_RegisterTerminationWithBureau');
    await openTask('finance', 'Task_RegisterTerminationWithFinance');
    expect(await lists('gongan.section', 'Task_SectionReviewTerminationFiling')).toBe(false);
  }, 240_000);

  it('a one-person Unit: weijian.solo files a change, then signs it off as the section; it reaches the Bureau', async () => {
    await implementing('云浮市全民健康信息平台', 'weijian.solo');
    const filed = await s.api(t['weijian.solo']!, 'POST', `/api/projects/${projectId}/filings`, {
      kind: 'change',
      changeDescription: '增加电子健康码互认',
      changeReason: '省卫生健康委新要求',
    });
    expect(filed.statusCode, filed.body).toBe(202);
    const review = await openTask('weijian.solo', 'Task_SectionReviewChangeFiling');
    expect(await lists('gongan.section', 'Task_SectionReviewChangeFiling')).toBe(false);
    await complete('weijian.solo', review, { sectionDecision: 'approve', sectionOpinion: '同意报送。' });
    await openTask('bureau.reviewer', 'Task_RegisterChangeFiling');
    // The audit trail shows the one person filing, then signing off in the section's step with both roles.
    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
      role: string | null;
    }>;
    const last = log.filter((e) => ['project.change-filing', 'task.complete'].includes(e.action)).slice(-2);
    expect(last.map((e) => e.action)).toEqual(['project.change-filing', 'task.complete']);
    expect(last[1]!.role).toContain('unit-section');
  }, 240_000);
});

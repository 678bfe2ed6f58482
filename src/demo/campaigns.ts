// The annual plan campaigns of the demo data set (P-1, G-6): each Unit's staff prepares its plan, its 责任科室 signs
// it off, the late ones after the deadline with the Bureau's follow-up.

import { DAY, type DemoUnit, type Plan, plannedOf } from './plan.ts';
import { DEMO_CITY_UNITS } from './units.ts';

/** An annual plan campaign of the data set: the year planned, when it opens, how many Units file late or at all. */
export interface Campaign {
  planYear: number;
  opens: string;
  lateUnits: number;
  filedUntil: number;
}

/**
 * P-1: last year's campaign, with four late filings chased by the Bureau; this year's, still open for a fifth of the
 * Units. (The clock must start before 10 October of last year: `npm run demo` starts it 420 days before now.)
 */
export function campaignsOf(year: number): Campaign[] {
  return [
    { planYear: year, opens: `${year - 1}-10-10T09:00:00`, lateUnits: 4, filedUntil: DEMO_CITY_UNITS.length },
    {
      planYear: year + 1,
      opens: `${year}-10-10T09:00:00`,
      lateUnits: 0,
      filedUntil: Math.round(DEMO_CITY_UNITS.length * 0.8),
    },
  ];
}

/**
 * When Unit `i`'s staff prepares its plan in campaign `c`, and when its 责任科室 signs it off (the plan's filing
 * number is given then): the next day, two hours later once past the deadline, and after one return and revision for
 * every tenth Unit. Null: the Unit has not filed.
 */
export function filingOf(
  plan: Plan,
  c: Campaign,
  i: number,
): { prepared: number; signed: number; step: number } | null {
  const late = i >= DEMO_CITY_UNITS.length - c.lateUnits;
  if (!late && i >= c.filedUntil) return null;
  const deadline = plan.at(`${c.planYear - 1}-11-30T18:00:00`);
  const prepared = late
    ? deadline + (3 + i - (DEMO_CITY_UNITS.length - c.lateUnits)) * DAY
    : plan.at(c.opens) + (7 + (i % 40)) * DAY;
  const step = prepared > deadline ? 2 * 3_600_000 : DAY / 3;
  return { prepared, signed: prepared + (i % 10 === 3 ? 3 : 1) * step, step };
}

/**
 * The data set plays the city's campaign: the daily opening check opens one for every tenant with Units (P-1, SU-3),
 * and a county's Unit may share a city Unit's id (新兴县公安局, `gongan`).
 */
function ofCity(v: Record<string, unknown>): boolean {
  return (v.tenantId ?? 'yunfu') === 'yunfu';
}

/** One annual plan campaign (P-1): the Units file, the late ones after the deadline with the Bureau's follow-up. */
export function campaign(plan: Plan, c: Campaign): void {
  const { at, act, completeTask } = plan;
  const { planYear } = c;
  // The campaign opens by itself: the model's daily opening check starts it on 10 October, the edition's
  // campaignOpens, as the clock passes 09:00 that day (nothing else is done then).
  act(at(c.opens) + 60_000, `${planYear} 年度规划备案开放`, async () => {});
  DEMO_CITY_UNITS.forEach((u, i) => {
    const filing = filingOf(plan, c, i);
    if (!filing) return; // this year's campaign: these Units have not filed yet
    const planned = {
      planSummary: `${u.name}${planYear}年度政务信息化规划`,
      ...plannedOf(u),
      contactName: `${u.section}联系人`,
      contactPhone: `0766-88${String(1000 + i)}`,
    };
    act(filing.prepared, `${u.name} 报送 ${planYear} 年度规划`, () =>
      completeTask(
        'Task_FileAnnualPlan',
        (v, t) => v.planYear === planYear && ofCity(v) && t.candidateGroups.includes(`unit-${u.id}`),
        planned,
        `${u.name} annual plan ${planYear}`,
      ),
    );
    signOff(plan, planYear, u, i, filing, planned);
    if (i >= DEMO_CITY_UNITS.length - c.lateUnits) {
      act(at(`${planYear - 1}-12-01T10:00:00`) + i * 60_000, `督办 ${u.name} 逾期备案`, () =>
        completeTask(
          'Task_FollowUpOverdueFiling',
          // the follow-up's Unit is local to its branch of the campaign: take the campaign's next open one
          (v) => v.planYear === planYear && ofCity(v),
          { followUpNote: '已电话督办，单位承诺三日内报送' },
          `follow-up ${u.id}`,
        ),
      );
    }
  });
}

/**
 * G-6: the Unit's 责任科室 signs off what its staff prepared, the next day (two hours later for a late one, already
 * past the deadline); every tenth Unit's plan goes back once with a reason and is revised before the approval.
 */
function signOff(
  plan: Plan,
  planYear: number,
  u: DemoUnit,
  i: number,
  { prepared, step }: { prepared: number; step: number },
  planned: Record<string, unknown>,
) {
  const { act, completeTask } = plan;
  const mine = (v: Record<string, unknown>, t: { candidateGroups: string[] }) =>
    v.planYear === planYear &&
    ofCity(v) &&
    (t.candidateGroups.includes(`unit-section-${u.id}`) || t.candidateGroups.includes(`unit-${u.id}`));
  const review = (decision: 'approve' | 'return', opinion: string) => () =>
    completeTask(
      'Task_SectionReviewAnnualPlan',
      mine,
      { sectionDecision: decision, sectionOpinion: opinion },
      `${u.id} section ${planYear}`,
    );
  if (i % 10 === 3) {
    act(
      prepared + step,
      `${u.section}退回 ${u.name} ${planYear} 年度规划`,
      review('return', '请补充拟申报项目的估算依据'),
    );
    act(prepared + 2 * step, `${u.name} 修改 ${planYear} 年度规划`, () =>
      completeTask(
        'Task_ReviseAnnualPlan',
        mine,
        { ...planned, planSummary: `${u.name}${planYear}年度政务信息化规划（补充估算依据）` },
        `${u.id} revise ${planYear}`,
      ),
    );
    act(
      prepared + 3 * step,
      `${u.section}同意 ${u.name} ${planYear} 年度规划`,
      review('approve', '同意报送'),
    );
    return;
  }
  act(prepared + step, `${u.section}同意 ${u.name} ${planYear} 年度规划`, review('approve', '同意报送'));
}

// P-1: a Unit's next-year plan filed with the Bureau before 30 November (Asia/Shanghai, inclusive): numbered,
// marked on time or late; the Bureau sees every Unit's plans, a Unit only its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, problemOf, startHarness } from './harness.ts';

describe('annual plans (P-1)', () => {
  let h: Harness;
  const t: Record<string, string> = {};
  const file = (token: string, payload: object) =>
    h.app.inject({ method: 'POST', url: '/api/annual-plans', headers: h.as(token), payload });

  beforeAll(async () => {
    // the tests move the clock by months: sessions that outlive them
    h = await startHarness({ sessionTtlMs: 365 * 24 * 3600_000 });
    for (const name of [
      'gongan.staff',
      'gongan.section',
      'jiaoyu.staff',
      'jiaoyu.section',
      'bureau.reviewer',
      'finance',
      'gongan.leader',
    ])
      t[name] = await h.login(name);
  });
  afterAll(async () => {
    await h.close();
  });

  it('files at 23:59:59 on 30 November (Shanghai) on time, for next year, with a 备案 number', async () => {
    h.clock.now = new Date('2026-11-30T15:59:59.000Z');
    // G-6: outside a campaign the Unit's 责任科室 files the plan itself (the campaign's path: annual-plan-section.test.ts)
    const res = await file(t['gongan.section']!, {
      summary: '2027年度信息化建设规划',
      projects: [{ name: '警务云扩容', estimatedAmount: 1_200_000, category: 'professional' }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      unitId: 'gongan',
      planYear: 2027,
      onTime: true,
      daysLate: 0,
      deadline: '2026-11-30T23:59:59.999+08:00',
      filingNumber: '云政数备〔2026〕1号',
      content: { projects: [{ name: '警务云扩容', estimatedAmount: 1_200_000, category: 'professional' }] },
    });
  });

  it('files one second later as late, counting the days', async () => {
    h.clock.now = new Date('2026-12-02T16:00:00.000Z'); // 3 December, 00:00 in Shanghai
    const res = await file(t['jiaoyu.section']!, { summary: '教育局2027年度规划' });
    expect(res.json()).toMatchObject({
      planYear: 2027,
      onTime: false,
      daysLate: 3,
      filingNumber: '云政数备〔2026〕2号',
    });
  });

  it('refuses a second filing for the same year (409) and a year out of range (400)', async () => {
    const again = await file(t['gongan.staff']!, { summary: '重复' });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).detail).toContain('云政数备〔2026〕1号');
    const far = await file(t['gongan.staff']!, { summary: 'x', planYear: 2035 });
    expect(far.statusCode).toBe(400);
    expect(problemOf(far).errors?.[0]?.field).toBe('planYear');
    const bad = await file(t['gongan.staff']!, {
      summary: '',
      projects: [{ name: 'x', estimatedAmount: -5 }],
    });
    expect(
      problemOf(bad)
        .errors?.map((e) => e.field)
        .sort(),
    ).toEqual(['projects[0].estimatedAmount', 'summary']);
  });

  it('G-6: outside a campaign the staff cannot file past its 责任科室 (409 naming planYear)', async () => {
    const res = await file(t['jiaoyu.staff']!, { summary: '教育局2026年度规划', planYear: 2026 });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).detail).toContain('责任科室');
    expect(problemOf(res).errors?.[0]?.field).toBe('planYear');
  });

  it('lets only a Unit’s staff or section file (403 for its leadership and for the Bureau)', async () => {
    expect((await file(t['gongan.leader']!, { summary: 'x', planYear: 2026 })).statusCode).toBe(403);
    expect((await file(t['bureau.reviewer']!, { summary: 'x' })).statusCode).toBe(403);
  });

  it('shows the Bureau and Finance every plan, a Unit only its own', async () => {
    const all = (
      await h.app.inject({
        method: 'GET',
        url: '/api/annual-plans?planYear=2027',
        headers: h.as(t['bureau.reviewer']!),
      })
    ).json();
    expect(all.map((p: { unitId: string }) => p.unitId).sort()).toEqual(['gongan', 'jiaoyu']);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/annual-plans', headers: h.as(t.finance!) })).json(),
    ).toHaveLength(2);
    const own = (
      await h.app.inject({ method: 'GET', url: '/api/annual-plans', headers: h.as(t['gongan.staff']!) })
    ).json();
    expect(own.map((p: { unitId: string }) => p.unitId)).toEqual(['gongan']);
    const other = all.find((p: { unitId: string }) => p.unitId === 'jiaoyu');
    const refused = await h.app.inject({
      method: 'GET',
      url: `/api/annual-plans/${other.id}`,
      headers: h.as(t['gongan.staff']!),
    });
    expect(refused.statusCode).toBe(404);
    const filings = (
      await h.app.inject({
        method: 'GET',
        url: '/api/filings?kind=annual-plan',
        headers: h.as(t['gongan.staff']!),
      })
    ).json();
    expect(filings.map((f: { number: string }) => f.number)).toEqual(['云政数备〔2026〕1号']);
  });

  it('补充备案: the section adds to its filed plan, numbered apart; the plan stays; staff 403, others 404', async () => {
    h.clock.now = new Date('2026-12-10T02:00:00.000Z');
    const [plan] = (
      await h.app.inject({
        method: 'GET',
        url: '/api/annual-plans?planYear=2027',
        headers: h.as(t['gongan.section']!),
      })
    ).json() as Array<{ id: string }>;
    const supplement = (token: string, id: string, payload: object) =>
      h.app.inject({
        method: 'POST',
        url: `/api/annual-plans/${id}/supplements`,
        headers: h.as(token),
        payload,
      });
    const body = {
      summary: '补充：视频图像解析平台纳入 2027 年度规划',
      projects: [{ name: '视频图像解析平台', estimatedAmount: 600_000 }],
    };
    const byStaff = await supplement(t['gongan.staff']!, plan!.id, body);
    expect(byStaff.statusCode).toBe(403);
    expect(problemOf(byStaff).detail).toContain('责任科室');
    expect((await supplement(t['jiaoyu.section']!, plan!.id, body)).statusCode).toBe(404);
    expect((await supplement(t['bureau.reviewer']!, plan!.id, body)).statusCode).toBe(403);
    const empty = await supplement(t['gongan.section']!, plan!.id, { summary: '' });
    expect(empty.statusCode).toBe(400);
    expect(problemOf(empty).errors?.map((e) => e.field)).toEqual(['summary']);

    const filed = await supplement(t['gongan.section']!, plan!.id, body);
    expect(filed.statusCode, filed.body).toBe(201);
    // After 30 November: accepted, and said to be after the deadline (P-1 sets only the deadline).
    expect(filed.json()).toMatchObject({
      planId: plan!.id,
      planYear: 2027,
      unitId: 'gongan',
      summary: body.summary,
      content: { projects: body.projects },
      filingNumber: '云政数备〔2026〕3号',
      afterDeadline: true,
    });
    const detail = (
      await h.app.inject({ method: 'GET', url: `/api/annual-plans/${plan!.id}`, headers: h.as(t.finance!) })
    ).json();
    expect(detail).toMatchObject({ filingNumber: '云政数备〔2026〕1号', summary: '2027年度信息化建设规划' });
    expect(detail.supplements.map((x: { filingNumber: string }) => x.filingNumber)).toEqual([
      '云政数备〔2026〕3号',
    ]);
    const kinds = (
      await h.app.inject({ method: 'GET', url: '/api/filings', headers: h.as(t['gongan.staff']!) })
    ).json();
    expect(kinds.map((f: { kindName: string }) => f.kindName)).toEqual([
      '年度信息化规划备案（P-1）',
      '年度信息化规划补充备案（P-1）',
    ]);
    // A plan whose year is over takes no supplement.
    h.clock.now = new Date('2028-01-05T02:00:00.000Z');
    t['gongan.section'] = await h.login('gongan.section'); // a year on: a new session
    const late = await supplement(t['gongan.section']!, plan!.id, body);
    expect(late.statusCode).toBe(409);
    expect(problemOf(late).errors?.map((e) => e.field)).toEqual(['planId']);
  });
});

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
});

// SU-3: a county (新兴县, tenant `xinxing`) runs with its own edition on top of the city's — here one that files the
// annual plan by 15 November and names its own measures; whatever it does not set is the city edition's it builds
// on. From the seats through /api: on 20 November the county's 责任科室 files late while the city's files on time;
// the county's draft is governed by the county edition, the city's by the city's; the pages' vocabulary names both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalDraft } from '../api-process/stack.ts';
import { regulationWithCounty } from '../support/county-regulation.ts';
import { type Harness, startHarness } from './harness.ts';

const COUNTY = {
  id: 'xinxing-2025',
  name: '新兴县县级政务信息化项目管理办法',
  document: '新府办〔2025〕3号',
  basedOn: 'yunfu-2024',
  effectiveFrom: '2025-03-01',
  validUntil: null,
  annualPlanDeadline: '11-15',
};

describe('a county edition on top of the city’s (SU-3)', () => {
  let h: Harness;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({ regulation: regulationWithCounty('xinxing', [COUNTY]) });
    // Friday 20 November 2026, 10:00 in Yunfu and in 新兴县
    h.clock.now = new Date('2026-11-20T02:00:00.000Z');
    t.city = await h.login('gongan.section');
    t.county = await h.login('gongan.section', 'xinxing');
    t.countyStaff = await h.login('gongan.staff', 'xinxing');
    t.cityStaff = await h.login('gongan.staff');
  });
  afterAll(async () => {
    await h.close();
  });

  const file = (token: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/annual-plans',
      headers: h.as(token),
      payload: { planYear: 2027, summary: '2027 年度信息化规划' },
    });

  it('P-1 by the county’s own date: its plan of 20 November is late, the city’s on time', async () => {
    const county = await file(t.county!);
    expect(county.statusCode, county.body).toBe(201);
    expect(county.json()).toMatchObject({
      unitId: 'gongan',
      planYear: 2027,
      onTime: false,
      daysLate: 5,
      deadline: '2026-11-15T23:59:59.999+08:00',
    });
    const city = await file(t.city!);
    expect(city.statusCode, city.body).toBe(201);
    expect(city.json()).toMatchObject({ onTime: true, deadline: '2026-11-30T23:59:59.999+08:00' });
  });

  it('a county draft is governed by the county edition, a city draft by the city’s; the pages name both', async () => {
    const create = (token: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: h.as(token),
        payload: professionalDraft(),
      });
    const county = await create(t.countyStaff!);
    expect(county.statusCode, county.body).toBe(201);
    expect(county.json().project.ruleEdition).toBe('xinxing-2025');
    const city = await create(t.cityStaff!);
    expect(city.statusCode, city.body).toBe(201);
    expect(city.json().project.ruleEdition).toBe('yunfu-2024');
    const vocab = (await h.app.inject({ method: 'GET', url: '/assets/app/vocabulary.json' })).json();
    expect(vocab.ruleEditions['xinxing-2025']).toBe('新府办〔2025〕3号《新兴县县级政务信息化项目管理办法》');
    expect(vocab.ruleEditions['yunfu-2024']).toBe('云府办〔2024〕8号《云浮市市级政务信息化项目管理办法》');
  });
});

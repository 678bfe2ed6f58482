// P-1, SU-2, SU-3: the annual plan campaign opens on the day the edition in force for the tenant says
// (`campaignOpens`), not on a date fixed in the model: annual-plan-filing's daily timer start (09:00 Shanghai) runs
// yunfu.open-annual-plan-campaigns, which starts the next year's campaign for each tenant whose edition opens it.
// A county with its own edition (新兴县, opening 25 September) opens on its own date, the city on 10 October; not
// the day before, and never twice for a tenant and year. From the seats: each Unit's staff finds its 报送年度规划
// task and the notice of the campaign through /api, on the engine's clock as the other campaign tests move it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulationWithCounty } from '../support/county-regulation.ts';
import { type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

const COUNTY = {
  id: 'xinxing-2025',
  name: '新兴县县级政务信息化项目管理办法',
  document: '新府办〔2025〕3号',
  basedOn: 'yunfu-2024',
  effectiveFrom: '2025-03-01',
  validUntil: null,
  campaignOpens: '09-25',
  annualPlanDeadline: '11-15',
};

describe('P-1 / SU-3: the campaign opens on the date of the edition in force for the tenant', () => {
  let s: Stack;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    // Sunday 20 September 2026, 10:00 in Yunfu: before either opening day
    s = await startStack({
      at: '2026-09-20T02:00:00Z',
      regulation: regulationWithCounty('xinxing', [COUNTY]),
    });
    await relogin();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  }, 60_000);
  const relogin = async () => {
    t.city = await s.login('gongan.staff');
    t.county = await s.login('gongan.staff', 'xinxing');
  };

  /** The staff's open 报送年度规划 tasks of the 2027 plan, as the task page lists them. */
  const planTasks = async (token: string) => {
    const res = await s.api(token, 'GET', '/api/tasks?scope=groups');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Data[]).filter((i) => i.elementId === 'Task_FileAnnualPlan');
  };
  const notices = async (token: string) =>
    ((await s.api(token, 'GET', '/api/notifications')).json() as Data[]).filter((n) =>
      String(n.title).startsWith('请报送2027年度政务信息化规划'),
    );
  /** The daily check of the day has run: its instance of annual-plan-filing completed at Event_OpeningChecked. */
  const checkedOn = async (iso: string) => {
    await s.setClock(iso);
    await until(
      async () =>
        (
          await s.client.searchProcessInstances(
            {
              filter: { processDefinitionId: 'annual-plan-filing', state: 'COMPLETED' },
              page: { limit: 1000 },
            } as never,
            { consistency: { waitUpToMs: 0 } },
          )
        ).items as Data[],
      (items) => items.some((i) => Date.parse(String(i.endDate)) >= Date.parse(iso) - 3_600_000),
    );
    // a session does not outlive days of the clock: sign in again, as the staff would that morning
    await relogin();
  };

  it('nobody’s campaign opens before its day; the county’s opens on 25 September, the city’s not yet', async () => {
    await checkedOn('2026-09-24T02:00:00Z');
    expect(await planTasks(t.county!)).toEqual([]);
    expect(await planTasks(t.city!)).toEqual([]);
    await checkedOn('2026-09-25T02:00:00Z');
    const county = await until(
      () => planTasks(t.county!),
      (x) => x.length > 0,
    );
    expect(county).toHaveLength(1);
    expect(
      await until(
        () => notices(t.county!),
        (x) => x.length > 0,
      ),
    ).toHaveLength(1);
    // the county's deadline is its own edition's: 15 November
    expect(String((await notices(t.county!))[0]!.body)).toContain('2026年11月15日');
    expect(await planTasks(t.city!)).toEqual([]);
    expect(await notices(t.city!)).toEqual([]);
  });

  it('the city’s opens on 10 October, not on the 9th; neither opens a second time on the days after', async () => {
    await checkedOn('2026-10-09T02:00:00Z');
    expect(await planTasks(t.city!)).toEqual([]);
    await checkedOn('2026-10-10T02:00:00Z');
    expect(
      await until(
        () => planTasks(t.city!),
        (x) => x.length > 0,
      ),
    ).toHaveLength(1);
    const [notice] = await until(
      () => notices(t.city!),
      (x) => x.length > 0,
    );
    expect(String(notice!.body)).toContain('2026年11月30日');
    // SU-2: no project, so the Bureau as the edition in force today names it (yunfu-2024)
    expect(String(notice!.body)).toContain('向市政务服务和数据管理局报送');
    await checkedOn('2026-10-11T02:00:00Z');
    await checkedOn('2026-10-12T02:00:00Z');
    expect(await planTasks(t.city!)).toHaveLength(1);
    expect(await planTasks(t.county!)).toHaveLength(1);
    expect(await notices(t.city!)).toHaveLength(1);
    expect(await notices(t.county!)).toHaveLength(1);
  });

  it('a campaign the Bureau started by hand claims its year: the opening day starts no second one', async () => {
    await checkedOn('2027-10-09T02:00:00Z');
    const before = (await planTasks(t.city!)).length; // 2027's tasks are still open: nobody filed
    // P-1: the Bureau opens the 2028 campaign a day early (Event_CampaignManual, as from Camunda's tools)
    await s.client.createProcessInstance({
      processDefinitionId: 'annual-plan-filing',
      variables: { tenantId: 'yunfu', planYear: 2028 },
    } as never);
    await until(
      () => planTasks(t.city!),
      (x) => x.length === before + 1,
    );
    await checkedOn('2027-10-10T02:00:00Z');
    await checkedOn('2027-10-11T02:00:00Z');
    expect(await planTasks(t.city!)).toHaveLength(before + 1);
  });
});

// SU-3 end to end: a county (新兴县, tenant `xinxing`) with its own edition — its own measures, its own Bureau, 监理
// from 500,000 元, third-party testing from 700,000 元 and 初核 in 3 working days — walked from the seats through
// /api on the real engine and its workers. The county's application of 600,000 元 needs a 监理 line where the city's
// of the same amount does not; check-application, classification and the deadline worker run with the county
// edition (its `rules` in the instance), so the county reviewer's 初核 is due in 3 working days where the city's is
// due in 5; the project page names the county's Bureau; and the implementation requirements the process will
// decide from those `rules` are the county's (监理 yes, testing no), not the city's (监理 no, testing yes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulationWithCounty } from '../support/county-regulation.ts';
import { type Problem, professionalDraft, type Stack, sectionApproves, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;

const COUNTY = {
  id: 'xinxing-2025',
  name: '新兴县县级政务信息化项目管理办法',
  document: '新府办〔2025〕3号',
  basedOn: 'yunfu-2024',
  effectiveFrom: '2025-03-01',
  validUntil: null,
  bureauName: '新兴县政务服务和数据管理局',
  supervisionThreshold: 500_000,
  testingThreshold: 700_000,
  deadlines: { initialCheck: 3 },
  // G-3: the county's measures also take in projects its province funds
  fundingScope: ['city-fiscal', 'provincial-fiscal'],
};
const SOFTWARE = { serviceType: 'software-development', subType: 'professional-software', amount: 600_000 };
const SUPERVISION = {
  serviceType: 'third-party',
  subType: 'supervision',
  amount: 30_000,
  relatedTo: 'professional-software',
};

describe('SU-3: a county project walked through the workers under the county’s own edition', () => {
  let s: Stack;
  const t: Record<string, string> = {};
  const projects: Record<'county' | 'city', string> = { county: '', city: '' };

  beforeAll(async () => {
    // Friday 27 November 2026, 10:00 in Yunfu and in 新兴县
    s = await startStack({
      at: '2026-11-27T02:00:00Z',
      regulation: regulationWithCounty('xinxing', [COUNTY]),
    });
    for (const [key, username, tenant] of [
      ['countyStaff', 'gongan.staff', 'xinxing'],
      ['countySection', 'gongan.section', 'xinxing'],
      ['countyReviewer', 'bureau.reviewer', 'xinxing'],
      ['cityStaff', 'gongan.staff', 'yunfu'],
      ['citySection', 'gongan.section', 'yunfu'],
      ['cityReviewer', 'bureau.reviewer', 'yunfu'],
    ] as const)
      t[key] = await s.login(username, tenant);
    for (const section of [t.countySection!, t.citySection!]) {
      const plan = await s.api(section, 'POST', '/api/annual-plans', {
        planYear: 2027,
        summary: '2027 年度规划',
      });
      expect(plan.statusCode, plan.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  }, 60_000);

  const draft = async (staff: string, serviceLines: Data[]) => {
    const res = await s.api(staff, 'POST', '/api/projects', professionalDraft({ serviceLines }));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().project.id as string;
  };
  const submit = (staff: string, id: string) => s.api(staff, 'POST', `/api/projects/${id}/submit`);
  const initialCheck = (reviewer: string, projectId: string) =>
    until(
      async () =>
        ((await s.api(reviewer, 'GET', `/api/tasks?projectId=${projectId}`)).json().items ?? []) as Data[],
      (x) => x.some((i) => i.elementId === 'Task_InitialCheck'),
    ).then((x) => x.find((i) => i.elementId === 'Task_InitialCheck')!);

  it('IM-3 by the county’s threshold: 600,000 元 without a 监理 line is refused in the county, not in the city', async () => {
    projects.county = await draft(t.countyStaff!, [SOFTWARE]);
    const refused = await submit(t.countyStaff!, projects.county);
    expect(refused.statusCode, refused.body).toBe(422);
    const issue = (refused.json() as Problem).errors?.find((e) => e.field === 'serviceLines');
    expect(issue?.reason).toContain('达到 500,000 元，必须实行监理');

    projects.city = await draft(t.cityStaff!, [SOFTWARE]);
    expect((await submit(t.cityStaff!, projects.city)).statusCode).toBe(201);

    // the county's Unit adds its 监理 line and the application goes
    const { version } = (await s.api(t.countyStaff!, 'GET', `/api/projects/${projects.county}`)).json();
    const patched = await s.api(t.countyStaff!, 'PATCH', `/api/projects/${projects.county}`, {
      version,
      serviceLines: [SOFTWARE, SUPERVISION],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await submit(t.countyStaff!, projects.county)).statusCode).toBe(201);
  });

  it('the workers run with the county edition: its rules in the instance, its 初核 due in 3 working days', async () => {
    await sectionApproves(s, t.countySection!, projects.county);
    await sectionApproves(s, t.citySection!, projects.city);
    const county = await initialCheck(t.countyReviewer!, projects.county);
    const city = await initialCheck(t.cityReviewer!, projects.city);
    // 3 working days from Friday 27 November: Wednesday 2 December, 18:00 Shanghai; the city's 5: Friday 4 December
    expect(county).toMatchObject({ dueDate: '2026-12-02T10:00:00.000Z', workingDaysLeft: 3, overdue: false });
    expect(city).toMatchObject({ dueDate: '2026-12-04T10:00:00.000Z', workingDaysLeft: 5 });
    // each Bureau reviews its own tenant's projects only
    const cityInbox = (await s.api(t.cityReviewer!, 'GET', '/api/tasks?scope=groups')).json().items as Data[];
    expect(cityInbox.some((i) => i.projectId === projects.county)).toBe(false);

    const rulesOf = async (processInstanceKey: unknown) => {
      const vars = await s.client.searchVariables(
        {
          filter: { processInstanceKey: String(processInstanceKey), name: 'rules' },
          truncateValues: false,
        } as never,
        { consistency: { waitUpToMs: 0 } },
      );
      expect(vars.items, `rules in ${String(processInstanceKey)}`).toHaveLength(1);
      return JSON.parse(vars.items[0]!.value) as Data;
    };
    const countyRules = await rulesOf(county.processInstanceKey);
    expect(countyRules).toMatchObject({
      edition: 'xinxing-2025',
      bureauName: '新兴县政务服务和数据管理局',
      supervisionThreshold: 500_000,
      testingThreshold: 700_000,
    });
    expect(await rulesOf(city.processInstanceKey)).toMatchObject({
      edition: 'yunfu-2024',
      supervisionThreshold: 1_000_000,
      testingThreshold: 500_000,
    });

    // what implementation will decide from those rules (project-implementation#Task_DetermineRequirements)
    const decide = async (rules: Data, totalInvestment: number) => {
      const r = await s.client.evaluateDecision({
        decisionDefinitionId: 'implementation-requirements',
        variables: { rules, totalInvestment, softwareDevCost: 600_000 },
      } as never);
      return JSON.parse((r as unknown as { output: string }).output) as Data;
    };
    expect(await decide(countyRules, 630_000)).toEqual({
      requiresSupervision: true,
      requiresThirdPartyTesting: false,
    });
    expect(await decide(await rulesOf(city.processInstanceKey), 600_000)).toEqual({
      requiresSupervision: false,
      requiresThirdPartyTesting: true,
    });
  });

  it('the project page names the county’s measures and its Bureau', async () => {
    const project = (await s.api(t.countyStaff!, 'GET', `/api/projects/${projects.county}`)).json();
    expect(project).toMatchObject({ ruleEdition: 'xinxing-2025', bureauName: '新兴县政务服务和数据管理局' });
    const city = (await s.api(t.cityStaff!, 'GET', `/api/projects/${projects.city}`)).json();
    expect(city).toMatchObject({ ruleEdition: 'yunfu-2024', bureauName: '市政务服务和数据管理局' });
  });

  it('G-3 by the county’s funding scope: a draft funded by the province alone is the county’s, not the city’s', async () => {
    const provincial = professionalDraft({
      serviceLines: [SOFTWARE],
      fundingLines: [{ source: 'provincial-fiscal', amount: 600_000 }],
    });
    const county = await s.api(t.countyStaff!, 'POST', '/api/projects', provincial);
    expect(county.statusCode, county.body).toBe(201);
    const city = await s.api(t.cityStaff!, 'POST', '/api/projects', provincial);
    expect(city.statusCode, city.body).toBe(422);
    expect((city.json() as Problem).errors).toEqual([
      {
        field: 'fundingLines',
        reason:
          '资金来源为“省级资金”，没有市级财政资金：本办法适用于使用市级财政资金采购的政务信息化服务项目（G-3），该项目不在本系统受理范围。',
      },
    ]);
  });
});

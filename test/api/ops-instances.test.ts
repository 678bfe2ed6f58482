// Issue #15 §2: the administrators' instance list with Operate's filters — process, version, state, active element,
// variable name = value, start/end date, project — paged with the engine's true total, a filter that makes no sense
// refused with a 400 naming its field; only the Bureau's administrators see it; a cross-site request is refused.
// As the Bureau's administrator (bureau.admin) through /api, against the real embedded engine and workers.
// Camunda 8.8 process instance search filter (elementId + elementInstanceState, startDate/endDate with $gte/$lt,
// variables [{ name, value }]) and page.totalItems:
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Problem,
  professionalDraft,
  type Stack,
  sectionApproves,
  startStack,
  until,
} from '../api-process/stack.ts';

type Row = {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  projectId: string | null;
  state: string;
};
type Page = { items: Row[]; total: number; page: number; pageSize: number };

describe('operations: the instance list with Operate’s filters (issue #15 §2)', () => {
  let s: Stack;
  let admin: string;
  const projects: string[] = [];
  const list = async (q: string) => {
    const res = await s.api(admin, 'GET', `/api/ops/instances?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };

  beforeAll(async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    admin = await s.login('bureau.admin');
    const unit = await s.login('gongan.staff');
    const section = await s.login('gongan.section');
    for (const name of ['运维筛选甲', '运维筛选乙', '运维筛选丙']) {
      const id = (await s.api(unit, 'POST', '/api/projects', professionalDraft({ projectName: name }))).json()
        .project.id as string;
      expect((await s.api(unit, 'POST', `/api/projects/${id}/submit`)).statusCode).toBe(201);
      // G-6: the Unit's 责任科室 sends the application on to the Bureau
      await sectionApproves(s, section, id);
      projects.push(id);
    }
    // each project's initiation waits at the Bureau's initial check once the application check ran
    await until(
      () => list('processId=professional-project-initiation&elementId=Task_InitialCheck'),
      (p) => p.total === 3,
    );
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('pages with the engine’s true total: every page adds up to it, none repeats', async () => {
    const first = await list('pageSize=2&page=1');
    expect(first.total).toBeGreaterThanOrEqual(6); // 3 lifecycles + 3 initiations
    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(first.total / 2); page++) {
      for (const r of (await list(`pageSize=2&page=${page}`)).items) seen.add(r.processInstanceKey);
    }
    expect(seen.size).toBe(first.total);
    // the same count the engine gives behind the API's back for this tenant's instances
    const engine = await s.client.searchProcessInstances(
      { filter: { variables: [{ name: 'tenantId', value: '"yunfu"' }] }, page: { limit: 1 } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    expect(Number(engine.page.totalItems)).toBe(first.total);
  });

  it('filters by process and version; a version without a process is a 400 naming `version`', async () => {
    const v1 = await list('processId=professional-project-initiation&version=1');
    expect(v1.total).toBe(3);
    expect(v1.items.every((r) => r.processDefinitionId === 'professional-project-initiation')).toBe(true);
    expect(v1.items.every((r) => r.processDefinitionVersion === 1)).toBe(true);
    expect((await list('processId=professional-project-initiation&version=2')).total).toBe(0);
    const bad = await s.api(admin, 'GET', '/api/ops/instances?version=1');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).errors?.[0]?.field).toBe('version');
  });

  it('filters by the element an instance waits at', async () => {
    const waiting = await list('elementId=Task_InitialCheck');
    expect(waiting.total).toBe(3);
    expect(new Set(waiting.items.map((r) => r.projectId))).toEqual(new Set(projects));
    expect((await list('elementId=Task_CheckApplication')).total).toBe(0);
  });

  it('filters by a variable name = value; a protected variable or a name without a value is refused', async () => {
    const one = await list(`variableName=projectName&variableValue=${encodeURIComponent('运维筛选乙')}`);
    expect(one.total).toBeGreaterThanOrEqual(1);
    expect(one.items.every((r) => r.projectId === projects[1])).toBe(true);
    expect((await list('variableName=projectName&variableValue=nobody')).total).toBe(0);
    const noValue = await s.api(admin, 'GET', '/api/ops/instances?variableName=projectName');
    expect(noValue.statusCode).toBe(400);
    expect((noValue.json() as Problem).errors?.[0]?.field).toBe('variableValue');
    const guarded = await s.api(
      admin,
      'GET',
      '/api/ops/instances?variableName=totalInvestment&variableValue=1',
    );
    expect(guarded.statusCode).toBe(400);
    expect((guarded.json() as Problem).errors?.[0]?.field).toBe('variableName');
  });

  it('filters by the project and by start / end day (Beijing time); the state filters split running from ended', async () => {
    const mine = await list(`projectId=${projects[0]}`);
    expect(mine.total).toBe(2);
    expect(mine.items.every((r) => r.projectId === projects[0])).toBe(true);
    expect((await list('startFrom=2026-11-27&startTo=2026-11-27')).total).toBe((await list('')).total);
    expect((await list('startFrom=2026-11-28')).total).toBe(0);
    expect((await list('startTo=2026-11-26')).total).toBe(0);
    expect((await list('state=ACTIVE')).total).toBe(6);
    expect((await list('state=INCIDENT')).total).toBe(0);
    expect((await list('state=COMPLETED&endFrom=2026-11-27')).total).toBe(0);
    const backwards = await s.api(admin, 'GET', '/api/ops/instances?startFrom=2026-11-28&startTo=2026-11-27');
    expect(backwards.statusCode).toBe(400);
    expect((backwards.json() as Problem).errors?.[0]?.field).toBe('startTo');
  });

  it('refuses malformed input with a 400 naming the field, never a 500', async () => {
    for (const [q, field] of [
      ['state=RUNNING', 'state'],
      ['version=x&processId=a', 'version'],
      ['startFrom=27.11.2026', 'startFrom'],
      ['pageSize=1000', 'pageSize'],
      ['elementId=%3Cscript%3E', 'elementId'],
    ] as const) {
      const res = await s.api(admin, 'GET', `/api/ops/instances?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(JSON.stringify((res.json() as Problem).errors), q).toContain(field);
    }
  });

  it('is for the Bureau’s administrators only', async () => {
    for (const who of ['gongan.staff', 'bureau.reviewer', 'finance', 'audit']) {
      const res = await s.api(await s.login(who), 'GET', '/api/ops/instances');
      expect(res.statusCode, who).toBe(403);
    }
  });
});

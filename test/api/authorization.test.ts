// Who may do what (src/app/authz.ts), proved by requests that must be refused: a Unit sees and changes only its own
// projects; Audit reads everything in its tenant and changes nothing; Finance sees funds and status (SV-2); a tenant
// never sees another tenant's data — 404, not 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft, type Harness, multipart, PDF, problemOf, startHarness } from './harness.ts';

describe('authorisation', () => {
  let h: Harness;
  const t: Record<string, string> = {};
  let gonganProject: string;
  let jiaoyuProject: string;
  let countyProject: string;
  let gonganDoc: string;
  let countyDoc: string;

  const req = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: h.as(token), ...(payload ? { payload } : {}) });
  const upload = (token: string, projectId: string) => {
    const body = multipart('方案.pdf', 'application/pdf', PDF);
    return h.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=project-plan`,
      headers: { ...h.as(token), ...body.headers },
      payload: body.payload,
    });
  };

  beforeAll(async () => {
    h = await startHarness();
    for (const name of [
      'gongan.staff',
      'gongan.leader',
      'jiaoyu.staff',
      'bureau.reviewer',
      'bureau.admin',
      'finance',
      'citygov',
      'audit',
      'expert',
    ]) {
      t[name] = await h.login(name);
    }
    t['xinxing/gongan.staff'] = await h.login('gongan.staff', 'xinxing');
    t['xinxing/audit'] = await h.login('audit', 'xinxing');
    t['xinxing/bureau.admin'] = await h.login('bureau.admin', 'xinxing');
    gonganProject = (await req(t['gongan.staff']!, 'POST', '/api/projects', draft())).json().project.id;
    jiaoyuProject = (
      await req(t['jiaoyu.staff']!, 'POST', '/api/projects', draft({ projectName: '教育项目' }))
    ).json().project.id;
    countyProject = (
      await req(t['xinxing/gongan.staff']!, 'POST', '/api/projects', draft({ projectName: '新兴县项目' }))
    ).json().project.id;
    gonganDoc = (await upload(t['gongan.staff']!, gonganProject)).json().id;
    countyDoc = (await upload(t['xinxing/gongan.staff']!, countyProject)).json().id;
    expect([gonganProject, jiaoyuProject, countyProject, gonganDoc, countyDoc].every(Boolean)).toBe(true);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('a Unit sees and changes only its own projects', () => {
    it('reads its own project, not another Unit’s (404)', async () => {
      expect((await req(t['gongan.staff']!, 'GET', `/api/projects/${gonganProject}`)).statusCode).toBe(200);
      expect((await req(t['gongan.staff']!, 'GET', `/api/projects/${jiaoyuProject}`)).statusCode).toBe(404);
      expect(
        (await req(t['gongan.staff']!, 'GET', `/api/projects/${jiaoyuProject}/history`)).statusCode,
      ).toBe(404);
    });

    it('cannot edit another Unit’s project nor create one for another Unit (404)', async () => {
      const edit = await req(t['gongan.staff']!, 'PATCH', `/api/projects/${jiaoyuProject}`, {
        version: 1,
        projectName: 'x',
      });
      expect(edit.statusCode).toBe(404);
      const forOther = await req(t['gongan.staff']!, 'POST', '/api/projects', draft({ unitId: 'jiaoyu' }));
      expect(forOther.statusCode).toBe(404);
    });

    it('finds only its own projects in searches, whatever the filter, and counts only its own', async () => {
      const mine = (await req(t['gongan.staff']!, 'GET', '/api/projects')).json();
      expect(mine.items.map((p: { unitId: string }) => p.unitId)).toEqual(['gongan']);
      const asked = (await req(t['gongan.staff']!, 'GET', '/api/projects?unitId=jiaoyu')).json();
      expect(asked.total).toBe(0);
      const stats = (await req(t['gongan.staff']!, 'GET', '/api/statistics')).json();
      expect(stats.byUnit.map((r: { key: string }) => r.key)).toEqual(['gongan']);
    });

    it('cannot download or list another Unit’s documents, nor upload to its project (404)', async () => {
      expect((await req(t['jiaoyu.staff']!, 'GET', `/api/documents/${gonganDoc}`)).statusCode).toBe(404);
      expect(
        (await req(t['jiaoyu.staff']!, 'GET', `/api/projects/${gonganProject}/documents`)).statusCode,
      ).toBe(404);
      expect((await upload(t['jiaoyu.staff']!, gonganProject)).statusCode).toBe(404);
    });

    it('its leadership group reads but does not edit the drafts (403)', async () => {
      expect((await req(t['gongan.leader']!, 'GET', `/api/projects/${gonganProject}`)).statusCode).toBe(200);
      const edit = await req(t['gongan.leader']!, 'PATCH', `/api/projects/${gonganProject}`, {
        version: 1,
        projectName: 'x',
      });
      expect(edit.statusCode).toBe(403);
      expect(problemOf(edit).detail).toContain('G-6');
    });

    it('cannot read the audit log or export its own project’s audit package (403)', async () => {
      expect((await req(t['gongan.staff']!, 'GET', '/api/audit-log')).statusCode).toBe(403);
      expect(
        (await req(t['gongan.staff']!, 'GET', `/api/projects/${gonganProject}/audit-export`)).statusCode,
      ).toBe(403);
    });
  });

  describe('Audit reads everything in its tenant and changes nothing (G-8)', () => {
    it('reads every Unit’s projects, documents, the audit log and the export', async () => {
      expect((await req(t.audit!, 'GET', `/api/projects/${jiaoyuProject}`)).json().view).toBe('full');
      expect((await req(t.audit!, 'GET', '/api/projects')).json().total).toBe(2);
      expect((await req(t.audit!, 'GET', `/api/documents/${gonganDoc}`)).statusCode).toBe(200);
      expect((await req(t.audit!, 'GET', '/api/audit-log')).statusCode).toBe(200);
      expect((await req(t.audit!, 'GET', `/api/projects/${gonganProject}/audit-export`)).statusCode).toBe(
        200,
      );
    });

    it('is refused every write (403), and nothing is written', async () => {
      const before = (await req(t.audit!, 'GET', '/api/projects')).json().total;
      const refusals = await Promise.all([
        req(t.audit!, 'POST', '/api/projects', draft({ unitId: 'gongan' })),
        req(t.audit!, 'PATCH', `/api/projects/${gonganProject}`, { version: 1, projectName: '审计改' }),
        req(t.audit!, 'POST', '/api/annual-plans', { summary: 'x' }),
        upload(t.audit!, gonganProject),
      ]);
      for (const r of refusals) {
        expect(r.statusCode).toBe(403);
        expect(problemOf(r).detail).toContain('G-8');
      }
      expect((await req(t.audit!, 'GET', '/api/projects')).json().total).toBe(before);
      expect((await req(t.audit!, 'GET', `/api/projects/${gonganProject}`)).json().name).not.toBe('审计改');
    });
  });

  describe('Finance sees funds and status of every project (SV-2)', () => {
    it('reads every project in the funds view, without the application content', async () => {
      const p = (await req(t.finance!, 'GET', `/api/projects/${jiaoyuProject}`)).json();
      expect(p).toMatchObject({ view: 'funds', totalInvestment: 650_000, stage: 'draft', stageName: '草稿' });
      expect(p).not.toHaveProperty('description');
      expect(p).not.toHaveProperty('hasDataCatalogue');
      const all = (await req(t.finance!, 'GET', '/api/projects')).json();
      expect(all.total).toBe(2);
      expect((await req(t.finance!, 'GET', '/api/statistics')).statusCode).toBe(200);
    });

    it('is refused documents, history and edits (403)', async () => {
      expect((await req(t.finance!, 'GET', `/api/documents/${gonganDoc}`)).statusCode).toBe(403);
      expect((await req(t.finance!, 'GET', `/api/projects/${gonganProject}/documents`)).statusCode).toBe(403);
      expect((await req(t.finance!, 'GET', `/api/projects/${gonganProject}/history`)).statusCode).toBe(403);
      expect(
        (await req(t.finance!, 'PATCH', `/api/projects/${gonganProject}`, { version: 1, projectName: 'x' }))
          .statusCode,
      ).toBe(403);
      expect((await req(t.finance!, 'GET', '/api/audit-log')).statusCode).toBe(403);
    });
  });

  describe('reviewers see what their role needs', () => {
    it('the Bureau reads every project and uploads review material, but does not edit a Unit’s draft', async () => {
      expect((await req(t['bureau.reviewer']!, 'GET', `/api/projects/${jiaoyuProject}`)).statusCode).toBe(
        200,
      );
      expect((await upload(t['bureau.reviewer']!, jiaoyuProject)).statusCode).toBe(201);
      const edit = await req(t['bureau.reviewer']!, 'PATCH', `/api/projects/${jiaoyuProject}`, {
        version: 1,
        projectName: 'x',
      });
      expect(edit.statusCode).toBe(403);
      expect((await req(t['bureau.reviewer']!, 'GET', '/api/audit-log')).statusCode).toBe(403);
      expect((await req(t['bureau.admin']!, 'GET', '/api/audit-log')).statusCode).toBe(200);
    });

    it('an expert sees no project outside their tasks (404) and cannot search the 项目库 (403)', async () => {
      expect((await req(t.expert!, 'GET', `/api/projects/${gonganProject}`)).statusCode).toBe(404);
      expect((await req(t.expert!, 'GET', `/api/documents/${gonganDoc}`)).statusCode).toBe(404);
      expect((await req(t.expert!, 'GET', '/api/projects')).statusCode).toBe(403);
      expect((await req(t.expert!, 'GET', '/api/statistics')).statusCode).toBe(403);
      expect((await req(t.expert!, 'POST', '/api/projects', draft({ unitId: 'gongan' }))).statusCode).toBe(
        404,
      );
    });
  });

  describe('a tenant never sees another tenant’s data (SU-3): 404, not 403', () => {
    const otherTenant = ['xinxing/gongan.staff', 'xinxing/audit', 'xinxing/bureau.admin'];

    it('reads, documents, history and exports of the city are 404 for every county account', async () => {
      for (const who of otherTenant) {
        const token = t[who]!;
        for (const url of [
          `/api/projects/${gonganProject}`,
          `/api/projects/${gonganProject}/history`,
          `/api/projects/${gonganProject}/documents`,
          `/api/documents/${gonganDoc}`,
          `/api/projects/${gonganProject}/audit-export`,
        ]) {
          const res = await req(token, 'GET', url);
          expect(res.statusCode, `${who} GET ${url}`).toBe(404);
        }
      }
    });

    it('and the other way round: the city’s Audit and Bureau do not see the county’s project or document', async () => {
      for (const who of ['audit', 'bureau.admin', 'finance']) {
        expect((await req(t[who]!, 'GET', `/api/projects/${countyProject}`)).statusCode).toBe(404);
        expect((await req(t[who]!, 'GET', `/api/documents/${countyDoc}`)).statusCode).toBe(404);
      }
    });

    it('writes to another tenant’s project are 404', async () => {
      const edit = await req(t['xinxing/gongan.staff']!, 'PATCH', `/api/projects/${gonganProject}`, {
        version: 1,
        projectName: '跨租户',
      });
      expect(edit.statusCode).toBe(404);
      expect((await upload(t['xinxing/gongan.staff']!, gonganProject)).statusCode).toBe(404);
    });

    it('searches, statistics and the audit log hold only the own tenant’s data', async () => {
      const county = (await req(t['xinxing/bureau.admin']!, 'GET', '/api/projects')).json();
      expect(county.items.map((p: { id: string }) => p.id)).toEqual([countyProject]);
      const byId = (await req(t['xinxing/bureau.admin']!, 'GET', `/api/projects?q=${gonganProject}`)).json();
      expect(byId.total).toBe(0);
      const stats = (await req(t['xinxing/bureau.admin']!, 'GET', '/api/statistics')).json();
      expect(stats.total.count).toBe(1);
      const log = (await req(t['xinxing/audit']!, 'GET', '/api/audit-log?limit=1000')).json() as Array<{
        tenantId: string;
      }>;
      expect(log.length).toBeGreaterThan(0);
      expect(log.every((e) => e.tenantId === 'xinxing')).toBe(true);
      const cityLog = (
        await req(t['xinxing/audit']!, 'GET', `/api/audit-log?projectId=${gonganProject}`)
      ).json();
      expect(cityLog).toEqual([]);
    });
  });
});

// Drafts checked with src/domain, the 项目库 search and statistics; bad input is refused with the field named and
// leaves nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/store/audit.ts';
import { insertProject, nextProjectId } from '../../src/store/projects.ts';
import { professionalContent } from '../support/projects.ts';
import { draft, type Harness, problemOf, startHarness } from './harness.ts';

describe('projects (项目库)', () => {
  let h: Harness;
  let staff: string;
  let jiaoyu: string;
  let admin: string;
  const create = (token: string, body: unknown) =>
    h.app.inject({ method: 'POST', url: '/api/projects', headers: h.as(token), payload: body as object });

  beforeAll(async () => {
    h = await startHarness();
    staff = await h.login('gongan.staff');
    jiaoyu = await h.login('jiaoyu.staff');
    admin = await h.login('bureau.admin');
  });
  afterAll(async () => {
    await h.close();
  });

  async function counts() {
    const projects = await h.store.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const audit = await listAudit(h.store.db, { tenantId: 'yunfu' });
    return { projects: Number(projects.n), audit: audit.length };
  }

  describe('a draft', () => {
    it('is created with category, amounts and the rule edition derived by src/domain (G-4..G-6, SU-4)', async () => {
      const res = await create(staff, draft());
      expect(res.statusCode).toBe(201);
      const { project, check } = res.json();
      expect(project).toMatchObject({
        id: 'YF-2026-0001',
        unitId: 'gongan',
        category: 'professional',
        totalInvestment: 650_000,
        softwareDevCost: 600_000,
        // initiated in 2026: under 云府办〔2024〕8号
        ruleEdition: 'yunfu-2024',
        stage: 'draft',
        version: 1,
      });
      expect(res.headers.location).toBe('/api/projects/YF-2026-0001');
      expect(check).toEqual({ applicationComplete: true, missingItems: [] });
    });

    it('may be incomplete (PRO-1): the missing catalogue and IPv6 commitment are listed, not refused', async () => {
      const res = await create(staff, draft({ hasDataCatalogue: false, supportsIpv6: false }));
      expect(res.statusCode).toBe(201);
      expect(res.json().check.missingItems).toEqual([
        '缺少政务数据共享资源目录（PRO-1）',
        '未承诺支持 IPv6（PRO-1）',
      ]);
    });

    it('refuses bad input with 400 naming every field, and writes nothing', async () => {
      const before = await counts();
      const res = await create(
        staff,
        draft({
          planYear: '2026',
          unknownField: 1,
          serviceLines: [
            { serviceType: 'software-development', subType: 'professional-software', amount: '600000' },
            { serviceType: 'software-development', subType: 'professional-software', amount: 1.5 },
            { serviceType: 'software-development', subType: 'professional-software', amount: -1 },
          ],
        }),
      );
      expect(res.statusCode).toBe(400);
      const p = problemOf(res);
      expect(p).toMatchObject({ status: 400, type: '/problems/validation-error', instance: '/api/projects' });
      expect(p.errors?.map((e) => e.field).sort()).toEqual(
        [
          'planYear',
          'serviceLines[0].amount',
          'serviceLines[1].amount',
          'serviceLines[2].amount',
          'unknownField',
        ].sort(),
      );
      const missing = await create(staff, { projectName: 'x' });
      expect(
        problemOf(missing)
          .errors?.map((e) => e.field)
          .sort(),
      ).toEqual(['classified', 'fundingLines', 'fundingSource', 'planYear', 'serviceLines'].sort());
      const subtype = await create(
        staff,
        draft({ serviceLines: [{ serviceType: 'infrastructure', subType: 'cloud', amount: 1 }] }),
      );
      expect(problemOf(subtype).errors).toEqual([
        { field: 'serviceLines[0].subType', reason: expect.stringContaining('government-cloud') },
      ]);
      const related = await create(
        staff,
        draft({ serviceLines: [{ serviceType: 'third-party', subType: 'assessment', amount: 1 }] }),
      );
      expect(problemOf(related).errors?.[0]?.field).toBe('serviceLines[0].relatedTo');
      expect(await counts()).toEqual(before);
    });

    it('refuses a project in both categories with the domain reason (G-5, G-6, AC-1)', async () => {
      const before = await counts();
      const res = await create(
        staff,
        draft({
          serviceLines: [
            { serviceType: 'software-development', subType: 'professional-software', amount: 600_000 },
            { serviceType: 'infrastructure', subType: 'government-cloud', amount: 200_000 },
          ],
        }),
      );
      expect(res.statusCode).toBe(422);
      const p = problemOf(res);
      expect(p.errors).toEqual([
        { field: 'serviceLines', reason: expect.stringContaining('同时包含公共类与专业类') },
      ]);
      expect(p.detail).toContain('第2项（基础设施服务／政务云）属于公共类');
      expect(await counts()).toEqual(before);
    });

    it('refuses a 涉密 project (G-9) and one not funded by city fiscal funds (G-3), with the reason', async () => {
      const secret = await create(staff, draft({ classified: true }));
      expect(secret.statusCode).toBe(422);
      expect(problemOf(secret).errors).toEqual([
        { field: 'classified', reason: expect.stringContaining('涉密') },
      ]);
      const national = await create(staff, draft({ fundingSource: 'national-fiscal' }));
      expect(national.statusCode).toBe(422);
      expect(problemOf(national).errors?.[0]).toMatchObject({ field: 'fundingSource' });
    });

    it('is edited with its version; a stale version is a conflict', async () => {
      const { project } = (await create(staff, draft({ projectName: '改前' }))).json();
      const ok = await h.app.inject({
        method: 'PATCH',
        url: `/api/projects/${project.id}`,
        headers: h.as(staff),
        payload: {
          version: 1,
          projectName: '改后',
          serviceLines: [
            { serviceType: 'software-development', subType: 'professional-software', amount: 2_000_000 },
          ],
        },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().project).toMatchObject({ name: '改后', version: 2, totalInvestment: 2_000_000 });
      const stale = await h.app.inject({
        method: 'PATCH',
        url: `/api/projects/${project.id}`,
        headers: h.as(staff),
        payload: { version: 1, projectName: '又改' },
      });
      expect(stale.statusCode).toBe(409);
      expect(problemOf(stale).errors?.[0]?.field).toBe('version');
      const mixed = await h.app.inject({
        method: 'PATCH',
        url: `/api/projects/${project.id}`,
        headers: h.as(staff),
        payload: {
          version: 2,
          serviceLines: [
            { serviceType: 'software-development', subType: 'general-software', amount: 1 },
            { serviceType: 'software-development', subType: 'professional-software', amount: 1 },
          ],
        },
      });
      expect(mixed.statusCode).toBe(422);
      const history = await h.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/history`,
        headers: h.as(staff),
      });
      expect(history.json().map((e: { action: string }) => e.action)).toEqual(['created', 'edited']);
    });
  });

  describe('search and statistics', () => {
    beforeAll(async () => {
      for (const [name, year, amount] of [
        ['教育城域网升级', 2025, 3_000_000],
        ['智慧校园平台', 2026, 900_000],
        ['教育数据治理', 2027, 400_000],
      ] as const) {
        if (name === '教育城域网升级') {
          // G-5, PUB-1: a Unit cannot apply for a 公共类 project (422); the Bureau's consolidation of a needs
          // collection registers it (workers/start-public-project.ts), as here.
          const lines = [{ serviceType: 'infrastructure' as const, subType: 'government-network', amount }];
          const refused = await create(
            jiaoyu,
            draft({ projectName: name, planYear: year, serviceLines: lines }),
          );
          expect(refused.statusCode).toBe(422);
          await h.store.transaction(async (tx) => {
            const by = await tx.db
              .selectFrom('accounts')
              .select('id')
              .where('tenantId', '=', 'yunfu')
              .where('username', '=', 'bureau.admin')
              .executeTakeFirstOrThrow();
            const id = await nextProjectId(tx, 'yunfu', 2026);
            await insertProject(tx, {
              id,
              tenantId: 'yunfu',
              createdBy: by.id,
              at: new Date().toISOString(),
              content: professionalContent({
                unitId: 'jiaoyu',
                name,
                planYear: year,
                serviceLines: lines,
                totalInvestment: amount,
                softwareDevCost: 0,
                category: 'public',
              }),
            });
          });
          continue;
        }
        const lines = [{ serviceType: 'software-development', subType: 'professional-software', amount }];
        expect(
          (await create(jiaoyu, draft({ projectName: name, planYear: year, serviceLines: lines })))
            .statusCode,
        ).toBe(201);
      }
    });

    it('filters by Unit, category, year and text, sorts and pages', async () => {
      const get = async (query: string, token = admin) => {
        const res = await h.app.inject({
          method: 'GET',
          url: `/api/projects?${query}`,
          headers: h.as(token),
        });
        expect(res.statusCode).toBe(200);
        return res.json() as {
          items: Array<{ name: string; id: string }>;
          total: number;
          page: number;
          pageSize: number;
        };
      };
      expect((await get('unitId=jiaoyu&sort=totalInvestment&order=asc')).items.map((p) => p.name)).toEqual([
        '教育数据治理',
        '智慧校园平台',
        '教育城域网升级',
      ]);
      expect((await get('category=public')).items.map((p) => p.name)).toEqual(['教育城域网升级']);
      expect((await get('planYear=2027')).items.map((p) => p.name)).toEqual(['教育数据治理']);
      expect((await get('q=校园')).items.map((p) => p.name)).toEqual(['智慧校园平台']);
      expect((await get('q=yf-2026-0001')).items.map((p) => p.id)).toEqual(['YF-2026-0001']);
      const all = await get('sort=id&order=asc&pageSize=100');
      const page = await get('sort=id&order=asc&page=2&pageSize=2');
      expect(page).toMatchObject({ total: all.total, page: 2, pageSize: 2 });
      expect(page.items.map((p) => p.id)).toEqual(all.items.slice(2, 4).map((p) => p.id));
      const bad = await h.app.inject({
        method: 'GET',
        url: '/api/projects?sort=password&pageSize=1000',
        headers: h.as(admin),
      });
      expect(
        problemOf(bad)
          .errors?.map((e) => e.field)
          .sort(),
      ).toEqual(['pageSize', 'sort']);
    });

    it('counts by Unit, category, year and stage', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/statistics', headers: h.as(admin) });
      expect(res.statusCode).toBe(200);
      const s = res.json();
      expect(s.byUnit.find((r: { key: string }) => r.key === 'jiaoyu')).toEqual({
        key: 'jiaoyu',
        label: '云浮市教育局',
        count: 3,
        totalInvestment: 4_300_000,
      });
      expect(s.byCategory.find((r: { key: string }) => r.key === 'public')).toMatchObject({
        label: '公共类',
        count: 1,
      });
      expect(s.byYear.map((r: { key: string }) => r.key)).toEqual(['2025', '2026', '2027']);
      expect(s.byStage).toEqual([
        expect.objectContaining({ key: 'draft', label: '草稿', count: s.total.count }),
      ]);
      const year = (
        await h.app.inject({ method: 'GET', url: '/api/statistics?planYear=2025', headers: h.as(admin) })
      ).json();
      expect(year.total).toEqual({ count: 1, totalInvestment: 3_000_000 });
    });
  });
});

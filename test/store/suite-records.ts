// One part of the store suite (suite.ts), run on SQLite and on PostgreSQL: the schema, accounts and sessions, and the 项目库 (projects: drafts, versions, search and statistics).
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  createSession,
  findAccountForLogin,
  findLiveSession,
  revokeSession,
} from '../../src/store/accounts.ts';
import { MIGRATIONS, migrateToLatest } from '../../src/store/migrations/index.ts';
import {
  findProject,
  insertProject,
  nextProjectId,
  projectHistory,
  projectStatistics,
  searchProjects,
  setStage,
  updateDraft,
  VersionConflictError,
} from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { listTenants } from '../../src/store/units.ts';
import { content, type StoreFixture } from './suite.ts';

export function recordTests(fixture: StoreFixture): void {
  let store!: Store;
  let staffId!: string;
  beforeAll(() => {
    ({ store, staffId } = fixture);
  });

  describe('schema', () => {
    it('is migrated to the latest version, and migrating again changes nothing', async () => {
      expect(await migrateToLatest(store.db)).toEqual([]);
      const done = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        store.db,
      );
      expect(done.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
    });

    it('SU-3: holds the city and its five counties as tenants', async () => {
      const tenants = await listTenants(store.db);
      expect(tenants.map((t) => t.id).sort()).toEqual(
        ['luoding', 'xinxing', 'yunan', 'yunanxian', 'yuncheng', 'yunfu'].sort(),
      );
      expect(tenants.find((t) => t.id === 'yunfu')).toMatchObject({ kind: 'city', projectPrefix: 'YF' });
    });
  });

  describe('accounts and sessions', () => {
    it('keeps usernames unique per tenant, not across tenants', async () => {
      await expect(
        store.transaction((tx) =>
          createAccount(tx, {
            tenantId: 'yunfu',
            username: 'gongan.staff',
            displayName: 'dup',
            passwordHash: 'x',
            roles: ['unit-staff'],
            unitId: 'gongan',
          }),
        ),
      ).rejects.toThrow();
      const other = await store.transaction((tx) =>
        createAccount(tx, {
          tenantId: 'xinxing',
          username: 'gongan.staff',
          displayName: '新兴公安',
          passwordHash: 'x',
          roles: ['unit-staff'],
          unitId: 'gongan',
        }),
      );
      expect(other.tenantId).toBe('xinxing');
      expect((await findAccountForLogin(store.db, 'yunfu', 'gongan.staff'))?.id).toBe(staffId);
    });

    it('finds a live session, not an expired or revoked one', async () => {
      await store.transaction(async (tx) => {
        await createSession(tx, {
          tokenHash: 'live',
          accountId: staffId,
          tenantId: 'yunfu',
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2026-01-01T08:00:00.000Z',
        });
      });
      expect((await findLiveSession(store.db, 'live', '2026-01-01T07:59:59.999Z'))?.account.id).toBe(staffId);
      expect(await findLiveSession(store.db, 'live', '2026-01-01T08:00:00.000Z')).toBeUndefined();
      await store.transaction((tx) => revokeSession(tx, 'live', '2026-01-01T01:00:00.000Z'));
      expect(await findLiveSession(store.db, 'live', '2026-01-01T02:00:00.000Z')).toBeUndefined();
    });
  });

  describe('projects (项目库)', () => {
    it('numbers projects per tenant and year and keeps amounts as exact integers of 元 (BIGINT)', async () => {
      const big = 5_000_000_000_123; // beyond 32 bits: must come back exact
      const p = await store.transaction(async (tx) => {
        const id = await nextProjectId(tx, 'yunfu', 2026);
        return insertProject(tx, {
          id,
          tenantId: 'yunfu',
          createdBy: staffId,
          at: '2026-03-01T00:00:00.000Z',
          content: content({ totalInvestment: big, softwareDevCost: 800_000 }),
        });
      });
      expect(p.id).toMatch(/^YF-2026-\d{4}$/);
      const again = await findProject(store.db, 'yunfu', p.id);
      expect(again).toMatchObject({
        totalInvestment: big,
        softwareDevCost: 800_000,
        stage: 'draft',
        version: 1,
      });
      expect(again?.serviceLines).toEqual(content().serviceLines);
      const next = await store.transaction((tx) => nextProjectId(tx, 'yunfu', 2026));
      expect(Number(next.slice(-4))).toBe(Number(p.id.slice(-4)) + 1);
      expect(await store.transaction((tx) => nextProjectId(tx, 'xinxing', 2026))).toBe('XX-2026-0001');
    });

    it('does not find a project under another tenant', async () => {
      const { items } = await searchProjects(store.db, {
        tenantId: 'yunfu',
        sort: 'id',
        order: 'asc',
        page: 1,
        pageSize: 1,
      });
      const id = items[0]!.id;
      expect(await findProject(store.db, 'xinxing', id)).toBeUndefined();
    });

    it('edits a draft with optimistic locking and records the history', async () => {
      const p = await store.transaction(async (tx) =>
        insertProject(tx, {
          id: await nextProjectId(tx, 'yunfu', 2026),
          tenantId: 'yunfu',
          createdBy: staffId,
          at: '2026-03-02T00:00:00.000Z',
          content: content({ name: '编辑前' }),
        }),
      );
      const edited = await store.transaction((tx) =>
        updateDraft(tx, {
          tenantId: 'yunfu',
          id: p.id,
          expectedVersion: 1,
          accountId: staffId,
          at: '2026-03-03T00:00:00.000Z',
          content: content({ name: '编辑后' }),
          changes: { name: '编辑后' },
        }),
      );
      expect(edited).toMatchObject({ name: '编辑后', version: 2, updatedAt: '2026-03-03T00:00:00.000Z' });
      await expect(
        store.transaction((tx) =>
          updateDraft(tx, {
            tenantId: 'yunfu',
            id: p.id,
            expectedVersion: 1,
            accountId: staffId,
            at: '2026-03-04T00:00:00.000Z',
            content: content({ name: '过期的编辑' }),
            changes: {},
          }),
        ),
      ).rejects.toBeInstanceOf(VersionConflictError);
      await store.transaction((tx) =>
        setStage(tx, {
          tenantId: 'yunfu',
          id: p.id,
          stage: 'submitted',
          accountId: staffId,
          at: '2026-03-05T00:00:00.000Z',
        }),
      );
      const history = await projectHistory(store.db, 'yunfu', p.id);
      expect(history.map((h) => h.action)).toEqual(['created', 'edited', 'stage-changed']);
      expect((await findProject(store.db, 'yunfu', p.id))?.name).toBe('编辑后');
    });

    it('searches with filters, text, sorting and paging, and counts by Unit, category, year and stage', async () => {
      await store.transaction(async (tx) => {
        for (const [unitId, name, year, amount] of [
          ['jiaoyu', '教育云 Portal', 2025, 300_000],
          ['jiaoyu', '智慧校园_二期', 2026, 1_000_000],
          ['gongan', '100%监控', 2027, 50],
        ] as const) {
          await insertProject(tx, {
            id: await nextProjectId(tx, 'yunfu', 2026),
            tenantId: 'yunfu',
            createdBy: staffId,
            at: '2026-04-01T00:00:00.000Z',
            content: content({ unitId, name, planYear: year, totalInvestment: amount }),
          });
        }
      });
      const base = {
        tenantId: 'yunfu',
        sort: 'totalInvestment' as const,
        order: 'desc' as const,
        page: 1,
        pageSize: 50,
      };
      const jiaoyu = await searchProjects(store.db, { ...base, unitId: 'jiaoyu' });
      expect(jiaoyu.items.map((p) => p.name)).toEqual(['智慧校园_二期', '教育云 Portal']);
      expect((await searchProjects(store.db, { ...base, text: 'portal' })).items.map((p) => p.name)).toEqual([
        '教育云 Portal',
      ]);
      // LIKE wildcards in the text are matched literally
      expect((await searchProjects(store.db, { ...base, text: '_二' })).total).toBe(1);
      expect((await searchProjects(store.db, { ...base, text: '100%' })).total).toBe(1);
      expect((await searchProjects(store.db, { ...base, planYear: 2027 })).items[0]?.name).toBe('100%监控');
      expect(
        (await searchProjects(store.db, { ...base, scopeUnitId: 'jiaoyu', unitId: 'gongan' })).total,
      ).toBe(0);
      const all = await searchProjects(store.db, { ...base, sort: 'name', order: 'asc' });
      const page2 = await searchProjects(store.db, {
        ...base,
        sort: 'name',
        order: 'asc',
        page: 2,
        pageSize: 2,
      });
      expect(page2.total).toBe(all.total);
      expect(page2.items.map((p) => p.id)).toEqual(all.items.slice(2, 4).map((p) => p.id));

      const stats = await projectStatistics(store.db, { tenantId: 'yunfu' });
      expect(stats.byUnit.find((r) => r.key === 'jiaoyu')).toEqual({
        key: 'jiaoyu',
        label: '市教育局',
        count: 2,
        totalInvestment: 1_300_000,
      });
      expect(stats.byYear.map((r) => r.key)).toEqual(['2025', '2026', '2027']);
      expect(stats.byCategory).toEqual([
        expect.objectContaining({ key: 'professional', label: '专业类', count: all.total }),
      ]);
      expect(stats.total.count).toBe(all.total);
      const scoped = await projectStatistics(store.db, { tenantId: 'yunfu', scopeUnitId: 'jiaoyu' });
      expect(scoped.total).toEqual({ count: 2, totalInvestment: 1_300_000 });
    });
  });
}

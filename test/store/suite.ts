// One store suite, run on SQLite (sqlite.test.ts) and on PostgreSQL (postgres.test.ts).
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  createSession,
  findAccountForLogin,
  findLiveSession,
  revokeSession,
} from '../../src/store/accounts.ts';
import { DuplicatePlanError, fileAnnualPlan, listAnnualPlans } from '../../src/store/annual-plans.ts';
import { appendAudit, GENESIS_HASH, listAudit, verifyChains } from '../../src/store/audit.ts';
import { projectAuditArchive, verifyArchive } from '../../src/store/audit-export.ts';
import {
  DocumentStorage,
  documentTypeIssue,
  FileTooLargeError,
  findDocument,
  insertDocument,
} from '../../src/store/documents.ts';
import { listFilings, recordFiling } from '../../src/store/filings.ts';
import { MIGRATIONS, migrateToLatest } from '../../src/store/migrations/index.ts';
import { listNotifications, markNotificationRead, notify } from '../../src/store/notifications.ts';
import {
  findProject,
  insertProject,
  nextProjectId,
  type ProjectContent,
  projectHistory,
  projectStatistics,
  searchProjects,
  setStage,
  updateDraft,
  VersionConflictError,
} from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { readTar } from '../../src/store/tar.ts';
import { listTenants, upsertUnit } from '../../src/store/units.ts';
import type { TestDatabase } from './databases.ts';

const run = promisify(execFile);

const content = (over: Partial<ProjectContent> = {}): ProjectContent => ({
  unitId: 'gongan',
  name: '智慧警务平台',
  description: '',
  planYear: 2026,
  fundingSource: 'city-fiscal',
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  serviceLines: [{ serviceType: 'software-development', subType: 'professional-software', amount: 800_000 }],
  totalInvestment: 800_000,
  softwareDevCost: 800_000,
  category: 'professional',
  ruleEdition: '2000',
  ...over,
});

export function storeSuite(database: TestDatabase): void {
  describe(`business store on ${database.name}`, () => {
    let store: Store;
    let dataDir: string;
    let url: string | null;
    let cleanup: () => Promise<void>;
    let staffId: string;

    beforeAll(async () => {
      const opened = await database.open();
      ({ store, dataDir, url, cleanup } = opened);
      await store.transaction(async (tx) => {
        await upsertUnit(tx, {
          tenantId: 'yunfu',
          id: 'gongan',
          name: '市公安局',
          responsibleSection: '科技信息化科',
        });
        await upsertUnit(tx, {
          tenantId: 'yunfu',
          id: 'jiaoyu',
          name: '市教育局',
          responsibleSection: '信息中心',
        });
        await upsertUnit(tx, {
          tenantId: 'xinxing',
          id: 'gongan',
          name: '新兴县公安局',
          responsibleSection: '科信股',
        });
        const staff = await createAccount(tx, {
          tenantId: 'yunfu',
          username: 'gongan.staff',
          displayName: '公安经办',
          passwordHash: 'x',
          roles: ['unit-staff'],
          unitId: 'gongan',
        });
        staffId = staff.id;
        await createAccount(tx, {
          tenantId: 'yunfu',
          username: 'finance',
          displayName: '财政',
          passwordHash: 'x',
          roles: ['finance'],
        });
      });
    });
    afterAll(async () => {
      await cleanup?.();
    });
    const entry = (tenantId: string, i: number) => ({
      tenantId,
      accountId: staffId,
      role: 'unit-staff',
      action: 'project.edit',
      entityType: 'project',
      entityId: `P-${i}`,
      payload: { i, amount: 1_000_000 },
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
        expect((await findLiveSession(store.db, 'live', '2026-01-01T07:59:59.999Z'))?.account.id).toBe(
          staffId,
        );
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
        expect(
          (await searchProjects(store.db, { ...base, text: 'portal' })).items.map((p) => p.name),
        ).toEqual(['教育云 Portal']);
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

    describe('filings (备案)', () => {
      it('numbers filings per tenant and year as 云政数备〔YYYY〕N号, without duplicates under concurrency', async () => {
        const numbers = await Promise.all(
          Array.from({ length: 12 }, () =>
            store.transaction((tx) =>
              recordFiling(tx, {
                tenantId: 'yunfu',
                kind: 'change',
                filedBy: staffId,
                payload: {},
                filedAt: '2026-06-01T02:00:00.000Z',
              }),
            ),
          ),
        );
        const seqs = numbers.map((f) => f.seq).sort((a, b) => a - b);
        expect(new Set(seqs).size).toBe(12);
        expect(numbers.every((f) => f.number === `云政数备〔2026〕${f.seq}号`)).toBe(true);
        // 31 Dec 2026 16:30 UTC is already 2027 in Asia/Shanghai: a new year starts at 1
        const newYear = await store.transaction((tx) =>
          recordFiling(tx, {
            tenantId: 'yunfu',
            kind: 'delay',
            filedBy: null,
            payload: {},
            filedAt: '2026-12-31T16:30:00.000Z',
          }),
        );
        expect(newYear.number).toBe('云政数备〔2027〕1号');
        const county = await store.transaction((tx) =>
          recordFiling(tx, {
            tenantId: 'xinxing',
            kind: 'delay',
            filedBy: null,
            payload: {},
            filedAt: '2026-06-01T02:00:00.000Z',
          }),
        );
        expect(county.number).toBe('新兴政数备〔2026〕1号');
      });

      it('gives a number back when the filing transaction rolls back', async () => {
        const before = await listFilings(store.db, { tenantId: 'yunfu', year: 2026 });
        await expect(
          store.transaction(async (tx) => {
            await recordFiling(tx, {
              tenantId: 'yunfu',
              kind: 'change',
              filedBy: null,
              payload: {},
              filedAt: '2026-06-02T00:00:00.000Z',
            });
            throw new Error('something after it failed');
          }),
        ).rejects.toThrow('something after it failed');
        const next = await store.transaction((tx) =>
          recordFiling(tx, {
            tenantId: 'yunfu',
            kind: 'change',
            filedBy: null,
            payload: {},
            filedAt: '2026-06-02T00:00:00.000Z',
          }),
        );
        expect(next.seq).toBe(before.length + 1);
      });
    });

    describe('annual plans (P-1)', () => {
      it('records a plan with its filing number and refuses a second one for the same year', async () => {
        const plan = await store.transaction((tx) =>
          fileAnnualPlan(tx, {
            tenantId: 'yunfu',
            unitId: 'jiaoyu',
            planYear: 2027,
            summary: '2027年信息化规划',
            content: { projects: [] },
            filedAt: '2026-11-30T15:00:00.000Z',
            filedBy: staffId,
            onTime: true,
            daysLate: 0,
          }),
        );
        expect(plan.filingNumber).toMatch(/^云政数备〔2026〕\d+号$/);
        await expect(
          store.transaction((tx) =>
            fileAnnualPlan(tx, {
              tenantId: 'yunfu',
              unitId: 'jiaoyu',
              planYear: 2027,
              summary: 'again',
              content: {},
              filedAt: '2026-12-01T00:00:00.000Z',
              filedBy: staffId,
              onTime: false,
              daysLate: 1,
            }),
          ),
        ).rejects.toBeInstanceOf(DuplicatePlanError);
        expect(await listAnnualPlans(store.db, { tenantId: 'yunfu', planYear: 2027 })).toHaveLength(1);
        expect(await listAnnualPlans(store.db, { tenantId: 'xinxing', planYear: 2027 })).toHaveLength(0);
      });
    });

    describe('notifications', () => {
      it('expands a group to its accounts, and a person marks only their own as read', async () => {
        const n = await store.transaction((tx) =>
          notify(tx, {
            tenantId: 'yunfu',
            groups: ['unit-gongan', 'finance'],
            title: '请补充材料',
            body: '…',
          }),
        );
        expect(n).toBe(2);
        const mine = await listNotifications(store.db, staffId);
        expect(mine[0]).toMatchObject({ title: '请补充材料', readAt: null });
        const finance = await findAccountForLogin(store.db, 'yunfu', 'finance');
        expect(
          await store.transaction((tx) =>
            markNotificationRead(tx, finance!.id, mine[0]!.id, '2026-01-01T00:00:00Z'),
          ),
        ).toBe(false);
        expect(
          await store.transaction((tx) =>
            markNotificationRead(tx, staffId, mine[0]!.id, '2026-01-01T00:00:00Z'),
          ),
        ).toBe(true);
        expect(await listNotifications(store.db, staffId, { unreadOnly: true })).toHaveLength(0);
      });
    });

    describe('audit trail (SV-3, SV-4)', () => {
      it('chains entries per tenant, starting from the genesis hash', async () => {
        const first = await store.transaction((tx) => appendAudit(tx, entry('yuncheng', 1)));
        const second = await store.transaction((tx) => appendAudit(tx, entry('yuncheng', 2)));
        expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
        expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
        const other = await store.transaction((tx) => appendAudit(tx, entry('luoding', 1)));
        expect(other).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
        expect((await listAudit(store.db, { tenantId: 'yuncheng' })).map((e) => e.payload)).toEqual([
          { amount: 1_000_000, i: 1 },
          { amount: 1_000_000, i: 2 },
        ]);
      });

      it('never forks the chain under concurrent appends', async () => {
        await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.transaction((tx) => appendAudit(tx, entry('yunan', i)))),
        );
        const rows = await listAudit(store.db, { tenantId: 'yunan' });
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        const [report] = await verifyChains(store.db, 'yunan');
        expect(report).toEqual({ tenantId: 'yunan', entries: 25, problems: [] });
      });

      it('an entry rolled back with its transaction leaves no trace in the chain', async () => {
        await expect(
          store.transaction(async (tx) => {
            await appendAudit(tx, entry('yunan', 99));
            throw new Error('the change failed');
          }),
        ).rejects.toThrow();
        expect((await verifyChains(store.db, 'yunan'))[0]?.problems).toEqual([]);
      });

      describe('verification finds tampering and says where', () => {
        const tenant = 'yunanxian';
        beforeAll(async () => {
          for (let i = 1; i <= 7; i++) await store.transaction((tx) => appendAudit(tx, entry(tenant, i)));
        });
        const problems = async () => (await verifyChains(store.db, tenant))[0]!.problems;

        it('an altered payload', async () => {
          expect(await problems()).toEqual([]);
          await sql`update audit_log set payload = ${'{"amount":1,"i":2}'} where tenant_id = ${tenant} and seq = 2`.execute(
            store.db,
          );
          expect(await problems()).toEqual([expect.objectContaining({ seq: 2, kind: 'payload-altered' })]);
        });

        it('an entry rewritten with a recomputed own hash breaks the link of the next one', async () => {
          await sql`update audit_log set action = 'project.delete', hash = ${'f'.repeat(64)} where tenant_id = ${tenant} and seq = 3`.execute(
            store.db,
          );
          const found = await problems();
          expect(found).toContainEqual(expect.objectContaining({ seq: 3, kind: 'altered' }));
          expect(found).toContainEqual(expect.objectContaining({ seq: 4, kind: 'broken-link' }));
        });

        it('`npm run audit:verify` reads this database as the app would and exits 1 naming the entries', async () => {
          // runs after the tampering above (tests in a describe run in order)
          const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url ?? '' };
          const result = await run(
            process.execPath,
            ['--import', 'tsx', 'scripts/audit-verify.ts', '--tenant', tenant],
            {
              env,
            },
          ).then(
            (r) => ({ code: 0, out: r.stdout }),
            (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
          );
          expect(result.code).toBe(1);
          expect(result.out).toContain(database.name === 'postgres' ? 'PostgreSQL' : 'SQLite');
          expect(result.out).toContain('TAMPERED seq 2 [payload-altered]');
          expect(result.out).toContain('TAMPERED seq 3 [altered]');
        });

        it('a removed entry in the middle and one at the end', async () => {
          await sql`delete from audit_log where tenant_id = ${tenant} and seq = 5`.execute(store.db);
          await sql`delete from audit_log where tenant_id = ${tenant} and seq = 7`.execute(store.db);
          const found = await problems();
          expect(found).toContainEqual(
            expect.objectContaining({
              seq: 5,
              kind: 'removed',
              detail: expect.stringContaining('entry 5 is missing'),
            }),
          );
          expect(found).toContainEqual(
            expect.objectContaining({
              kind: 'removed',
              detail: expect.stringContaining('entry 7 was removed'),
            }),
          );
        });
      });
    });

    describe('documents and the audit export', () => {
      let storage: DocumentStorage;
      beforeAll(() => {
        storage = new DocumentStorage(`${dataDir}/documents`);
      });

      it('refuses types by media type, extension and content', () => {
        const pdf = Buffer.from('%PDF-1.7\n');
        expect(documentTypeIssue('a.pdf', 'application/pdf', pdf)).toBeNull();
        expect(documentTypeIssue('a.exe', 'application/x-msdownload', pdf)).toMatch(/不支持的文件类型/);
        expect(documentTypeIssue('a.docx', 'application/pdf', pdf)).toMatch(/扩展名/);
        expect(documentTypeIssue('a.pdf', 'application/pdf', Buffer.from('MZ\x90\x00'))).toMatch(
          /不是有效的 PDF/,
        );
      });

      it('refuses and deletes a file over the size limit', async () => {
        await expect(
          storage.receive(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000),
        ).rejects.toBeInstanceOf(FileTooLargeError);
      });

      it('exports a project as a verifiable archive, and verification finds a changed byte', async () => {
        const project = await store.transaction(async (tx) => {
          const p = await insertProject(tx, {
            id: await nextProjectId(tx, 'yunfu', 2026),
            tenantId: 'yunfu',
            createdBy: staffId,
            at: '2026-05-01T00:00:00.000Z',
            content: content({ name: '待审计项目' }),
          });
          await appendAudit(tx, {
            ...entry('yunfu', 1),
            entityId: p.id,
            projectId: p.id,
            action: 'project.create',
          });
          return p;
        });
        const file = await storage.receive(Readable.from([Buffer.from('%PDF-1.7\n项目方案\n')]), 1 << 20);
        await store.transaction(async (tx) => {
          const path = await storage.keep(file.tempPath, 'yunfu', 'doc-1');
          await insertDocument(tx, {
            id: 'doc-1',
            tenantId: 'yunfu',
            projectId: project.id,
            unitId: 'gongan',
            kind: 'project-plan',
            fileName: '方案.pdf',
            mediaType: 'application/pdf',
            size: file.size,
            sha256: file.sha256,
            storagePath: path,
            uploadedBy: staffId,
            uploadedAt: '2026-05-01T01:00:00.000Z',
          });
          await appendAudit(tx, {
            ...entry('yunfu', 2),
            action: 'document.upload',
            entityType: 'document',
            entityId: 'doc-1',
            projectId: project.id,
          });
        });
        expect((await findDocument(store.db, 'yunfu', 'doc-1'))?.sha256).toBe(file.sha256);
        expect(await findDocument(store.db, 'xinxing', 'doc-1')).toBeUndefined();

        const chunks: Buffer[] = [];
        for await (const c of projectAuditArchive(store.db, storage, {
          tenantId: 'yunfu',
          projectId: project.id,
          exportedBy: staffId,
          exportedAt: '2026-05-02T00:00:00.000Z',
        })) {
          chunks.push(c);
        }
        const archive = Buffer.concat(chunks);
        expect(readTar(archive).map((e) => e.name)).toEqual([
          'project.json',
          'history.json',
          'filings.json',
          'amounts.json',
          'documents.json',
          'trail.json',
          'documents/doc-1',
          'manifest.json',
          'signature.json',
        ]);
        const report = verifyArchive(archive);
        expect(report.problems).toEqual([]);
        expect(report.trailEntries).toBe(2);

        // flip one byte of the document's content
        const at = archive.indexOf(Buffer.from('项目方案'));
        const tampered = Buffer.from(archive);
        tampered[at] = (tampered[at]! + 1) % 256;
        const bad = verifyArchive(tampered);
        expect(bad.problems).toContainEqual(expect.stringContaining('documents/doc-1: SHA-256'));
        expect(bad.problems).toContainEqual(
          expect.stringContaining('does not match the SHA-256 recorded at upload'),
        );
      });
    });
  });
}

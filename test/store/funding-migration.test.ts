// G-3: migration 0010 turns the single funding source of every project written before co-funding into a one-line
// list carrying its whole total investment, so old drafts stay readable; the retired 县级 source becomes 其他.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { findProject } from '../../src/store/projects.ts';
import { Store } from '../../src/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'yunfu-funding-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A project row exactly as the store wrote it before migration 0010 (no funding_lines column). */
const oldRow = (id: string, fundingSource: string, total: number) => sql`
  INSERT INTO projects (id, tenant_id, unit_id, name, description, plan_year, funding_source, classified,
    has_data_catalogue, supports_ipv6, service_lines, total_investment, software_dev_cost, category, rule_edition,
    stage, process_instance_key, version, created_by, created_at, updated_at)
  VALUES (${id}, 'yunfu', 'gongan', '旧草稿', '', 2027, ${fundingSource}, 0, 1, 1,
    ${JSON.stringify([{ serviceType: 'software-development', subType: 'professional-software', amount: total }])},
    ${total}, ${total}, 'professional', '2000', 'draft', NULL, 1, 'acc', '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z')`;

describe('store migration 0010-funding-lines', () => {
  it('reads an old single-source draft as a one-line funding list of its total investment', async () => {
    const file = join(dir, 'business.sqlite');
    const before = Store.connect({ dataDir: dir, sqliteFile: file, databaseUrl: null });
    const migrator = new Migrator({ db: before.db, provider: { getMigrations: async () => MIGRATIONS } });
    const to8 = await migrator.migrateTo('0008-project-amounts');
    expect(to8.error).toBeUndefined();
    await sql`PRAGMA foreign_keys = OFF`.execute(before.db);
    await oldRow('YF-2026-0001', 'city-fiscal', 1_060_000).execute(before.db);
    await oldRow('YF-2026-0002', 'county-fiscal', 300_000).execute(before.db);
    await before.close();

    const after = await Store.open({ dataDir: dir, sqliteFile: file, databaseUrl: null });
    try {
      const city = await findProject(after.db, 'yunfu', 'YF-2026-0001');
      expect(city).toMatchObject({
        fundingSource: 'city-fiscal',
        fundingLines: [{ source: 'city-fiscal', amount: 1_060_000 }],
        totalInvestment: 1_060_000,
      });
      const county = await findProject(after.db, 'yunfu', 'YF-2026-0002');
      expect(county).toMatchObject({
        fundingSource: 'other',
        fundingLines: [{ source: 'other', amount: 300_000 }],
      });
    } finally {
      await after.close();
    }
  });
});

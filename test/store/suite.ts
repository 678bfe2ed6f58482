// One store suite, run on SQLite (sqlite.test.ts) and on PostgreSQL (postgres.test.ts): the store is opened once and
// seeded with the Units and accounts the tests name; the tests are in suite-*.ts, one theme a file.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe } from 'vitest';
import { createAccount } from '../../src/store/accounts.ts';
import type { ProjectContent } from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { upsertUnit } from '../../src/store/units.ts';
import type { TestDatabase } from './databases.ts';
import { accountTests } from './suite-accounts.ts';
import { auditTests } from './suite-audit.ts';
import { filingTests } from './suite-filings.ts';
import { recordTests } from './suite-records.ts';

export const run = promisify(execFile);

export const content = (over: Partial<ProjectContent> = {}): ProjectContent => ({
  unitId: 'gongan',
  name: '智慧警务平台',
  description: '',
  planYear: 2026,
  fundingSource: 'city-fiscal',
  fundingLines: [{ source: 'city-fiscal', amount: 800_000 }],
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

/** The opened store and what was seeded in it; set before the first test of the suite. */
export interface StoreFixture {
  /** The TestDatabase's name: 'sqlite' or 'postgres'. */
  databaseName: string;
  store: Store;
  dataDir: string;
  url: string | null;
  staffId: string;
  /** An audit entry of the seeded Unit staff for `tenantId`, numbered `i`. */
  entry(
    tenantId: string,
    i: number,
  ): {
    tenantId: string;
    accountId: string;
    role: string;
    action: string;
    entityType: string;
    entityId: string;
    payload: Record<string, unknown>;
  };
}

export function storeSuite(database: TestDatabase): void {
  describe(`business store on ${database.name}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    const fixture = { databaseName: database.name } as StoreFixture;

    beforeAll(async () => {
      const { store, dataDir, url, cleanup: close } = await database.open();
      cleanup = close;
      Object.assign(fixture, { store, dataDir, url });
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
        fixture.staffId = staff.id;
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
    fixture.entry = (tenantId, i) => ({
      tenantId,
      accountId: fixture.staffId,
      role: 'unit-staff',
      action: 'project.edit',
      entityType: 'project',
      entityId: `P-${i}`,
      payload: { i, amount: 1_000_000 },
    });

    recordTests(fixture);
    accountTests(fixture);
    filingTests(fixture);
    auditTests(fixture);
  });
}

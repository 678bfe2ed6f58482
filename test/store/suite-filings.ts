// One part of the store suite (suite.ts), run on SQLite and on PostgreSQL: filings (备案), annual plans (P-1) and notifications.
import { beforeAll, describe, expect, it } from 'vitest';
import { findAccountForLogin } from '../../src/store/accounts.ts';
import { DuplicatePlanError, fileAnnualPlan, listAnnualPlans } from '../../src/store/annual-plans.ts';
import { listFilings, recordFiling } from '../../src/store/filings.ts';
import { listNotifications, markNotificationRead, notify } from '../../src/store/notifications.ts';
import type { Store } from '../../src/store/store.ts';
import type { StoreFixture } from './suite.ts';

export function filingTests(fixture: StoreFixture): void {
  let store!: Store;
  let staffId!: string;
  beforeAll(() => {
    ({ store, staffId } = fixture);
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
}

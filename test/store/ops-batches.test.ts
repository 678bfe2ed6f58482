// Store migration 0011 and src/store/ops-batches.ts on both databases: a batch is recorded with all its instances
// pending in one transaction (or not at all), an instance is settled once (a second settle — a concurrent or
// repeated run — changes nothing), and the counts say what is done, failed and still pending.
import { describe, expect, it } from 'vitest';
import {
  findOpsBatch,
  listOpsBatches,
  opsBatchCounts,
  opsBatchItems,
  recordOpsBatch,
  settleOpsBatchItem,
} from '../../src/store/ops-batches.ts';
import { DATABASES } from './databases.ts';

const at = '2026-11-27T02:00:00.000Z';
const batch = (id: string) => ({
  id,
  tenantId: 'yunfu',
  operation: 'cancel' as const,
  filter: { processId: 'infrastructure-service-request' },
  reason: '统一撤销',
  accountId: 'acc-1',
  createdAt: at,
  updatedAt: at,
});

for (const database of DATABASES) {
  describe(`ops batches on ${database.name}`, () => {
    it('records a batch with its instances pending, settles each once and counts them', async () => {
      const { store, cleanup } = await database.open();
      try {
        const keys = Array.from({ length: 1200 }, (_, i) => String(2251799813685249 + i));
        await store.transaction((tx) => recordOpsBatch(tx, batch('b-1'), keys));
        expect(await opsBatchCounts(store, 'b-1')).toEqual({
          total: 1200,
          done: 0,
          failed: 0,
          pending: 1200,
        });
        const settle = (state: 'done' | 'failed', key: string) =>
          store.transaction((tx) =>
            settleOpsBatchItem(tx, { batchId: 'b-1', processInstanceKey: key, state, detail: null, at }),
          );
        expect(await settle('done', keys[0]!)).toBe(true);
        expect(await settle('failed', keys[0]!)).toBe(false);
        expect(await settle('failed', keys[1]!)).toBe(true);
        expect(await opsBatchCounts(store, 'b-1')).toEqual({
          total: 1200,
          done: 1,
          failed: 1,
          pending: 1198,
        });
        expect((await opsBatchItems(store, 'b-1', 'pending')).length).toBe(1198);
        expect((await findOpsBatch(store, 'yunfu', 'b-1'))?.filter).toEqual({
          processId: 'infrastructure-service-request',
        });
        expect(await findOpsBatch(store, 'xinxing', 'b-1')).toBeUndefined();
        expect((await listOpsBatches(store, 'yunfu', 10)).map((b) => b.id)).toEqual(['b-1']);
      } finally {
        await cleanup();
      }
    });

    it('records nothing when the transaction fails', async () => {
      const { store, cleanup } = await database.open();
      try {
        await expect(
          store.transaction(async (tx) => {
            await recordOpsBatch(tx, batch('b-2'), ['1', '2']);
            throw new Error('crash before commit');
          }),
        ).rejects.toThrow('crash before commit');
        expect(await findOpsBatch(store, 'yunfu', 'b-2')).toBeUndefined();
        expect(await opsBatchCounts(store, 'b-2')).toEqual({ total: 0, done: 0, failed: 0, pending: 0 });
      } finally {
        await cleanup();
      }
    });
  });
}

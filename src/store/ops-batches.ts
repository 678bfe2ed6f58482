// Batch operations of the operations view: a batch (cancel or retry, its filter and reason) and its instances, each
// `pending` until the engine answered and the instance's audit entry was written, then `done` or `failed`. A batch
// with pending items after a crash is resumed by acting on those items again (src/app/commands/ops-batches.ts).
import type { OpsBatchItemTable, OpsBatchTable } from './schema.ts';
import type { Conn } from './store.ts';

export type OpsBatchOperation = OpsBatchTable['operation'];
export type OpsBatchItemState = OpsBatchItemTable['state'];

export interface OpsBatch {
  id: string;
  tenantId: string;
  operation: OpsBatchOperation;
  filter: Record<string, unknown>;
  reason: string;
  accountId: string;
  createdAt: string;
  updatedAt: string;
}

export interface OpsBatchCounts {
  total: number;
  done: number;
  failed: number;
  pending: number;
}

export async function recordOpsBatch(tx: Conn, batch: OpsBatch, keys: string[]): Promise<void> {
  await tx.db
    .insertInto('opsBatches')
    .values({ ...batch, filter: JSON.stringify(batch.filter) })
    .execute();
  for (let i = 0; i < keys.length; i += 500) {
    await tx.db
      .insertInto('opsBatchItems')
      .values(
        keys.slice(i, i + 500).map((processInstanceKey) => ({
          batchId: batch.id,
          processInstanceKey,
          state: 'pending' as const,
          detail: null,
          updatedAt: batch.createdAt,
        })),
      )
      .execute();
  }
}

export async function findOpsBatch(tx: Conn, tenantId: string, id: string): Promise<OpsBatch | undefined> {
  const row = await tx.db
    .selectFrom('opsBatches')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, filter: JSON.parse(row.filter) as Record<string, unknown> } : undefined;
}

export async function listOpsBatches(tx: Conn, tenantId: string, limit: number): Promise<OpsBatch[]> {
  const rows = await tx.db
    .selectFrom('opsBatches')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, filter: JSON.parse(row.filter) as Record<string, unknown> }));
}

export async function opsBatchCounts(tx: Conn, batchId: string): Promise<OpsBatchCounts> {
  const rows = await tx.db
    .selectFrom('opsBatchItems')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .where('batchId', '=', batchId)
    .groupBy('state')
    .execute();
  const of = (s: OpsBatchItemState) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  const counts = { done: of('done'), failed: of('failed'), pending: of('pending') };
  return { total: counts.done + counts.failed + counts.pending, ...counts };
}

export async function opsBatchItems(
  tx: Conn,
  batchId: string,
  state?: OpsBatchItemState,
): Promise<Array<{ processInstanceKey: string; state: OpsBatchItemState; detail: string | null }>> {
  let q = tx.db
    .selectFrom('opsBatchItems')
    .select(['processInstanceKey', 'state', 'detail'])
    .where('batchId', '=', batchId);
  if (state) q = q.where('state', '=', state);
  return q.orderBy('processInstanceKey').execute();
}

/** Settles a pending item; false when it was settled already (by a concurrent run). */
export async function settleOpsBatchItem(
  tx: Conn,
  input: {
    batchId: string;
    processInstanceKey: string;
    state: 'done' | 'failed';
    detail: string | null;
    at: string;
  },
): Promise<boolean> {
  const r = await tx.db
    .updateTable('opsBatchItems')
    .set({ state: input.state, detail: input.detail, updatedAt: input.at })
    .where('batchId', '=', input.batchId)
    .where('processInstanceKey', '=', input.processInstanceKey)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await tx.db
    .updateTable('opsBatches')
    .set({ updatedAt: input.at })
    .where('id', '=', input.batchId)
    .execute();
  return true;
}

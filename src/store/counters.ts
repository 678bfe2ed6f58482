// Per-tenant, per-year sequence numbers (project ids, 备案 numbers). One atomic upsert: two concurrent callers
// never get the same value, on SQLite or PostgreSQL, and a rolled-back transaction gives its number back.
import type { Conn } from './store.ts';

export async function nextValue(tx: Conn, tenantId: string, name: string, year: number): Promise<number> {
  const row = await tx.db
    .insertInto('counters')
    .values({ tenantId, name, year, value: 1 })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'name', 'year'])
        .doUpdateSet((eb) => ({ value: eb(eb.ref('counters.value'), '+', 1) })),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

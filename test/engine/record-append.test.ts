// The event log is written at each COMMIT in INSERTs of many rows (issue 17: one INSERT a record cost 13 % of a
// burst of timers). Order, content and the rollback of a transaction stay as with one INSERT a record.
import { afterEach, expect, test } from 'vitest';
import type { Db } from '../../src/engine/state/db.ts';
import { type NewRecord, RECORDS_PER_INSERT, RecordState } from '../../src/engine/state/records.ts';
import { schemaDb, T0 } from './helpers.ts';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

async function records() {
  db = await schemaDb();
  const state = new RecordState(db);
  const from = state.list(0, 1_000_000).at(-1)?.position ?? 0;
  return { state, db, from };
}

const made = (n: number, base: number): NewRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: base + i,
    valueType: 'TIMER',
    intent: i % 2 ? 'TRIGGERED' : 'CREATED',
    processInstanceKey: i % 3 ? base : null,
    elementId: i % 5 ? `t${i}` : null,
    value: i % 4 ? { i, s: 'x' } : null,
  }));

test('records across several INSERTs keep their order and content', async () => {
  const { state, db, from } = await records();
  const n = RECORDS_PER_INSERT * 2 + 7;
  const written = made(n, 10_000);
  db.transaction()(() => state.append(written, T0));
  const read = state.list(from, 1_000_000);
  expect(read).toHaveLength(n);
  expect(read.map((r) => r.key)).toEqual(written.map((r) => r.key));
  for (const [i, r] of read.entries()) {
    const w = written[i]!;
    expect([r.timestamp, r.value_type, r.intent, r.process_instance_key, r.element_id]).toEqual([
      T0,
      w.valueType,
      w.intent,
      w.processInstanceKey,
      w.elementId,
    ]);
    expect(r.value === null ? null : JSON.parse(r.value)).toEqual(w.value);
    if (i > 0) expect(r.position).toBeGreaterThan(read[i - 1]!.position);
  }
});

test('a transaction rolled back after appending leaves no record', async () => {
  const { state, db, from } = await records();
  expect(() =>
    db.transaction()(() => {
      state.append(made(RECORDS_PER_INSERT + 3, 20_000), T0);
      throw new Error('roll back');
    }),
  ).toThrow('roll back');
  expect(state.list(from, 1_000_000)).toEqual([]);
});

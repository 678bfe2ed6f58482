// A variable filter takes one of two SQL forms (src/engine/search-sql.ts): driven through the variables
// (name, value) index when few scopes hold the value, checked per row by (scope, name) when many do (a tenant id
// every instance has). search-pushdown.test.ts compares the first against the in-memory semantics on a small
// fixture set; here both forms must find the same rows, on the engine's own schema.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { likeToGlob, variablesSql } from '../../src/engine/search-sql.ts';
import { MIGRATIONS } from '../../src/engine/state/schema.ts';

function fixture() {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m);
  const pi = db.prepare(
    "INSERT INTO process_instances (key, process_definition_key, process_id, version, state, start_date, tenant_id) VALUES (?, 1, 'p', 1, 'ACTIVE', 0, '')",
  );
  const v = db.prepare(
    "INSERT INTO variables (key, scope_key, name, value, process_instance_key, tenant_id) VALUES (?, ?, ?, ?, ?, '')",
  );
  let key = 1000;
  for (let i = 1; i <= 60; i++) {
    pi.run(i);
    v.run(key++, i, 'tenantId', JSON.stringify(i % 3 === 0 ? 'other' : 'yunfu'), i);
    v.run(key++, i, 'projectId', JSON.stringify(`P-${i % 7}`), i);
    if (i % 2 === 0) v.run(key++, i, 'amount', String(i * 10), i);
    // a long value: outside the partial index, matched by scanning
    if (i % 5 === 0) v.run(key++, i, 'doc', JSON.stringify('x'.repeat(600) + String(i % 2)), i);
  }
  return db;
}

const FILTERS: unknown[] = [
  [{ name: 'tenantId', value: '"yunfu"' }],
  [
    { name: 'tenantId', value: '"other"' },
    { name: 'projectId', value: '"P-3"' },
  ],
  [
    { name: 'projectId', value: '"P-2"' },
    { name: 'amount', value: { $gte: '100' } },
  ],
  [{ name: 'amount', value: { $in: ['20', '40', '41'] } }],
  [{ name: 'doc', value: JSON.stringify(`${'x'.repeat(600)}1`) }],
  [{ name: 'projectId', value: { $like: '"P-1*' } }],
  [{ name: 'missing', value: '1' }],
];

describe('variable filters: the driven and the per-row SQL agree', () => {
  const db = fixture();
  const run = (filter: unknown, selective: boolean) => {
    const params: unknown[] = [];
    const where = variablesSql('process_instances.key', filter, params, () => selective);
    return (
      db.prepare(`SELECT key FROM process_instances WHERE ${where} ORDER BY key`).all(...params) as Array<{
        key: number;
      }>
    ).map((r) => r.key);
  };

  it.each(FILTERS.map((f) => [JSON.stringify(f).slice(0, 80), f] as const))('%s', (_name, filter) => {
    const driven = run(filter, true);
    expect(run(filter, false)).toEqual(driven);
  });

  it('the fixture makes the filters find some instances and not others', () => {
    const counts = FILTERS.slice(0, 6).map((f) => run(f, true).length);
    for (const n of counts) expect(n).toBeGreaterThan(0);
    for (const n of counts) expect(n).toBeLessThan(60);
    expect(run([{ name: 'tenantId', value: '"yunfu"' }], false)).toHaveLength(40);
  });

  it('the per-row form does not start from the variables index; the driven form does', () => {
    const plan = (selective: boolean) => {
      const params: unknown[] = [];
      const where = variablesSql('process_instances.key', FILTERS[0], params, () => selective);
      return JSON.stringify(
        db.prepare(`EXPLAIN QUERY PLAN SELECT key FROM process_instances WHERE ${where}`).all(...params),
      );
    };
    expect(plan(true)).toContain('variables_name_value');
    expect(plan(false)).not.toContain('variables_name_value');
  });
});

describe("$like as GLOB: Camunda's wildcards, everything else literal", () => {
  it.each([
    ['fin*', 'fin*'],
    ['?egal', '?egal'],
    ['a\\*b', 'a[*]b'],
    ['a\\?b', 'a[?]b'],
    ['fin[x]', 'fin[[]x]'],
    ['100%_done', '100%_done'],
  ])('%s → %s', (like, glob) => {
    expect(likeToGlob(like)).toBe(glob);
  });
});

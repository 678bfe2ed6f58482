// The app and its workers' thread (src/worker-thread/) each hold a connection to business.sqlite. A transaction that
// reads and then writes must not fail because the other connection wrote in between: with SQLite's default
// (deferred) BEGIN it fails at once with SQLITE_BUSY_SNAPSHOT, so the store begins its transactions IMMEDIATE and the
// other connection waits its turn instead. The other connection here is another process, with a short busy timeout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-two-connections-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Another connection writes one row, waiting at most 200 ms for the lock; says what happened. */
function writeFromAnotherProcess(): string {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(join(dataDir, 'business.sqlite'))});
    db.pragma('busy_timeout = 200');
    try { db.prepare("insert into probe (id) values ('other')").run(); console.log('wrote'); }
    catch (e) { console.log(e.code); }`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
  });
  return r.stdout.trim() || r.stderr;
}

describe('two connections to the SQLite store', () => {
  it('a transaction that reads, sees another connection try to write, then writes, commits', async () => {
    const store = await Store.open({ databaseUrl: null, dataDir, audit: { anchorDir: null } });
    await sql`create table probe (id text primary key)`.execute(store.db);
    let other = '';
    try {
      await store.transaction(async (tx) => {
        await sql`select count(*) as n from probe`.execute(tx.db);
        other = writeFromAnotherProcess();
        await sql`insert into probe (id) values ('mine')`.execute(tx.db);
      });
    } finally {
      await store.close();
    }
    // the other connection waited for this transaction's lock (and gave up after its 200 ms) instead of writing
    // under it and making this transaction's write fail
    expect(other).toBe('SQLITE_BUSY');
    const after = await Store.open({ databaseUrl: null, dataDir, audit: { anchorDir: null } });
    const rows = await sql<{ id: string }>`select id from probe`.execute(after.db);
    await after.close();
    expect(rows.rows.map((r) => r.id)).toEqual(['mine']);
  });
});

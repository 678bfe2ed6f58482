// The two databases every store test runs on: a temporary SQLite file, and a fresh PostgreSQL database created for
// this run on 127.0.0.1:5432 (trust auth; `.ci/run` starts the server) and dropped afterwards. PostgreSQL being
// unreachable is a failure with a clear message, never a skip.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Store } from '../../src/store/store.ts';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A migrated, empty store (tenants only). */
  open(): Promise<{ store: Store; url: string | null; dataDir: string; cleanup(): Promise<void> }>;
}

export const sqliteDatabase: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-store-'));
    const store = await Store.open({ databaseUrl: null, dataDir });
    return {
      store,
      url: null,
      dataDir,
      async cleanup() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}). ` +
        'The store tests must run on PostgreSQL too: start it (`.ci/run` does: pg_ctlcluster <version> main start) ' +
        'or point TEST_PG_ADMIN_URL at a server with trust auth.',
    );
  }
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export const postgresDatabase: TestDatabase = {
  name: 'postgres',
  async open() {
    const dbName = `yunfu_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${dbName}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-store-pg-'));
    let store: Store;
    try {
      store = await Store.open({ databaseUrl: url.toString(), dataDir });
    } catch (e) {
      await adminQuery(`drop database if exists ${dbName} with (force)`);
      throw e;
    }
    return {
      store,
      url: url.toString(),
      dataDir,
      async cleanup() {
        await store.close();
        await adminQuery(`drop database if exists ${dbName} with (force)`);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

export const DATABASES = [sqliteDatabase, postgresDatabase];

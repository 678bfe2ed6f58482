// Opens the business store: SQLite in DATA_DIR by default, PostgreSQL when DATABASE_URL is set. Both get the same
// schema through the same migrations (src/store/migrations), and every module here works on both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { AuditAnchor } from './audit-anchor.ts';
import type { AuditKeys } from './audit-keys.ts';
import { type AuditTrailOptions, defaultAuditTrailOptions, openAuditTrail } from './audit-open.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/** A connection or a transaction, with the dialect for the few statements that differ (row locks). */
export interface Conn {
  readonly db: Kysely<Database> | Transaction<Database>;
  readonly dialect: DialectName;
  /** The audit trail's keys (SV-4); absent where the store was connected without them. */
  readonly audit?: AuditKeys | null;
}

export interface StoreOptions {
  /** PostgreSQL connection string; null → SQLite. */
  databaseUrl: string | null;
  /** Directory of the SQLite file (`business.sqlite`). */
  dataDir: string;
  /** Override the SQLite file (tests). */
  sqliteFile?: string;
  /** Told about errors of idle pooled PostgreSQL connections (the pool drops them and reconnects). */
  onConnectionError?: (error: Error) => void;
  /** Audit keys and checkpoints (SV-4); default under dataDir. */
  audit?: Partial<AuditTrailOptions>;
}

// BIGINT (20) and NUMERIC (1700, what SUM(bigint) returns) come back as strings from pg; amounts are integers of 元
// well inside Number.MAX_SAFE_INTEGER, so read them as numbers and refuse anything that would lose precision.
function toSafeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${text} is outside the safe range`);
  return n;
}
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return toSafeNumber;
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format
    return pg.types.getTypeParser(oid, format as any);
  },
};

export class Store implements Conn {
  audit: AuditKeys | null = null;
  private anchor: AuditAnchor | null = null;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    readonly description: string,
  ) {}

  /** Opens the store and brings its schema to the latest migration. */
  static async open(options: StoreOptions): Promise<Store> {
    const store = Store.connect(options);
    try {
      await migrateToLatest(store.db);
      const trail = await openAuditTrail(store.db, {
        ...defaultAuditTrailOptions(options.dataDir),
        ...options.audit,
      });
      store.audit = trail.keys;
      store.anchor = trail.anchor;
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  /** Opens the store without migrating (the verification command reads what is there). */
  static connect(options: StoreOptions): Store {
    if (options.databaseUrl) {
      const pool = new pg.Pool({ connectionString: options.databaseUrl, types: pgTypes, max: 10 });
      // An idle connection closed by the server (restart, admin command) must not crash the process.
      pool.on('error', (e) => options.onConnectionError?.(e));
      const url = new URL(options.databaseUrl);
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool }),
        plugins: [new CamelCasePlugin()],
      });
      // Never describe the store with its password.
      return new Store(db, 'postgres', `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`);
    }
    const file = options.sqliteFile ?? join(options.dataDir, 'business.sqlite');
    if (!options.sqliteFile) mkdirSync(options.dataDir, { recursive: true });
    const database = new BetterSqlite3(file);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    // Another process (the verification command, a second app) may hold the write lock for a moment.
    database.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database }),
      plugins: [new CamelCasePlugin()],
    });
    return new Store(db, 'sqlite', `SQLite ${file}`);
  }

  /** Runs `fn` in one transaction: all of it is written, or nothing. */
  transaction<T>(fn: (tx: Conn) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn({ db: trx, dialect: this.dialect, audit: this.audit }));
  }

  /** `/ready`: the database answers. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    const anchor = this.anchor;
    this.anchor = null;
    // a last checkpoint of the heads as they are at shutdown
    await anchor?.stop();
    await this.db.destroy();
  }
}

/**
 * SQLite transactions that take the write lock when they begin (BEGIN IMMEDIATE). The app and the workers' thread
 * (src/worker-thread/) each hold a connection to business.sqlite; a transaction begun the default (deferred) way
 * that reads and then writes after the other connection has committed fails at once with SQLITE_BUSY — WAL cannot
 * let it write on its older snapshot, and no busy timeout helps. Begun IMMEDIATE, it waits its turn (busy_timeout)
 * before it reads, so read-then-write transactions on either connection succeed. One connection serialises its own
 * transactions anyway, so this costs the app nothing.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

// Opens the engine's SQLite file (WAL), applies migrations and hands out statements prepared once.
import Database from 'better-sqlite3';
import { FIRST_KEY } from '../keys.ts';
import { MIGRATIONS } from './schema.ts';

export type Synchronous = 'FULL' | 'NORMAL';
export type SqliteDatabase = Database.Database;
export type Statement = Database.Statement;

export interface DbOptions {
  file: string;
  synchronous?: Synchronous;
}

export class Db {
  readonly sqlite: SqliteDatabase;
  private readonly statements = new Map<string, Statement>();

  constructor(options: DbOptions) {
    this.sqlite = new Database(options.file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.pragma('cache_size = -32000');
    // Savepoint journals (and temporary tables) in memory: every timer of a batch and every command of a group
    // commit runs in a savepoint, and a savepoint's journal spilled to a temporary file past 64 KiB, costing
    // about half the CPU of a burst of timers (issue 17, docs/performance.md). It is emptied at each release.
    this.sqlite.pragma('temp_store = MEMORY');
    this.migrate();
  }

  /** A statement, prepared on first use and reused afterwards. */
  q(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private migrate(): void {
    const current = this.sqlite.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.sqlite.transaction(() => {
        this.sqlite.exec(MIGRATIONS[v]!);
        if (v === 0) {
          this.sqlite.prepare("INSERT INTO meta (name, value) VALUES ('next_key', ?)").run(String(FIRST_KEY));
        }
        this.sqlite.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  close(): void {
    this.statements.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

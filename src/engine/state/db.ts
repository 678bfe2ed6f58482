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

/** A statement that writes element_instances (other than ElementInstanceState's own, which keep its cache right). */
const WRITES_ELEMENT_INSTANCES =
  /\b(?:UPDATE(?:\s+OR\s+\w+)?|INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+(?:main\.)?element_instances\b/i;

interface Prepared {
  statement: Statement;
  /** Handing it out drops what is cached of element_instances (state/elementInstances.ts). */
  invalidates: boolean;
}

export class Db {
  readonly sqlite: SqliteDatabase;
  private readonly statements = new Map<string, Prepared>();
  private readonly ownStatements = new Map<string, Statement>();
  /** Transaction functions of `transaction()` running now (nested ones are savepoints). */
  private depth = 0;
  private readonly resets: Array<() => void> = [];

  constructor(options: DbOptions) {
    this.sqlite = new Database(options.file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.pragma('cache_size = -32000');
    // A schema upgrade of a large file (an index built over the event log) sorts on disk, as before.
    this.migrate();
    // Savepoint journals (and temporary tables) in memory: every timer of a batch and every command of a group
    // commit runs in a savepoint, and a savepoint's journal spilled to a temporary file past 64 KiB, costing
    // about half the CPU of a burst of timers (issue 17, docs/performance.md). It is emptied at each release.
    // The price: a sort that needs a temporary b-tree (a search sorted on a column without an index, far into its
    // pages) holds it in memory instead of a temporary file.
    this.sqlite.pragma('temp_store = MEMORY');
  }

  /** A statement, prepared on first use and reused afterwards. */
  q(sql: string): Statement {
    let p = this.statements.get(sql);
    if (!p) {
      const statement = this.sqlite.prepare(sql);
      const invalidates = WRITES_ELEMENT_INSTANCES.test(sql);
      p = { statement: invalidates ? this.resettingAfter(statement) : statement, invalidates };
      this.statements.set(sql, p);
    }
    // a write of element_instances past ElementInstanceState (retention, migration): its cache is dropped,
    // now and again once the statement has run
    if (p.invalidates) this.reset();
    return p.statement;
  }

  private resettingAfter(statement: Statement): Statement {
    return new Proxy(statement, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          try {
            return v.apply(target, args);
          } finally {
            this.reset();
          }
        };
      },
    });
  }

  /** A statement of the module that keeps the transaction's cache (state/elementInstances.ts) right itself. */
  own(sql: string): Statement {
    let s = this.ownStatements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.ownStatements.set(sql, s);
    }
    return s;
  }

  /**
   * A function running `fn` in a transaction (BEGIN IMMEDIATE if `immediate`), or in a savepoint when one is
   * open (better-sqlite3 nests them so). Every transaction and savepoint of the engine goes through it: what is
   * cached for the transaction (`onReset`) is dropped on any rollback — of a savepoint or of the transaction —
   * and when the outermost transaction ends, so that no cached row outlives what SQLite holds.
   */
  transaction(immediate = false): <T>(fn: () => T) => T {
    const t = this.sqlite.transaction((fn: () => unknown) => fn());
    const begin = immediate ? t.immediate : t.default;
    return <T>(fn: () => T): T => {
      this.depth++;
      try {
        return begin(fn) as T;
      } catch (e) {
        this.reset();
        throw e;
      } finally {
        if (--this.depth === 0) this.reset();
      }
    };
  }

  /** Whether a transaction of `transaction()` is open, so that rows read now may be cached until it ends. */
  get caching(): boolean {
    return this.depth > 0 && this.sqlite.inTransaction;
  }

  /** `f` runs whenever what is cached for the transaction must be dropped. */
  onReset(f: () => void): void {
    this.resets.push(f);
  }

  private reset(): void {
    for (const f of this.resets) f();
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
    this.ownStatements.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

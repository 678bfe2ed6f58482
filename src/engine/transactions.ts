// The engine's transactions: a command runs in one SQLite transaction (`run`), or — submitted through the
// commit queue (group commit, commit-queue.ts) — in a savepoint of a transaction it shares with the commands
// that arrived with it. What must follow the commit (after-commit hooks, job notifications to long polls,
// scheduler wake-ups, continuing pending steps) runs only once the durable COMMIT is done: at once for a
// transaction of its own, after the batch's COMMIT for a batched command, never for a rolled-back one.

import { CommitQueue, type GroupCommitOptions } from './commit-queue.ts';
import { EngineError } from './errors.ts';
import type { Interpreter, Logger } from './runtime/interpreter.ts';
import { Tx } from './runtime/tx.ts';

export interface TransactionHost {
  it: Interpreter;
  log: Logger;
  now(): number;
  closed(): boolean;
  /** Runs the transaction's queued follow-ups within the step budget; true if some were left pending. */
  drain(tx: Tx): boolean;
  /** After the commit: job types that became activatable, the earliest wake-up, pending steps to continue. */
  committed(tx: Tx, pending: boolean): void;
}

/** Durable transactions and the commands they held, since the engine was opened (for tests and benchmarks). */
export interface CommitStats {
  /** COMMITs of engine transactions (a batch of commands counts once). */
  commits: number;
  /** Commands run through the commit queue. */
  batchedCommands: number;
  /** Batches the commit queue committed. */
  batches: number;
  /** Committed batches in which some commands failed (rolled back alone) and others committed. */
  mixedBatches: number;
}

export class Transactions {
  private readonly txn: (fn: () => unknown) => unknown;
  private current: Tx | null = null;
  /** While a batch's transaction is open: what its commands do after the commit. */
  private deferred: Array<() => void> | null = null;
  private readonly queue: CommitQueue | null;
  readonly stats: CommitStats = { commits: 0, batchedCommands: 0, batches: 0, mixedBatches: 0 };

  constructor(
    private readonly host: TransactionHost,
    groupCommit: boolean | GroupCommitOptions = true,
  ) {
    const sqlite = host.it.db.sqlite;
    // nested in a batch's transaction, better-sqlite3 makes this a savepoint
    this.txn = host.it.db.transaction(true);
    this.queue =
      groupCommit === false
        ? null
        : new CommitQueue(
            { group: (body) => this.group(body), inTransaction: () => sqlite.inTransaction },
            groupCommit === true ? {} : groupCommit,
          );
  }

  /** Runs one command in one transaction (a savepoint inside a batch); follow-up work runs until every token waits. */
  run<T>(fn: (tx: Tx) => T): T {
    if (this.host.closed()) throw new EngineError('INVALID_STATE', 'The engine is closed');
    if (this.current) return fn(this.current);
    const { it } = this.host;
    const tx = new Tx(this.host.now());
    const startKey = it.nextKey;
    this.current = tx;
    let result: T;
    let pending = false;
    try {
      result = this.txn(() => {
        const r = fn(tx);
        pending = this.host.drain(tx);
        it.flush(tx);
        return r;
      }) as T;
    } catch (e) {
      it.nextKey = startKey;
      throw e;
    } finally {
      this.current = null;
    }
    if (this.deferred) this.deferred.push(() => this.afterCommit(tx, pending));
    else {
      this.stats.commits++;
      this.afterCommit(tx, pending);
    }
    return result;
  }

  /**
   * Runs `command` (calls of the engine's command methods) with group commit: it shares a transaction with the
   * commands submitted with it, and the promise settles after that transaction's COMMIT. Without group commit
   * (the engine option `groupCommit: false`) it runs at once in a transaction of its own.
   */
  submit<T>(command: () => T): Promise<Awaited<T>> {
    if (this.queue) return this.queue.submit(command);
    try {
      return Promise.resolve(command()) as Promise<Awaited<T>>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): void {
    this.queue?.close(new EngineError('INVALID_STATE', 'The engine was closed'));
  }

  /** One batch: `body` runs the batch's commands; their after-commit work runs once the COMMIT is done. */
  private group(body: () => { commands: number; failed: number }): void {
    const { it } = this.host;
    const startKey = it.nextKey;
    const deferred: Array<() => void> = [];
    let ran = { commands: 0, failed: 0 };
    this.deferred = deferred;
    try {
      this.txn(() => {
        ran = body();
      });
    } catch (e) {
      it.nextKey = startKey;
      throw e;
    } finally {
      this.deferred = null;
    }
    this.stats.commits++;
    this.stats.batches++;
    this.stats.batchedCommands += ran.commands;
    if (ran.failed > 0 && ran.failed < ran.commands) this.stats.mixedBatches++;
    // committed: nothing that follows may turn the batch's answers into failures
    for (const f of deferred) {
      try {
        f();
      } catch (e) {
        this.host.log.error({ err: e }, 'after-commit work of a batched command failed');
      }
    }
  }

  private afterCommit(tx: Tx, pending: boolean): void {
    for (const f of tx.afterCommit) {
      try {
        f();
      } catch (e) {
        this.host.log.error({ err: e }, 'after-commit hook failed');
      }
    }
    this.host.committed(tx, pending);
  }
}

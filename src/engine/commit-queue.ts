// Group commit (issue 17), as Zeebe batches commands: commands that arrive together share one durable
// transaction. A command is queued; the queue drains on the next turn of the event loop (after the I/O that is
// waiting now, so that requests read in the same turn meet in one batch), at most `maxCommands` commands and
// `maxMs` of work a batch, so one burst cannot stall other requests. Each command runs in a savepoint of its own
// (the engine's run(), nested in the batch's transaction): a failing command rolls back alone and gets its own
// error. Nothing is answered before the batch's COMMIT: every outcome — result or error — is settled after it,
// and if the COMMIT (or the batch's transaction) fails every command of the batch fails with that error.

/** Commands one batch runs at most. */
export const COMMANDS_PER_BATCH = 256;
/** A batch stops taking commands once it has run this long (ms), so other work waits ≤ ~10 ms. */
export const BATCH_MS = 10;

export interface GroupCommitOptions {
  maxCommands?: number;
  maxMs?: number;
}

export interface CommitQueueHost {
  /**
   * Runs `body` (which returns how many commands it ran and how many of them failed) in one transaction and
   * commits it; throws, rolled back, if the transaction fails.
   */
  group(body: () => { commands: number; failed: number }): void;
  /** Whether the batch's transaction is still open (a failed command may have made SQLite roll it back). */
  inTransaction(): boolean;
}

interface Queued {
  command: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class CommitQueue {
  private queued: Queued[] = [];
  private handle: NodeJS.Immediate | null = null;
  private closedWith: Error | null = null;
  readonly maxCommands: number;
  readonly maxMs: number;

  constructor(
    private readonly host: CommitQueueHost,
    options: GroupCommitOptions = {},
  ) {
    this.maxCommands = Math.max(1, options.maxCommands ?? COMMANDS_PER_BATCH);
    this.maxMs = options.maxMs ?? BATCH_MS;
  }

  /** Queues a command; the promise settles once the batch holding it has committed (or failed). */
  submit<T>(command: () => T): Promise<Awaited<T>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<Awaited<T>>((resolve, reject) => {
      this.queued.push({ command, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Refuses new commands and fails the queued ones with `error`. */
  close(error: Error): void {
    this.closedWith = error;
    if (this.handle) clearImmediate(this.handle);
    this.handle = null;
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) q.reject(error);
  }

  private schedule(): void {
    if (this.handle || this.closedWith) return;
    this.handle = setImmediate(() => {
      this.handle = null;
      this.drain();
    });
  }

  /** Runs one batch; the next one, if commands are left, after the I/O waiting now. */
  private drain(): void {
    const batch: Queued[] = [];
    const outcomes: Outcome[] = [];
    const until = performance.now() + this.maxMs;
    try {
      this.host.group(() => {
        while (this.queued.length > 0 && batch.length < this.maxCommands) {
          if (batch.length > 0 && performance.now() >= until) break;
          if (batch.length > 0 && !this.host.inTransaction())
            throw new Error('The batch transaction was rolled back by the database');
          const q = this.queued.shift()!;
          batch.push(q);
          try {
            outcomes.push({ ok: true, value: q.command() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        return { commands: batch.length, failed: outcomes.filter((o) => !o.ok).length };
      });
    } catch (error) {
      // nothing of the batch committed: every command of it fails with the transaction's error
      for (let i = 0; i < batch.length; i++) {
        const o = outcomes[i];
        if (o?.ok && isThenable(o.value)) o.value.then(undefined, () => {}); // a waiter no one will read
        batch[i]!.reject(error);
      }
      if (this.queued.length > 0) this.schedule();
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i]!;
      if (o.ok) batch[i]!.resolve(o.value);
      else batch[i]!.reject(o.error);
    }
    if (this.queued.length > 0) this.schedule();
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

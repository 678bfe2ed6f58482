// Fires due timers in batches that share one durable transaction (issue 17): a burst of timers due at
// the same instant costs one commit per batch instead of one per timer. Each timer's whole work — the
// trigger and every follow-up step of its path, as one command of its own in Zeebe (TIMER TRIGGER) —
// runs inside its own savepoint: a timer that fails rolls back alone, the others of its batch commit.
// A step that cannot go on still becomes an incident inside its own step (runtime/behavior/incidents.ts).
// Nothing is announced before the commit: the fired count is reported after it (Scheduler).
import { CONTINUATION_MS } from './runtime/budget.ts';
import type { Interpreter, Logger } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';

/** Timers one transaction fires at most (a batch). */
export const TIMERS_PER_TRANSACTION = 500;
/** A batch stops taking timers once it has run this long, so requests wait ≤ ~10 ms between batches. */
export const TIMER_BATCH_MS = CONTINUATION_MS;

export interface TimerBatchHost {
  it: Interpreter;
  log: Logger;
  /** Runs the transaction's queued follow-ups within one command's step budget; true if some were left pending. */
  drain(tx: Tx): boolean;
}

export interface TimerBatchResult {
  /** Timers taken from the due index (fired or failed). */
  taken: number;
  fired: number;
  /** More timers may be due now (the batch stopped at its size or its time bound). */
  more: boolean;
  /** Some follow-up steps were written to pending_steps, to continue in later transactions. */
  pending: boolean;
}

export class TimerBatch {
  private readonly savepoint: (fn: () => void) => void;

  constructor(
    private readonly host: TimerBatchHost,
    /** At most this many timers per transaction (1: one transaction each, the former behaviour's cost). */
    readonly size = TIMERS_PER_TRANSACTION,
    /** Time bound of one batch in ms (performance.now()); Infinity: only the size bounds it. */
    readonly maxMs = TIMER_BATCH_MS,
  ) {
    // one transaction function, reused: nested in the command's transaction it is a savepoint
    this.savepoint = host.it.db.transaction();
  }

  /**
   * Fires up to one batch of the timers due at `now`, inside the caller's transaction `tx`. `bounded`
   * (the scheduler's own passes, between other work): the batch also stops after `maxMs`; otherwise
   * (an explicit "process what is due", whose caller waits for all of it) only the size bounds it.
   */
  fire(tx: Tx, bounded: boolean): TimerBatchResult {
    const { it } = this.host;
    const due = it.state.timers.due(tx.now, this.size);
    const until = bounded ? performance.now() + this.maxMs : Number.POSITIVE_INFINITY;
    const failed: number[] = [];
    let taken = 0;
    let pending = false;
    for (const t of due) {
      if (taken > 0 && performance.now() >= until) break;
      taken++;
      const marks = [tx.queue.length, tx.records.length, tx.afterCommit.length] as const;
      try {
        this.savepoint(() => {
          it.triggerTimer(tx, t.key);
          if (this.host.drain(tx)) pending = true;
        });
      } catch (e) {
        // rolled back alone: forget what it queued, recorded or promised after commit
        tx.queue.length = marks[0];
        tx.records.length = marks[1];
        tx.afterCommit.length = marks[2];
        failed.push(t.key);
        this.host.log.error({ err: e, timerKey: t.key }, 'timer trigger failed');
      }
    }
    // A timer that cannot fire must not block the others forever (as before batching).
    for (const key of failed) it.state.timers.delete(key);
    return {
      taken,
      fired: taken - failed.length,
      more: taken < due.length || due.length === this.size,
      pending,
    };
  }
}

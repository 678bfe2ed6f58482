// Bounded work per transaction (design.md: "a command does bounded work; a long run continues in a
// later transaction, so one instance never stalls the others"). The steps a transaction leaves are
// in pending_steps; this runs them on, one bounded transaction per turn of the event loop, so that
// HTTP requests and other commands interleave, as commands of other partitions do in Zeebe.
import type { Interpreter, Logger } from './interpreter.ts';
import type { Tx } from './tx.ts';

/**
 * Steps per command: enough for every ordinary command (a process path up to its next wait state)
 * to finish in its own transaction, so that its caller sees the result.
 */
export const STEPS_PER_TRANSACTION = 1_000;
/** A transaction continuing pending steps stops after this much time, so requests wait ≤ ~10 ms. */
export const CONTINUATION_MS = 10;
/**
 * An explicit "process what is due now" (processDue, a moved test clock): callers expect the paths
 * to have run on return; a runaway loop still stops here and continues later.
 */
const STEPS_WHEN_ASKED = 100_000;

export interface BudgetHost {
  it: Interpreter;
  log: Logger;
  run(fn: (tx: Tx) => void): void;
}

export class StepBudget {
  private steps: number;
  private until = Number.POSITIVE_INFINITY;
  private handle: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(
    private readonly host: BudgetHost,
    private readonly perTransaction = STEPS_PER_TRANSACTION,
  ) {
    this.steps = perTransaction;
  }

  /** Runs the transaction's follow-ups within the budget; true if steps were left pending. */
  drain(tx: Tx): boolean {
    return this.host.it.drain(tx, this.steps, this.until);
  }

  /** Runs `fn` with the larger budget of an explicit request. */
  asked(fn: () => void): void {
    const steps = this.steps;
    this.steps = Math.max(steps, STEPS_WHEN_ASKED);
    try {
      fn();
    } finally {
      this.steps = steps;
    }
  }

  /** Continues the pending steps in the next turn of the event loop, after the I/O waiting now. */
  schedule(): void {
    if (this.handle || this.stopped) return;
    this.handle = setImmediate(() => {
      this.handle = null;
      if (this.stopped) return;
      this.until = performance.now() + CONTINUATION_MS;
      try {
        this.host.run((tx) => this.host.it.resumePending(tx, this.perTransaction));
      } catch (e) {
        this.host.log.error({ err: e }, 'pending follow-up steps failed');
        return;
      } finally {
        this.until = Number.POSITIVE_INFINITY;
      }
      if (this.host.it.state.pendingSteps.any()) this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.handle) clearImmediate(this.handle);
    this.handle = null;
  }
}

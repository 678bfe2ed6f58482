// One scheduler for everything that falls due: timers (by the due-date index), job leases and retry
// back-offs, message time-to-live. No timeout per timer: one wake-up at the earliest due instant, and
// a pass whenever the clock is moved. A waiting instance costs rows, not memory.
import type { EngineClock } from './clock.ts';
import type { EngineOptions } from './options.ts';
import { expireLeases } from './processors/jobs.ts';
import { expireMessages } from './processors/messages.ts';
import { HistoryRetention } from './retention.ts';
import type { StepBudget } from './runtime/budget.ts';
import type { Interpreter, Logger } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';
import { TimerBatch } from './timer-batch.ts';

/** setTimeout cannot wait longer than 2^31-1 ms; we also re-check at least once a minute. */
const MAX_SLEEP = 60_000;

export interface SchedulerHost {
  it: Interpreter;
  clock: EngineClock;
  log: Logger;
  /** timersPerTransaction: the batch size of fired timers (default 500; 1 = a transaction each). */
  /** historyTimeToLive: how long an ended instance's history stays in the file (retention.ts). */
  options: Pick<EngineOptions, 'timersPerTransaction' | 'historyTimeToLive'>;
  run<T>(fn: (tx: Tx) => T): T;
  /** The engine's step budget: a fired timer's path runs within one command's steps, the rest continues later. */
  budget: Pick<StepBudget, 'drain' | 'schedule'>;
  notifyJobTypes(types: Iterable<string>): void;
  /** Called after each committed batch of fired timers (for measurements). */
  timersFired?(count: number): void;
}

export class Scheduler {
  private readonly host: SchedulerHost;
  private handle: NodeJS.Timeout | null = null;
  private plannedAt = Number.POSITIVE_INFINITY;
  private running = false;
  private stopped = false;
  private lastPass: number;
  private readonly timers: TimerBatch;
  private readonly retention: HistoryRetention;

  constructor(host: SchedulerHost) {
    this.host = host;
    this.lastPass = host.clock.now();
    const { it, log, budget } = host;
    this.retention = new HistoryRetention(it, host.options.historyTimeToLive);
    this.timers = new TimerBatch(
      { it, log, drain: (tx) => budget.drain(tx) },
      host.options.timersPerTransaction,
    );
  }

  /** Starts with a bounded pass: overdue timers fire batch by batch, between other work. */
  start(): void {
    this.stopped = false;
    this.runDue(true);
  }

  stop(): void {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
  }

  /** Something new falls due at `at`: wake up earlier if needed. */
  wakeAt(at: number): void {
    if (this.stopped || at >= this.plannedAt) return;
    if (at <= this.host.clock.now()) {
      if (!this.running) setImmediate(() => this.runDue(true));
      return;
    }
    this.plan(at);
  }

  /**
   * Processes everything due now, then plans the next wake-up. `bounded` (the scheduler's own
   * passes): one batch of timers (at most 500, at most ~10 ms), the next one after the I/O waiting
   * now; otherwise (an explicit call, a moved clock) every due timer before returning, still one
   * commit per batch.
   */
  runDue(bounded = false): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const { it, log } = this.host;
    try {
      for (;;) {
        if (it.state.timers.due(this.host.clock.now(), 1).length === 0) break;
        const batch = this.host.run((tx) => this.timers.fire(tx, bounded));
        if (batch.pending) this.host.budget.schedule();
        if (batch.fired > 0) this.host.timersFired?.(batch.fired);
        // a full batch (size or time) gives the event loop back; otherwise timers its paths made due fire now
        if (bounded && batch.more) {
          setImmediate(() => this.runDue(true));
          return;
        }
      }
      if (this.pruneHistory(bounded)) return;
      this.host.run((tx) => {
        expireLeases(tx, it);
        expireMessages(tx, it);
      });
      // jobs whose retry back-off has passed
      const now = this.host.clock.now();
      const types = it.state.jobs.typesActivatableBetween(this.lastPass, now);
      this.lastPass = now;
      if (types.length) this.host.notifyJobTypes(types);
    } catch (e) {
      log.error({ err: e }, 'scheduler pass failed');
    } finally {
      this.running = false;
    }
    this.planNext();
  }

  /** Removes expired histories, a batch at a time; true if a later pass continues (bounded). */
  private pruneHistory(bounded: boolean): boolean {
    if (!this.retention.enabled) return false;
    for (;;) {
      const batch = this.host.run((tx) => this.retention.prune(tx, bounded));
      if (!batch.more) return false;
      if (bounded) {
        setImmediate(() => this.runDue(true));
        return true;
      }
    }
  }

  private planNext(): void {
    if (this.stopped) return;
    const { state } = this.host.it;
    const now = this.host.clock.now();
    const candidates = [
      state.timers.earliestDue(),
      state.jobs.earliestDeadline(),
      state.jobs.earliestActivatableAfter(now),
      state.messages.earliestDeadline(),
      this.retention.nextExpiry(),
    ].filter((t): t is number => t !== null);
    this.plannedAt = Number.POSITIVE_INFINITY;
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    const next = candidates.length ? Math.min(...candidates) : Number.POSITIVE_INFINITY;
    this.plan(next);
  }

  private plan(at: number): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    this.plannedAt = at;
    // A pinned clock does not move by itself: only a clock change (which calls runDue) makes things due.
    if (this.host.clock.isPinned()) {
      this.plannedAt = Number.POSITIVE_INFINITY;
      return;
    }
    const delay = Math.min(Math.max(at - this.host.clock.now(), 0), MAX_SLEEP);
    this.handle = setTimeout(() => {
      this.handle = null;
      this.plannedAt = Number.POSITIVE_INFINITY;
      this.runDue(true);
    }, delay);
    this.handle.unref?.();
  }
}

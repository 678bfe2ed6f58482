// One scheduler for everything that falls due: timers (by the due-date index), job leases and retry
// back-offs, message time-to-live. No timeout per timer: one wake-up at the earliest due instant, and
// a pass whenever the clock is moved. A waiting instance costs rows, not memory.
import type { EngineClock } from './clock.ts';
import type { Interpreter, Logger } from './runtime/interpreter.ts';
import type { Tx } from './runtime/tx.ts';

/** setTimeout cannot wait longer than 2^31-1 ms; we also re-check at least once a minute. */
const MAX_SLEEP = 60_000;
const BATCH = 500;

export interface SchedulerHost {
  it: Interpreter;
  clock: EngineClock;
  log: Logger;
  run<T>(fn: (tx: Tx) => T): T;
  triggerTimer(tx: Tx, key: number): void;
  expireLeases(tx: Tx): void;
  expireMessages(tx: Tx): void;
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

  constructor(host: SchedulerHost) {
    this.host = host;
    this.lastPass = host.clock.now();
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
   * passes): one batch of timers, the next one after the I/O waiting now; otherwise (an explicit
   * call, a moved clock) every due timer before returning.
   */
  runDue(bounded = false): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const { it, log } = this.host;
    try {
      for (;;) {
        const now = this.host.clock.now();
        const due = it.state.timers.due(now, BATCH);
        if (due.length === 0) break;
        const failed: number[] = [];
        this.host.run((tx) => {
          for (const t of due) {
            try {
              it.db.sqlite.transaction(() => this.host.triggerTimer(tx, t.key))();
            } catch (e) {
              failed.push(t.key);
              log.error({ err: e, timerKey: t.key }, 'timer trigger failed');
            }
          }
          // A timer that cannot fire must not block the others forever.
          for (const key of failed) it.state.timers.delete(key);
        });
        this.host.timersFired?.(due.length - failed.length);
        if (bounded && due.length === BATCH) {
          setImmediate(() => this.runDue(true));
          return;
        }
      }
      this.host.run((tx) => {
        this.host.expireLeases(tx);
        this.host.expireMessages(tx);
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

  private planNext(): void {
    if (this.stopped) return;
    const { state } = this.host.it;
    const now = this.host.clock.now();
    const candidates = [
      state.timers.earliestDue(),
      state.jobs.earliestDeadline(),
      state.jobs.earliestActivatableAfter(now),
      state.messages.earliestDeadline(),
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

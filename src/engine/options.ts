// How an engine is opened (Engine.open).
import type { EngineClock } from './clock.ts';
import type { GroupCommitOptions } from './commit-queue.ts';
import type { Logger } from './runtime/interpreter.ts';
import type { Synchronous } from './state/db.ts';

export interface EngineOptions {
  /** SQLite file; ':memory:' for a throw-away engine. */
  file: string;
  clock?: EngineClock;
  logger?: Logger;
  /** FULL (default) survives power loss; NORMAL survives process crashes. */
  synchronous?: Synchronous;
  /** Start the scheduler (default true); false: call startScheduler() when ready to serve. */
  scheduler?: boolean;
  /** Follow-up steps one transaction runs before the rest continues in a later one (default 1,000). */
  stepsPerTransaction?: number;
  /**
   * Due timers one transaction fires at most (default 500; each timer in its own savepoint, a batch
   * also stops after ~10 ms). 1 gives each timer a transaction of its own (the benchmark's baseline).
   */
  timersPerTransaction?: number;
  /**
   * History retention: the history of an instance that ended (with the instances it called) is removed this
   * many ms after its root ended, in bounded background batches (retention.ts). Undefined or 0: kept for ever.
   */
  historyTimeToLive?: number;
  /**
   * Group commit (commit-queue.ts) of the commands given to `submit` (every REST command): commands that arrive
   * together share one durable transaction, each in its own savepoint. Default on (at most 256 commands and
   * ~10 ms a batch); false: each command commits alone (the benchmark's baseline).
   */
  groupCommit?: boolean | GroupCommitOptions;
}

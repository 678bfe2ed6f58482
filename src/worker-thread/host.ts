// The main thread's side of the workers' thread (issue #17): starts src/worker-thread/thread.ts in a worker
// thread, writes its logs to the system's logger, mirrors the engine's clock into it, stops it gracefully and
// restarts it when it dies.
//
// A thread that dies (an uncaught error in a handler's library, out of memory) is restarted after 1 s, then 2, 4…
// up to 60 s, each time with an error in the log naming the cause; the delay starts again from 1 s once a thread
// has run for 60 s. Why not end the process instead: the business API, the pages and the engine are still sound —
// users go on deciding their tasks, and the jobs the dead thread held are handed out again when their lease ends —
// so an administrator loses less with a restarted thread and a loud log than with the whole server down; the
// backoff keeps a thread that dies at once from spinning. A thread that cannot start the first time (a store it
// cannot open) fails the start-up instead: that is a configuration to fix, not a crash to ride out.
import { Worker } from 'node:worker_threads';
import type { RunningWorkers, WorkerLogger } from '../camunda/worker-runtime.ts';
import type { EngineClock } from '../engine/clock.ts';
import {
  type HostMessage,
  newClockBuffer,
  type ThreadInput,
  type ThreadMessage,
  writeClock,
} from './protocol.ts';

export interface WorkerThreadOptions extends Omit<ThreadInput, 'clock' | 'logLevel'> {
  /** The embedded engine's clock, mirrored into the thread; null: the system clock. */
  engineClock: EngineClock | null;
  /** The system's logger (pino): the thread's lines are written to it, at its level. */
  logger: WorkerLogger & { level: string };
  /** Restart delays; default 1 s doubling to 60 s, reset after 60 s of life. */
  restart?: { firstMs: number; maxMs: number; stableMs: number };
}

export interface RunningWorkerThread extends RunningWorkers {
  /** How many times the thread was restarted after dying. */
  restarts(): number;
  /** The running thread (tests end it to see it restarted), or null between a death and its restart. */
  thread(): Worker | null;
}

const DEFAULT_RESTART = { firstMs: 1_000, maxMs: 60_000, stableMs: 60_000 };
const BOOT = new URL('./boot.mjs', import.meta.url);

/** Starts the workers' thread and resolves once its workers poll; rejects if the first thread cannot start. */
export async function startWorkerThread(options: WorkerThreadOptions): Promise<RunningWorkerThread> {
  const { engineClock, logger } = options;
  const restart = options.restart ?? DEFAULT_RESTART;
  const clock = engineClock ? newClockBuffer() : null;
  const mirror = () => {
    if (!clock || !engineClock) return;
    if (engineClock.isPinned()) return writeClock(clock, engineClock.now(), 0);
    // the offset of a running clock: read within one millisecond of the system clock
    for (;;) {
      const before = Date.now();
      const now = engineClock.now();
      if (Date.now() === before) return writeClock(clock, null, now - before);
    }
  };
  mirror();
  const unsubscribe = engineClock?.onChange(mirror) ?? (() => {});
  const input: ThreadInput = {
    config: options.config,
    camunda: options.camunda,
    clock,
    logLevel: logger.level,
    ...(options.pollTimeoutMs ? { pollTimeoutMs: options.pollTimeoutMs } : {}),
    ...(options.extraWorkers ? { extraWorkers: options.extraWorkers } : {}),
  };
  const s: HostState = { current: null, inFlight: 0, restarts: 0, delayMs: restart.firstMs, stopping: false };
  s.timer = null;
  try {
    await spawn(s, input, logger, restart);
  } catch (e) {
    unsubscribe();
    throw e;
  }
  return {
    inFlight: () => s.inFlight,
    restarts: () => s.restarts,
    thread: () => s.current,
    stop: async (graceMs = 10_000) => {
      s.stopping = true;
      if (s.timer) clearTimeout(s.timer);
      unsubscribe();
      return stopThread(s.current, graceMs, logger);
    },
  };
}

interface HostState {
  current: Worker | null;
  inFlight: number;
  restarts: number;
  delayMs: number;
  stopping: boolean;
  timer?: NodeJS.Timeout | null;
}

type Restart = { firstMs: number; maxMs: number; stableMs: number };

/** One thread's life: resolves when its workers poll, rejects if it ends before that. */
function spawn(s: HostState, input: ThreadInput, logger: WorkerLogger, restart: Restart): Promise<void> {
  const worker = new Worker(BOOT, { workerData: input, name: 'yunfu-workers' });
  s.current = worker;
  let startedAt = 0;
  let lastError: unknown = null;
  return new Promise((ready, failed) => {
    worker.on('message', (m: ThreadMessage) => {
      if (m.kind === 'log') logger[m.level](m.obj, m.msg);
      else if (m.kind === 'inFlight') s.inFlight = m.count;
      else if (m.kind === 'ready') {
        startedAt = Date.now();
        logger.info({ jobTypes: m.jobTypes, threadId: worker.threadId }, "workers' thread started");
        ready();
      }
    });
    worker.on('error', (e) => {
      lastError = e;
    });
    worker.on('exit', (code) => {
      if (s.current === worker) s.current = null;
      s.inFlight = 0;
      if (!startedAt)
        return failed(lastError ?? new Error(`the workers' thread exited (${code}) before it started`));
      if (s.stopping) return;
      if (Date.now() - startedAt >= restart.stableMs) s.delayMs = restart.firstMs;
      const delayMs = s.delayMs;
      s.delayMs = Math.min(restart.maxMs, s.delayMs * 2);
      logger.error(
        {
          exitCode: code,
          err: lastError ? String((lastError as Error).stack ?? lastError) : null,
          restartInMs: delayMs,
        },
        "the workers' thread died; restarting it",
      );
      s.timer = setTimeout(() => respawn(s, input, logger, restart), delayMs);
      s.timer.unref();
    });
  });
}

function respawn(s: HostState, input: ThreadInput, logger: WorkerLogger, restart: Restart): void {
  if (s.stopping) return;
  s.restarts++;
  spawn(s, input, logger, restart).catch((e: unknown) => {
    // a thread that dies while starting: try again later, with the next delay
    logger.error({ err: String(e), restartInMs: s.delayMs }, "the workers' thread could not start again");
    if (s.stopping) return;
    const delayMs = s.delayMs;
    s.delayMs = Math.min(restart.maxMs, s.delayMs * 2);
    s.timer = setTimeout(() => respawn(s, input, logger, restart), delayMs);
    s.timer.unref();
  });
}

/** Asks the thread to stop its workers (running handlers get `graceMs`), then ends it. */
async function stopThread(
  worker: Worker | null,
  graceMs: number,
  logger: WorkerLogger,
): Promise<{ finished: number; released: number }> {
  if (!worker) return { finished: 0, released: 0 };
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  const stopped = new Promise<{ finished: number; released: number }>((resolve) => {
    worker.on('message', (m: ThreadMessage) => {
      if (m.kind === 'stopped') resolve({ finished: m.finished, released: m.released });
    });
    void exited.then(() => resolve({ finished: 0, released: 0 }));
  });
  worker.postMessage({ kind: 'stop', graceMs } satisfies HostMessage);
  // the grace period, the releases' calls and closing the store; a thread stuck past that is ended regardless
  const timer = setTimeout(() => {
    logger.warn({ graceMs }, "the workers' thread did not stop in time; ending it");
    void worker.terminate();
  }, graceMs + 10_000);
  const result = await stopped;
  clearTimeout(timer);
  await worker.terminate();
  await exited;
  return result;
}

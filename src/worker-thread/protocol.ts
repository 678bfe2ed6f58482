// What the main thread and the workers' thread say to each other (src/worker-thread/host.ts starts the thread,
// thread.ts runs in it), and the clock they share.
//
// The clock: with the embedded engine the workers read the engine's clock, which tests and administrators pin and
// move (PUT /v2/clock). The thread cannot call into the engine, so the main thread mirrors the clock's state —
// pinned at an instant, or the system clock plus an offset — into shared memory whenever it changes, and the
// thread computes `now` from it without a round trip. A sequence number (odd while a write is in progress) keeps
// a reader from mixing two states.
import type { CamundaClientConfig } from '../camunda/config.ts';
import type { AppConfig } from '../config.ts';

export interface ThreadInput {
  config: AppConfig;
  /** How the workers' own client reaches the engine: the embedded /v2 of this server, or Camunda 8. */
  camunda: CamundaClientConfig;
  /** The engine clock's mirror (ClockMirror); null: the system clock (Camunda mode). */
  clock: SharedArrayBuffer | null;
  pollTimeoutMs?: number;
  /** The lowest level the system's logger writes: the thread drops lower ones instead of posting them. */
  logLevel: string;
  /** File URL of a module whose default export adds or replaces workers (SystemOptions.threadWorkers). */
  extraWorkers?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Thread → main. */
export type ThreadMessage =
  | { kind: 'ready'; jobTypes: string[] }
  | { kind: 'log'; level: LogLevel; obj: object; msg?: string }
  | { kind: 'inFlight'; count: number }
  | { kind: 'stopped'; finished: number; released: number };

/** Main → thread. */
export type HostMessage = { kind: 'stop'; graceMs: number };

const SEQ = 0; // Int32 slot
const PINNED = 1; // Float64 slots (8-byte aligned: the Int32 slot is padded to 8 bytes)
const OFFSET = 2;

export function newClockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * 3);
}

/** Main side: writes the engine clock's state (`pinnedAt` null: the system clock plus `offset`). */
export function writeClock(buffer: SharedArrayBuffer, pinnedAt: number | null, offset: number): void {
  const seq = new Int32Array(buffer, 0, 1);
  const values = new Float64Array(buffer);
  Atomics.add(seq, SEQ, 1);
  values[PINNED] = pinnedAt ?? Number.NaN;
  values[OFFSET] = offset;
  Atomics.add(seq, SEQ, 1);
}

/** Thread side: the engine clock's now, from the mirror. */
export function readClock(buffer: SharedArrayBuffer): number {
  const seq = new Int32Array(buffer, 0, 1);
  const values = new Float64Array(buffer);
  for (;;) {
    const before = Atomics.load(seq, SEQ);
    const pinned = values[PINNED] as number;
    const offset = values[OFFSET] as number;
    if (before % 2 === 0 && Atomics.load(seq, SEQ) === before) {
      return Number.isNaN(pinned) ? Date.now() + offset : pinned;
    }
  }
}

// What the job handlers are given: the regulation (rules, deadlines, calendar) and the clock. With the embedded
// engine the clock is the engine's (tests pin and move it); against real Camunda it is the system clock.
import type { Regulation } from '../src/domain/index.ts';

export interface WorkerDeps {
  regulation: Regulation;
  /** Epoch milliseconds now, from the injected clock; never Date.now() directly. */
  now: () => number;
}

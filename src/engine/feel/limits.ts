// Limits on one FEEL evaluation, so that one expression cannot freeze or kill the engine: a bound on
// the range items it enumerates (`for i in 1..20000000` is refused before feelin allocates the list)
// and a time budget for expressions that iterate. Exceeding either raises FeelLimitError, which the
// evaluator turns into a FeelError and the element into an incident.
import vm from 'node:vm';
import { FeelRange } from 'feelin';

/**
 * Range items one evaluation may enumerate, nested loops counted together. A million numbers is far
 * beyond any list a process needs and costs ~100 MB in feelin's iteration contexts; 20 million cost
 * over 3 GB and killed the process.
 */
export const MAX_RANGE_ITEMS = 1_000_000;
/** Wall time of one evaluation of an iterating expression (`for`, `some`/`every`, a function). */
export const EVALUATION_TIMEOUT_MS = 1_000;

export class FeelLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelLimitError';
  }
}

let depth = 0;
let rangeItems = 0;

function rangeSize(range: FeelRange): number {
  const { start, end } = range as unknown as { start: unknown; end: unknown };
  if (typeof start !== 'number' || typeof end !== 'number') return 0; // character ranges are tiny
  return Math.floor(Math.abs(end - start)) + 1;
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}

// feelin enumerates a range (in `for`, `some`, `every` and list functions) through FeelRange.map
const originalMap = FeelRange.prototype.map;
FeelRange.prototype.map = function boundedMap<T>(this: FeelRange, fn: (value: unknown) => T): T[] {
  const size = rangeSize(this);
  const total = depth > 0 ? rangeItems + size : size;
  if (total > MAX_RANGE_ITEMS) {
    throw new FeelLimitError(
      `the evaluation exceeded the limit of ${format(MAX_RANGE_ITEMS)} range items (a range of ${format(size)} items)`,
    );
  }
  if (depth > 0) rangeItems = total;
  return originalMap.call(this, fn) as T[];
};

const sandbox = vm.createContext({ run: () => {} });
const runInSandbox = new vm.Script('run()');

/**
 * Runs one evaluation within the limits; `timed` puts it under the time budget (a V8 watchdog that
 * stops the running code, ~0.1 ms per call, so only for expressions that iterate).
 */
export function withinLimits<T>(evaluation: () => T, timed: boolean): T {
  if (depth > 0) return evaluation();
  depth++;
  rangeItems = 0;
  try {
    if (!timed) return evaluation();
    let result: T | undefined;
    (sandbox as { run: () => void }).run = () => {
      result = evaluation();
    };
    runInSandbox.runInContext(sandbox, { timeout: EVALUATION_TIMEOUT_MS });
    return result as T;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new FeelLimitError(
        `the evaluation exceeded the time limit of ${format(EVALUATION_TIMEOUT_MS)} ms`,
      );
    }
    throw e;
  } finally {
    depth--;
    (sandbox as { run: () => void }).run = () => {};
  }
}

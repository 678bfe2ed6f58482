// One command's transaction context: the instant it runs at, follow-up work (Zeebe's follow-up
// commands, processed in order until every token waits) and the event-log records it appends.
// Follow-ups are data, not closures, so that the queue can be bounded and carried over.

/** A pending step of the interpreter. */
export type FollowUp =
  | { kind: 'ACTIVATE' | 'COMPLETE'; key: number }
  /** A newly opened message subscription looks for a buffered message. */
  | { kind: 'CORRELATE_BUFFERED'; key: number }
  /** Work of a command processor that must wait for the element steps queued before it. */
  | { kind: 'RUN'; run: () => void };

export interface PendingRecord {
  key: number;
  valueType: string;
  intent: string;
  processInstanceKey: number | null;
  elementId: string | null;
  value: Record<string, unknown> | null;
}

export class Tx {
  readonly now: number;
  readonly queue: FollowUp[] = [];
  readonly records: PendingRecord[] = [];
  readonly afterCommit: Array<() => void> = [];
  /** Job types that became activatable in this transaction (for long-polling workers). */
  readonly jobTypes = new Set<string>();
  /** The earliest instant at which the scheduler has something new to do, if any. */
  earliestWake = Number.POSITIVE_INFINITY;

  constructor(now: number) {
    this.now = now;
  }

  /** Queues a step of an element instance (activate or complete it) after the steps already queued. */
  follow(kind: 'ACTIVATE' | 'COMPLETE' | 'CORRELATE_BUFFERED', key: number): void {
    this.queue.push({ kind, key });
  }

  wakeAt(at: number): void {
    if (at < this.earliestWake) this.earliestWake = at;
  }

  record(
    valueType: string,
    intent: string,
    key: number,
    processInstanceKey: number | null,
    elementId: string | null,
    value: Record<string, unknown> | null = null,
  ): void {
    this.records.push({ key, valueType, intent, processInstanceKey, elementId, value });
  }
}

/** Raised inside an element's step when the step cannot go on; becomes an incident. */
export class IncidentError extends Error {
  readonly errorType: string;
  /** What to keep of the failed step once it is rolled back (e.g. a failed decision evaluation's record). */
  readonly afterRollback: ((tx: Tx) => void) | undefined;
  constructor(errorType: string, message: string, afterRollback?: (tx: Tx) => void) {
    super(message);
    this.name = 'IncidentError';
    this.errorType = errorType;
    this.afterRollback = afterRollback;
  }
}

// One command's transaction context: the instant it runs at, follow-up work (Zeebe's follow-up
// commands, processed in order until every token waits) and the event-log records it appends.

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
  readonly queue: Array<() => void> = [];
  readonly records: PendingRecord[] = [];
  readonly afterCommit: Array<() => void> = [];
  /** Job types that became activatable in this transaction (for long-polling workers). */
  readonly jobTypes = new Set<string>();
  /** The earliest instant at which the scheduler has something new to do, if any. */
  earliestWake = Number.POSITIVE_INFINITY;

  constructor(now: number) {
    this.now = now;
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
  constructor(errorType: string, message: string) {
    super(message);
    this.name = 'IncidentError';
    this.errorType = errorType;
  }
}

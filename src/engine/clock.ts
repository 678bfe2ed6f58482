// The engine's one clock. System time by default; can be pinned to an instant or moved forward
// (Camunda's PUT /v2/clock). Listeners run after a change so that due timers fire.
export interface Clock {
  now(): number;
}

export class EngineClock implements Clock {
  private pinnedAt: number | null = null;
  private offset = 0;
  private readonly listeners = new Set<() => void>();
  private readonly system: () => number;

  constructor(system: () => number = Date.now) {
    this.system = system;
  }

  now(): number {
    return this.pinnedAt ?? this.system() + this.offset;
  }

  isPinned(): boolean {
    return this.pinnedAt !== null;
  }

  /** Stops time at the given instant (epoch milliseconds). */
  pin(at: number): void {
    this.pinnedAt = at;
    this.changed();
  }

  /** Moves time forward; a pinned clock stays pinned at the new instant. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('The clock can only move forward');
    if (this.pinnedAt !== null) this.pinnedAt += ms;
    else this.offset += ms;
    this.changed();
  }

  /** Back to system time. */
  reset(): void {
    this.pinnedAt = null;
    this.offset = 0;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

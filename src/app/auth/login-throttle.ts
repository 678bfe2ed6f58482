// Login rate limit: failed attempts are counted per account (tenant + username) and per client address in a sliding
// window; past the limit every attempt is refused with 429 until the window has passed, even with the right
// password, so guessing gains nothing. In memory: one app process; behind several processes put a shared limiter
// (e.g. at the reverse proxy) in front as well.
export interface ThrottleOptions {
  /** Failures per account within the window before it is locked. */
  maxAccountFailures: number;
  /** Failures per client address within the window (any accounts) before it is locked. */
  maxAddressFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxAccountFailures: 5,
  maxAddressFailures: 20,
  windowMs: 15 * 60_000,
};

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds until an attempt is allowed again, or 0 when it is allowed now. */
  retryAfter(account: string, address: string): number {
    const check = (key: string, max: number) => {
      const list = this.recent(key);
      if (list.length < max) return 0;
      return Math.ceil(((list[list.length - max] as number) + this.options.windowMs - this.now()) / 1000);
    };
    return Math.max(
      check(`account:${account}`, this.options.maxAccountFailures),
      check(`address:${address}`, this.options.maxAddressFailures),
    );
  }

  failed(account: string, address: string): void {
    // Bounded memory: a flood of made-up usernames must not grow the map without end.
    if (this.failures.size > 50_000) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [`account:${account}`, `address:${address}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  succeeded(account: string): void {
    this.failures.delete(`account:${account}`);
  }
}

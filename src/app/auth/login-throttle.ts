// Sign-in throttling, two rules, neither of which lets a stranger lock someone out:
//   - per account: after a few failures each further attempt must wait a delay that doubles up to a short cap
//     (1, 2, 4 … 30 s); a success resets it. Guessing is slowed to a couple of tries a minute per account, while
//     the owner, whoever hammers their name, waits at most the cap — never a lock-out.
//   - per client address (request.ip, which follows TRUST_PROXY): a generous sliding window of failures across
//     accounts, against one client trying many accounts; high enough that an office behind one NAT is not shut out
//     by a few forgotten passwords.
// An attempt inside a wait is refused with 429 without looking at the password, so guessing gains nothing.
// In memory: one app process (the data directory is locked to one); a shared limiter belongs at the proxy.
export interface ThrottleOptions {
  /** Failures per account that cost no delay. */
  freeFailures: number;
  /** The longest per-account delay, in seconds. */
  maxDelaySeconds: number;
  /** Failures of an account older than this (since the last one) are forgotten. */
  accountResetMs: number;
  /** Failures per client address within the window (any accounts) before it must wait. */
  maxAddressFailures: number;
  addressWindowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 3,
  maxDelaySeconds: 30,
  accountResetMs: 15 * 60_000,
  maxAddressFailures: 100,
  addressWindowMs: 15 * 60_000,
};

const MAX_TRACKED = 50_000;

export class LoginThrottle {
  private readonly accounts = new Map<string, { failures: number; last: number }>();
  private readonly addresses = new Map<string, number[]>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** The per-account delay after `failures` consecutive failures, in seconds. */
  delayAfter(failures: number): number {
    const over = failures - this.options.freeFailures;
    return over < 0 ? 0 : Math.min(2 ** over, this.options.maxDelaySeconds);
  }

  private account(key: string): { failures: number; last: number } | undefined {
    const entry = this.accounts.get(key);
    if (entry && this.now() - entry.last > this.options.accountResetMs) {
      this.accounts.delete(key);
      return undefined;
    }
    return entry;
  }

  private address(key: string): number[] {
    const since = this.now() - this.options.addressWindowMs;
    const list = (this.addresses.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.addresses.delete(key);
    else this.addresses.set(key, list);
    return list;
  }

  /** Seconds until an attempt is allowed again, or 0 when it is allowed now. */
  retryAfter(account: string, address: string): number {
    const now = this.now();
    const entry = this.account(account);
    const accountWait = entry ? entry.last + this.delayAfter(entry.failures) * 1000 - now : 0;
    const list = this.address(address);
    const max = this.options.maxAddressFailures;
    const addressWait =
      list.length < max ? 0 : (list[list.length - max] as number) + this.options.addressWindowMs - now;
    const wait = Math.max(accountWait, addressWait);
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  failed(account: string, address: string): void {
    // Bounded memory: a flood of made-up usernames must not grow the maps without end.
    if (this.accounts.size > MAX_TRACKED) for (const key of [...this.accounts.keys()]) this.account(key);
    if (this.addresses.size > MAX_TRACKED) for (const key of [...this.addresses.keys()]) this.address(key);
    const entry = this.account(account);
    this.accounts.set(account, { failures: (entry?.failures ?? 0) + 1, last: this.now() });
    const list = this.address(address);
    list.push(this.now());
    this.addresses.set(address, list);
  }

  succeeded(account: string): void {
    this.accounts.delete(account);
  }
}

/** The message a throttled person reads on the sign-in page. */
export function throttledMessage(seconds: number): string {
  const when = seconds < 120 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
  return `尝试次数过多，请 ${when}后再试`;
}

// Authentication of /v2 as Camunda's: none, or HTTP basic. Without credentials configured, /v2 answers only
// clients on loopback (decided per request from the client's address, see guard.ts) and refuses everyone
// else: the engine API must never become a way around the business API's permissions. Failed basic-auth
// attempts are throttled per client address.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ProblemError } from './problem.ts';

export interface BasicCredentials {
  username: string;
  password: string;
}

export type RestAuth = { mode: 'none' } | { mode: 'basic'; users: BasicCredentials[] };

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** After this many failed attempts from one address, further attempts wait (429 with Retry-After). */
export const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 1_000;
const MAX_LOCK_MS = 5 * 60_000;
const FORGET_MS = 15 * 60_000;
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  lockedUntil: number;
  last: number;
}

/** 429: the client must wait `retryAfter` seconds before it tries again. */
export class TooManyAttempts extends ProblemError {
  constructor(readonly retryAfter: number) {
    super(
      429,
      'TOO_MANY_REQUESTS',
      `Too many failed authentication attempts from this address; try again in ${retryAfter} s`,
    );
  }
}

/** Failed basic-auth attempts per client address: each failure past FREE_FAILURES doubles the wait. */
export class FailureThrottle {
  private readonly byAddress = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws 429 while the address must wait. */
  check(address: string): void {
    const f = this.byAddress.get(address);
    if (!f) return;
    const t = this.now();
    if (t - f.last > FORGET_MS) {
      this.byAddress.delete(address);
      return;
    }
    if (f.lockedUntil > t) throw new TooManyAttempts(Math.ceil((f.lockedUntil - t) / 1000));
  }

  failed(address: string): void {
    const t = this.now();
    const f = this.byAddress.get(address) ?? { count: 0, lockedUntil: 0, last: t };
    f.count++;
    f.last = t;
    if (f.count > FREE_FAILURES) {
      f.lockedUntil = t + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (f.count - FREE_FAILURES - 1));
    }
    this.byAddress.delete(address);
    this.byAddress.set(address, f);
    if (this.byAddress.size > MAX_TRACKED) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest !== undefined) this.byAddress.delete(oldest);
    }
  }

  succeeded(address: string): void {
    this.byAddress.delete(address);
  }
}

function validBasic(users: BasicCredentials[], authorization: string | undefined): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // compare against every user so that timing does not reveal which names exist
  let ok = false;
  for (const u of users) if (same(u.username, user) && same(u.password, password)) ok = true;
  return ok;
}

/**
 * Returns the check to run on every /v2 request, given its Authorization header and the client's address
 * (guard.ts clientAddress). `listenHost` only names the server in messages.
 */
export function authenticator(
  auth: RestAuth,
  listenHost: string,
  throttle = new FailureThrottle(),
): (authorization: string | undefined, client: string) => void {
  if (auth.mode === 'basic' && auth.users.length === 0) {
    throw new Error('Basic authentication for /v2 needs at least one user');
  }
  return (authorization, client) => {
    if (auth.mode === 'none') {
      if (isLoopback(client)) return;
      throw new ProblemError(
        401,
        'UNAUTHORIZED',
        `The Camunda REST API on '${listenHost}' has no credentials configured and answers only clients on loopback. Configure basic authentication for /v2.`,
      );
    }
    throttle.check(client);
    if (validBasic(auth.users, authorization)) {
      throttle.succeeded(client);
      return;
    }
    // a request without any credentials is not an attempt (clients first ask without, then with)
    if (authorization !== undefined) throttle.failed(client);
    throw new ProblemError(
      401,
      'UNAUTHORIZED',
      'The request is missing valid basic authentication credentials.',
    );
  };
}

// Authentication of /v2 as Camunda's: none, or HTTP basic. Whenever the server listens on an address other
// than loopback, /v2 refuses every request that lacks valid credentials — and if no credentials are
// configured at all, it refuses everything: the engine API must never become a way around the business
// API's permissions.
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

/**
 * Returns the check to run on every /v2 request. `listenHost` is the address the server listens on.
 */
export function authenticator(
  auth: RestAuth,
  listenHost: string,
): (authorization: string | undefined) => void {
  if (auth.mode === 'basic' && auth.users.length === 0) {
    throw new Error('Basic authentication for /v2 needs at least one user');
  }
  const open = auth.mode === 'none' && isLoopback(listenHost);
  return (authorization) => {
    if (open) return;
    if (auth.mode === 'none') {
      throw new ProblemError(
        401,
        'UNAUTHORIZED',
        `The Camunda REST API listens on '${listenHost}', not on loopback, and no credentials are configured: every request is refused. Configure basic authentication for /v2.`,
      );
    }
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const user = decoded.slice(0, colon);
        const password = decoded.slice(colon + 1);
        // compare against every user so that timing does not reveal which names exist
        let ok = false;
        for (const u of auth.users) if (same(u.username, user) && same(u.password, password)) ok = true;
        if (ok) return;
      }
    }
    throw new ProblemError(
      401,
      'UNAUTHORIZED',
      'The request is missing valid basic authentication credentials.',
    );
  };
}

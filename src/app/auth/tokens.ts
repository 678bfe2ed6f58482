// Session tokens: 32 random bytes, base64url, handed to the client once; the store keeps only their SHA-256.
import { createHash, randomBytes } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const SESSION_COOKIE = 'yunfu_session';

/** The token of a request: `Authorization: Bearer …` first, else the session cookie. */
export function tokenFrom(
  headers: { authorization?: string },
  cookies: Record<string, string | undefined>,
): string | null {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(auth.trim());
    return m ? (m[1] as string) : null;
  }
  const cookie = cookies[SESSION_COOKIE];
  return cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? cookie : null;
}

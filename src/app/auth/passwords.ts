// Local account passwords: scrypt (node:crypto) with a random salt, stored as `scrypt$N$r$p$salt$hash` so the cost
// can be raised later without invalidating old hashes. Comparison in constant time.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;
const DEFAULT_COST = { N: 16384, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** A new password that does not meet the policy; the message says which rule, in the users' language. */
export class WeakPasswordError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WeakPasswordError';
  }
}

/**
 * The hash of a new password. Every way an account's password is set (seeds, imports, resets) goes through here,
 * so the policy cannot be skipped: a weak one throws WeakPasswordError.
 */
export async function hashPassword(password: string): Promise<string> {
  const issue = passwordIssue(password);
  if (issue) throw new WeakPasswordError(issue);
  return hashUnchecked(password);
}

async function hashUnchecked(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT_COST);
  return `scrypt$${DEFAULT_COST.N}$${DEFAULT_COST.r}$${DEFAULT_COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Checked against when the account does not exist, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashUnchecked(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** The minimum for a new password: long enough, not all one kind of character. */
export function passwordIssue(password: string): string | null {
  if (password.length < 10) return '密码至少 10 个字符';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) return '密码须包含大写字母、小写字母、数字和符号中的至少三类';
  return null;
}

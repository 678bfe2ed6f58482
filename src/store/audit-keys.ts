// SV-4: the keys of the audit trail, kept in a directory outside the database (AUDIT_KEY_DIR): an HMAC-SHA256 secret
// that keys the hash chain (someone who can write the database but not read this directory cannot recompute a
// valid chain), and an Ed25519 key pair that signs chain checkpoints and audit exports (anyone holding the public key
// can check them). Created at first start; never silently replaced: a store whose chain was keyed refuses to run
// without the key it was keyed with.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HMAC_FILE = 'audit-hmac.key';
export const PRIVATE_KEY_FILE = 'audit-ed25519.key';
export const PUBLIC_KEY_FILE = 'audit-ed25519.pub';

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

/** A verifier's view: the public key only. */
export interface AuditPublicKey {
  publicKey: KeyObject;
  publicKeyPem: string;
  /** SHA-256 of the public key's SPKI DER, hex: what a verifier pins. */
  fingerprint: string;
}

export interface AuditKeys extends AuditPublicKey {
  dir: string;
  hmacKey: Buffer;
  /** Names the HMAC key without revealing it (recorded with the chain so a wrong key is noticed). */
  keyId: string;
  privateKey: KeyObject;
}

export function publicKeyFromPem(pem: string): AuditPublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError('the public key is not an Ed25519 key');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

function keyIdOf(hmacKey: Buffer): string {
  return hmacHex(hmacKey, 'yunfu-audit-key-id').slice(0, 16);
}

export function signBytes(keys: AuditKeys, data: Buffer | string): string {
  return sign(null, Buffer.from(data), keys.privateKey).toString('base64');
}

export function verifySignature(key: AuditPublicKey, data: Buffer | string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(data), key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** What the key directory holds: all three files, none, or (an operator's mistake) only some. */
export function keyDirState(dir: string): 'complete' | 'empty' | 'partial' {
  const present = [HMAC_FILE, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE].filter((f) => existsSync(join(dir, f)));
  return present.length === 3 ? 'complete' : present.length === 0 ? 'empty' : 'partial';
}

/** Reads the keys; throws AuditKeyError naming the file when one is missing or unreadable. */
export function readAuditKeys(dir: string): AuditKeys {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8').trim();
    } catch (e) {
      throw new AuditKeyError(`cannot read the audit key ${join(dir, file)}: ${(e as Error).message}`);
    }
  };
  const hmacKey = Buffer.from(read(HMAC_FILE), 'hex');
  if (hmacKey.length < 32) throw new AuditKeyError(`${join(dir, HMAC_FILE)} does not hold a 256-bit hex key`);
  const privateKey = createPrivateKey(read(PRIVATE_KEY_FILE));
  const pub = publicKeyFromPem(read(PUBLIC_KEY_FILE));
  if (!createPublicKey(privateKey).equals(pub.publicKey)) {
    throw new AuditKeyError(`${join(dir, PUBLIC_KEY_FILE)} is not the public key of ${PRIVATE_KEY_FILE}`);
  }
  return { dir, hmacKey, keyId: keyIdOf(hmacKey), privateKey, ...pub };
}

/** Creates a fresh key set: directory 0700, secret files 0600, the public key 0644 (it is meant to be published). */
export function createAuditKeys(dir: string): AuditKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const write = (file: string, content: string, mode: number) => {
    // 'wx': never overwrite a key another process created a moment ago
    writeFileSync(join(dir, file), content, { mode, flag: 'wx' });
    chmodSync(join(dir, file), mode);
  };
  write(HMAC_FILE, `${randomBytes(32).toString('hex')}\n`, 0o600);
  write(PRIVATE_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  write(PUBLIC_KEY_FILE, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
  return readAuditKeys(dir);
}

// The keys a store was opened with, for the functions that take the store's Kysely instance rather than a Conn.
const keysByDb = new WeakMap<object, AuditKeys>();

export function attachAuditKeys(db: object, keys: AuditKeys): void {
  keysByDb.set(db, keys);
}

export function auditKeysOf(db: object): AuditKeys | null {
  return keysByDb.get(db) ?? null;
}

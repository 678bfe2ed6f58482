// The audit export's format: what manifest.json and signature.json hold. Shared by the writer (audit-export.ts)
// and the verifier (audit-archive-verify.ts), so neither imports the other.

export const ARCHIVE_FORMAT = 'yunfu-audit-export/1';
export const SIGNATURE_FORMAT = 'yunfu-audit-signature/1';

/** signature.json: Ed25519 over the exact bytes of manifest.json. */
export interface ManifestSignature {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'Ed25519';
  /** SPKI PEM: check it against the key you hold (`--public-key`), not only against itself. */
  publicKey: string;
  /** SHA-256 of the public key's SPKI DER, hex. */
  fingerprint: string;
  signature: string;
}

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  tenantId: string;
  projectId: string;
  exportedAt: string;
  exportedBy: string;
  /** The tenant's chain head when the archive was made: compare with the live trail to see it is the same chain. */
  chainHead: { seq: number; hash: string } | null;
  trailEntries: number;
  /**
   * The tenant's keyed-from seq: trail entries before it carry plain SHA-256 hashes, from it on HMAC-SHA256 (checked
   * where the verifier has the chain key). null: the trail has no key.
   */
  keyedFromSeq: number | null;
  files: ManifestFile[];
}

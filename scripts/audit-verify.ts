// `npm run audit:verify` — checks the tamper-evident audit trail (SV-4) of the business store that the app uses
// (DATA_DIR / DATABASE_URL, as at start-up): every entry's hash (HMAC under the key in AUDIT_KEY_DIR from each
// tenant's keyed-from marker on), the chain links, gaps in the sequence, the chain head, and the signed checkpoints
// in AUDIT_ANCHOR_DIR/checkpoints.jsonl — an anchored entry that is gone shows a cut tail, a head moved back or a
// deleted trail. Names every problem. Exit code 1 when anything was tampered with, 2 when it cannot check.
//
// `npm run audit:verify -- --archive FILE.tar [--archive …]` — checks project audit exports (SV-3) instead: the
// manifest's Ed25519 signature, every file against the manifest, documents against the hashes recorded at upload, the
// trail entries' hashes.
//
// Options: --tenant ID (only that tenant's chain); --checkpoints FILE (the copy of the checkpoints you hold);
// --public-key FILE (the Ed25519 public key to pin; default AUDIT_KEY_DIR's); --fingerprint HEX (pin by fingerprint).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, auditTrailConfig, ConfigError, loadConfig } from '../src/config.ts';
import { keyedChainCount, verifyChains } from '../src/store/audit.ts';
import { checkpointFile, readCheckpoints } from '../src/store/audit-anchor.ts';
import { verifyArchive } from '../src/store/audit-export.ts';
import {
  type AuditKeys,
  type AuditPublicKey,
  keyDirState,
  publicKeyFromPem,
  readAuditKeys,
} from '../src/store/audit-keys.ts';
import { Store } from '../src/store/store.ts';

interface Args {
  archives: string[];
  tenant?: string;
  checkpoints?: string;
  publicKey?: string;
  fingerprint?: string;
}

const USAGE =
  'usage: npm run audit:verify [-- --tenant ID] [--checkpoints FILE] [--public-key FILE]\n' +
  '       npm run audit:verify -- --archive FILE.tar ... [--public-key FILE | --fingerprint HEX]';

function parseArgs(argv: string[]): Args {
  const args: Args = { archives: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const next = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === '--archive') args.archives.push(next());
    else if (name === '--tenant') args.tenant = next();
    else if (name === '--checkpoints') args.checkpoints = next();
    else if (name === '--public-key') args.publicKey = next();
    else if (name === '--fingerprint') args.fingerprint = next().toLowerCase();
    else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return args;
}

/** The chain key where this machine has it (only the key holder can check HMAC entries), and the key to pin. */
function loadKeys(config: AppConfig, args: Args): { keys: AuditKeys | null; pinned: AuditPublicKey | null } {
  const { keyDir } = auditTrailConfig(config);
  const keys = keyDirState(keyDir) === 'complete' ? readAuditKeys(keyDir) : null;
  const pinned = args.publicKey ? publicKeyFromPem(readFileSync(args.publicKey, 'utf8')) : keys;
  return { keys, pinned };
}

async function verifyStore(config: AppConfig, args: Args): Promise<number> {
  const sqliteFile = join(config.dataDir, 'business.sqlite');
  if (!config.databaseUrl && !existsSync(sqliteFile)) {
    console.error(`no business store at ${sqliteFile}: has the app run with DATA_DIR=${config.dataDir}?`);
    return 2;
  }
  const { keys, pinned } = loadKeys(config, args);
  const store = Store.connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    console.log(`audit trail in ${store.description}`);
    let keyed: number;
    try {
      keyed = await keyedChainCount(store.db);
    } catch (e) {
      console.error(
        `cannot read the audit trail: ${(e as Error).message} (has the app ever run on this store?)`,
      );
      return 2;
    }
    if (keyed > 0 && !keys) {
      const { keyDir } = auditTrailConfig(config);
      console.error(`the trail is keyed, and AUDIT_KEY_DIR=${keyDir} has no key: run this where the key is`);
      return 2;
    }
    const anchors = checkAnchors(config, args, pinned);
    const reports = await verifyChains(store.db, args.tenant, { keys, checkpoints: anchors.valid });
    return printStoreReport(reports, anchors.problems, args.tenant);
  } finally {
    await store.close();
  }
}

function checkAnchors(config: AppConfig, args: Args, pinned: AuditPublicKey | null) {
  const file = args.checkpoints ?? checkpointFile(auditTrailConfig(config).anchorDir);
  if (!existsSync(file)) {
    console.log(
      `WARNING no checkpoints at ${file}: a cut tail or a deleted trail cannot be detected without them`,
    );
    return { valid: [], problems: [] };
  }
  if (!pinned) {
    console.log(`WARNING no public key to check the checkpoints in ${file} with (--public-key FILE)`);
    return { valid: [], problems: [] };
  }
  const read = readCheckpoints(file, pinned);
  console.log(`checkpoints: ${read.valid.length} signed by ${pinned.fingerprint.slice(0, 16)}… in ${file}`);
  return read;
}

function printStoreReport(
  reports: Awaited<ReturnType<typeof verifyChains>>,
  anchorProblems: string[],
  tenant: string | undefined,
): number {
  if (reports.length === 0)
    console.log(tenant ? `tenant ${tenant}: no audit entries` : 'no audit entries yet');
  let problems = anchorProblems.length;
  for (const p of anchorProblems) console.log(`  TAMPERED checkpoint ${p}`);
  for (const r of reports) {
    if (r.problems.length === 0) {
      console.log(`  ${r.tenantId}: ${r.entries} entries, chain intact`);
      continue;
    }
    problems += r.problems.length;
    console.log(`  ${r.tenantId}: ${r.entries} entries, ${r.problems.length} problem(s):`);
    for (const p of r.problems) console.log(`    TAMPERED seq ${p.seq} [${p.kind}] ${p.detail}`);
  }
  console.log(problems === 0 ? 'OK: no tampering found' : `FAILED: ${problems} problem(s) found`);
  return problems === 0 ? 0 : 1;
}

function verifyArchives(config: AppConfig | null, args: Args): number {
  const { keys, pinned } = config ? loadKeys(config, args) : { keys: null, pinned: null };
  let failed = 0;
  for (const file of args.archives) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (e) {
      console.error(`${file}: cannot read (${(e as Error).message})`);
      failed++;
      continue;
    }
    const report = verifyArchive(content, { publicKey: pinned, keys });
    if (args.fingerprint && report.signer && report.signer.fingerprint !== args.fingerprint) {
      report.problems.push(
        `signed by key ${report.signer.fingerprint}, not by the expected ${args.fingerprint}`,
      );
    }
    const what = report.manifest
      ? `project ${report.manifest.projectId} of ${report.manifest.tenantId}, exported ${report.manifest.exportedAt}`
      : 'no manifest';
    if (report.problems.length > 0) {
      failed++;
      console.log(`${file}: FAILED — ${what}`);
      for (const p of report.problems) console.log(`  TAMPERED ${p}`);
      continue;
    }
    const pinnedNote =
      report.signer?.pinned || args.fingerprint
        ? `signed by the expected key ${report.signer?.fingerprint.slice(0, 16)}…`
        : `WARNING signed by key ${report.signer?.fingerprint}, which was not pinned (--public-key or --fingerprint)`;
    console.log(
      `${file}: OK — ${what}; ${report.files} files, ${report.trailEntries} trail entries, all hashes match; ${pinnedNote}`,
    );
  }
  return failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  let args: Args;
  let config: AppConfig;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : (e as Error).message);
    return 2;
  }
  try {
    if (args.archives.length > 0) return verifyArchives(config, args);
    return await verifyStore(config, args);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
}

process.exitCode = await main();

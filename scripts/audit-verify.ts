// `npm run audit:verify` — checks the tamper-evident audit trail (SV-4) of the business store that the app uses
// (DATA_DIR / DATABASE_URL, as at start-up): every entry's hash, the chain links, gaps in the sequence and the
// chain head; names every altered, inserted or removed entry. Exit code 1 when anything was tampered with.
//
// `npm run audit:verify -- --archive FILE.tar [--archive …]` — checks project audit exports (SV-3) instead: every
// file against the manifest's SHA-256, documents against the hashes recorded at upload, the trail entries' hashes.
//
// Options: --tenant ID (only that tenant's chain).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.ts';
import { verifyChains } from '../src/store/audit.ts';
import { verifyArchive } from '../src/store/audit-export.ts';
import { Store } from '../src/store/store.ts';

function parseArgs(argv: string[]): { archives: string[]; tenant?: string } {
  const archives: string[] = [];
  let tenant: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--archive') archives.push(next());
    else if (arg?.startsWith('--archive=')) archives.push(arg.slice('--archive='.length));
    else if (arg === '--tenant') tenant = next();
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run audit:verify [-- --tenant ID] | [-- --archive FILE.tar ...]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return { archives, tenant };
}

async function verifyStore(tenant: string | undefined): Promise<number> {
  const config = loadConfig();
  const sqliteFile = join(config.dataDir, 'business.sqlite');
  if (!config.databaseUrl && !existsSync(sqliteFile)) {
    console.error(`no business store at ${sqliteFile}: has the app run with DATA_DIR=${config.dataDir}?`);
    return 2;
  }
  const store = Store.connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    console.log(`audit trail in ${store.description}`);
    let reports: Awaited<ReturnType<typeof verifyChains>>;
    try {
      reports = await verifyChains(store.db, tenant);
    } catch (e) {
      console.error(
        `cannot read the audit trail: ${(e as Error).message} (has the app ever run on this store?)`,
      );
      return 2;
    }
    if (reports.length === 0)
      console.log(tenant ? `tenant ${tenant}: no audit entries` : 'no audit entries yet');
    let problems = 0;
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
  } finally {
    await store.close();
  }
}

function verifyArchives(files: string[]): number {
  let failed = 0;
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (e) {
      console.error(`${file}: cannot read (${(e as Error).message})`);
      failed++;
      continue;
    }
    const report = verifyArchive(content);
    const what = report.manifest
      ? `project ${report.manifest.projectId} of ${report.manifest.tenantId}, exported ${report.manifest.exportedAt}`
      : 'no manifest';
    if (report.problems.length === 0) {
      console.log(
        `${file}: OK — ${what}; ${report.files} files, ${report.trailEntries} trail entries, all hashes match`,
      );
    } else {
      failed++;
      console.log(`${file}: FAILED — ${what}`);
      for (const p of report.problems) console.log(`  TAMPERED ${p}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args.archives.length > 0) return verifyArchives(args.archives);
  try {
    return await verifyStore(args.tenant);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main();

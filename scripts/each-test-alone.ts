// Runs every test of the given files alone (`vitest run <file> -t <its full name>`), one after the other, to prove
// that no test depends on state another test left behind. A test passes alone only if exactly it ran and passed.
// Usage: npx tsx scripts/each-test-alone.ts test/x.test.ts [more files...]   Exit 1 if any test fails alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Listed {
  name: string;
  file: string;
}

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTests: number;
  numPendingTests: number;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx scripts/each-test-alone.ts <test files...>');
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'each-test-alone-'));
const vitest = join(import.meta.dirname, '..', 'node_modules', '.bin', 'vitest');

function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(vitest, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const listFile = join(tmp, 'list.json');
const listed = run(['list', `--json=${listFile}`, ...files]);
if (listed.status !== 0) {
  console.error(listed.output);
  process.exit(1);
}
const tests = JSON.parse(readFileSync(listFile, 'utf8')) as Listed[];

/** vitest -t matches a regular expression against the names of the describe blocks and the test, space-joined. */
const pattern = (name: string) =>
  `^${name
    .split(' > ')
    .join(' ')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

const failed: string[] = [];
for (const [i, test] of tests.entries()) {
  const out = join(tmp, `${i}.json`);
  const r = run(['run', test.file, '-t', pattern(test.name), '--reporter=json', `--outputFile=${out}`]);
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  } catch {
    report = undefined;
  }
  const ok = r.status === 0 && report?.numPassedTests === 1 && report.numFailedTests === 0;
  const where = `${test.file.replace(`${process.cwd()}/`, '')} > ${test.name}`;
  console.log(`${ok ? 'pass' : 'FAIL'}  ${where}`);
  if (!ok) {
    failed.push(where);
    if (report?.numPassedTests !== 1 && r.status === 0)
      console.log(`      ${report?.numPassedTests} tests ran`);
    console.log(r.output.split('\n').slice(-40).join('\n'));
  }
}
rmSync(tmp, { recursive: true, force: true });
console.log(`${tests.length} test(s) run alone, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);

// The password policy is enforced wherever an account's password is set: hashPassword refuses a weak one, so the
// demo seed (and any import or reset, which must hash through it) cannot store `a`; npm run demo refuses a weak
// DEMO_PASSWORD with the reason before it touches DATA_DIR; the documented demo password meets the policy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, passwordIssue, WeakPasswordError } from '../../src/app/auth/passwords.ts';
import { seedDemo } from '../../src/app/demo-seed.ts';
import { findAccountForLogin } from '../../src/store/accounts.ts';
import { Store } from '../../src/store/store.ts';

const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'yunfu-pw-'));
  dirs.push(d);
  return d;
}

describe('the password policy', () => {
  it('accepts the documented demo password and refuses short or one-kind passwords with the rule broken', () => {
    expect(passwordIssue('Yunfu-demo-2026')).toBeNull();
    expect(passwordIssue('a')).toBe('密码至少 10 个字符');
    expect(passwordIssue('abcdefghijkl')).toMatch(/至少三类/);
  });

  it('is enforced where a password becomes a hash, so the demo seed cannot store a weak one', async () => {
    await expect(hashPassword('a')).rejects.toBeInstanceOf(WeakPasswordError);
    const store = await Store.open({ databaseUrl: null, dataDir: tempDir() });
    try {
      await expect(seedDemo(store, 'a')).rejects.toThrow('密码至少 10 个字符');
      expect(await findAccountForLogin(store.db, 'yunfu', 'bureau.admin')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('stops npm run demo on a weak DEMO_PASSWORD with the reason, before anything is written', () => {
    const dataDir = join(tempDir(), 'data');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/demo.ts', '--accounts-only'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, DEMO_PASSWORD: 'a' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('DEMO_PASSWORD is too weak: 密码至少 10 个字符');
    expect(existsSync(dataDir)).toBe(false);
  }, 70_000);
});

// Issue 12 §5 (SV-4, SV-3): each rewrite that used to pass verification is found, on SQLite and on PostgreSQL — a
// keyless full rewrite, a re-attributed entry, a cut tail with the head moved back, a deleted tenant trail, a forged
// export with a rewritten 初核 decision — and the keys behave as a real system's: refused when missing, and a
// keyless trail that predates them adopted under them.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditInput, appendAudit, verifyChains } from '../../src/store/audit.ts';
import { checkpointFile, readCheckpoints, writeCheckpoints } from '../../src/store/audit-anchor.ts';
import { projectAuditArchive, verifyArchive } from '../../src/store/audit-export.ts';
import {
  AuditKeyError,
  createAuditKeys,
  HMAC_FILE,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
} from '../../src/store/audit-keys.ts';
import { DocumentStorage } from '../../src/store/documents.ts';
import { insertProject, nextProjectId, type ProjectContent } from '../../src/store/projects.ts';
import { Store } from '../../src/store/store.ts';
import { readTar } from '../../src/store/tar.ts';
import { upsertUnit } from '../../src/store/units.ts';
import { cutTail, deleteTrail, forgeArchive, keylessRewrite, otherKeys } from './audit-attacks.ts';
import { DATABASES } from './databases.ts';

const entry = (tenantId: string, i: number, over: Partial<AuditInput> = {}): AuditInput => ({
  tenantId,
  accountId: 'acc-staff',
  role: 'unit-staff',
  action: 'project.edit',
  entityType: 'project',
  entityId: 'P-1',
  requestId: `req-${i}`,
  payload: { i },
  at: `2026-05-01T00:00:0${i % 10}.000Z`,
  ...over,
});

describe.each(DATABASES)('the audit trail cannot be rewritten unseen, on $name', (database) => {
  let store: Store;
  let dataDir: string;
  let anchorDir: string;
  let cleanup: () => Promise<void>;
  const append = async (tenantId: string, n: number) => {
    for (let i = 1; i <= n; i++) await store.transaction((tx) => appendAudit(tx, entry(tenantId, i)));
  };
  const problems = async (tenantId: string, withCheckpoints = true) => {
    const checkpoints = withCheckpoints ? readCheckpoints(checkpointFile(anchorDir), store.audit!).valid : [];
    return (await verifyChains(store.db, tenantId, { checkpoints }))[0]?.problems ?? [];
  };

  beforeAll(async () => {
    ({ store, dataDir, cleanup } = await database.open());
    anchorDir = join(dataDir, 'verifier-anchors');
  });
  afterAll(async () => {
    await cleanup();
  });

  it('creates the keys at first start outside the database, the secrets readable by the owner only', () => {
    const dir = join(dataDir, 'audit-keys');
    expect(statSync(join(dir, HMAC_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, PUBLIC_KEY_FILE)).mode & 0o777).toBe(0o644);
    expect(store.audit?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a keyless full rewrite (delete, renumber, rehash with plain SHA-256) shows on every rewritten entry', async () => {
    await append('yuncheng', 5);
    expect(await problems('yuncheng', false)).toEqual([]);
    await keylessRewrite(store, 'yuncheng', (rows) => rows.filter((r) => r.seq !== 3));
    const found = await problems('yuncheng', false);
    expect(found.filter((p) => p.kind === 'altered').map((p) => p.seq)).toEqual([1, 2, 3, 4]);
  });

  it('re-attributing one entry to another actor shows, even with the rest of the chain recomputed', async () => {
    await append('luoding', 4);
    expect(await problems('luoding', false)).toEqual([]);
    await keylessRewrite(store, 'luoding', (rows) =>
      rows.map((r) => (r.seq === 2 ? { ...r, accountId: 'acc-someone-else', role: 'bureau-lead' } : r)),
    );
    const found = await problems('luoding', false);
    expect(found).toContainEqual(expect.objectContaining({ seq: 2, kind: 'altered' }));
  });

  it('cutting the tail and moving the head back passes the chain alone, and fails against a checkpoint', async () => {
    await append('xinxing', 6);
    const written = await writeCheckpoints(store.db, store.audit!, anchorDir);
    expect(written).toContainEqual(expect.objectContaining({ tenantId: 'xinxing', seq: 6 }));
    await cutTail(store, 'xinxing', 4);
    expect(await problems('xinxing', false)).toEqual([]); // what the old verification saw
    expect(await problems('xinxing')).toEqual([
      expect.objectContaining({
        kind: 'removed',
        seq: 6,
        detail: expect.stringContaining('entries 5..6 were cut and the head moved back'),
      }),
    ]);
    // appending past the cut does not hide it: the anchored entry 6 now has another hash
    await append('xinxing', 3);
    expect(await problems('xinxing')).toEqual([
      expect.objectContaining({ kind: 'checkpoint-mismatch', seq: 6 }),
    ]);
  });

  it("deleting a whole tenant's trail shows as a checkpoint of a trail that is gone", async () => {
    await append('yunanxian', 3);
    await writeCheckpoints(store.db, store.audit!, anchorDir);
    await deleteTrail(store, 'yunanxian');
    expect(await problems('yunanxian', false)).toEqual([]);
    expect(await problems('yunanxian')).toEqual([
      expect.objectContaining({ kind: 'trail-deleted', detail: expect.stringContaining('it was deleted') }),
    ]);
  });

  it('a forged checkpoint line does not count, and is named', async () => {
    const { appendFileSync, readFileSync } = await import('node:fs');
    await append('yunfu', 2);
    await writeCheckpoints(store.db, store.audit!, anchorDir);
    const line = readFileSync(checkpointFile(anchorDir), 'utf8').trim().split('\n').at(-1)!;
    appendFileSync(checkpointFile(anchorDir), `${line.replace(/"seq":(\d+)/, '"seq":999')}\n`);
    const read = readCheckpoints(checkpointFile(anchorDir), store.audit!);
    expect(read.problems).toEqual([expect.stringContaining('is not valid (forged or altered)')]);
    expect(read.valid.some((c) => c.seq === 999)).toBe(false);
  });

  it('a forged export with a rewritten 初核 decision fails, also when re-signed with another key', async () => {
    const archive = await exportWithDecision(store, dataDir);
    expect(verifyArchive(archive, { publicKey: store.audit, keys: store.audit }).problems).toEqual([]);
    const reject = (t: string) =>
      t.replaceAll('"initialCheckResult":"pass"', '"initialCheckResult":"reject"');
    const forged = await forgeArchive(archive, reject, null);
    const trailOf = (a: Buffer) =>
      readTar(a)
        .find((e) => e.name === 'trail.json')!
        .content.toString('utf8');
    expect(trailOf(forged)).toContain('initialCheckResult\\":\\"reject');
    // the manifest's own hashes were recomputed: only the signature and the key can tell
    expect(verifyArchive(forged).problems.every((p) => /signature/.test(p))).toBe(true);
    expect(verifyArchive(forged, { publicKey: store.audit }).problems).toContainEqual(
      expect.stringContaining('signature does not verify'),
    );
    const resigned = await forgeArchive(archive, reject, otherKeys());
    const pinned = verifyArchive(resigned, { publicKey: store.audit });
    expect(pinned.problems).toContainEqual(expect.stringContaining('not by the expected key'));
    // where the chain key is at hand, the rewritten entry itself fails too
    expect(verifyArchive(resigned, { keys: store.audit }).problems).toContainEqual(
      expect.stringMatching(/trail entry \d+: .*task\.complete.*does not match its content/),
    );
  });

  it('refuses to open a keyed store without its key, and with another key', async () => {
    await append('yunfu', 1); // a trail written under the key makes the store a keyed one
    const other = mkdtempSync(join(tmpdir(), 'yunfu-nokey-'));
    const opts = { databaseUrl: store.dialect === 'postgres' ? await pgUrl(store) : null, dataDir };
    try {
      await expect(
        Store.open({ ...opts, audit: { keyDir: join(other, 'missing'), anchorDir: null } }),
      ).rejects.toThrow(
        /is keyed .* has no audit key .*restore the key directory or point AUDIT_KEY_DIR at it/,
      );
      await expect(
        Store.open({ ...opts, audit: { keyDir: join(other, 'missing'), anchorDir: null } }),
      ).rejects.toBeInstanceOf(AuditKeyError);
      createAuditKeys(join(other, 'another'));
      await expect(
        Store.open({ ...opts, audit: { keyDir: join(other, 'another'), anchorDir: null } }),
      ).rejects.toThrow(/is keyed with key \w+ .* holds key \w+/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

async function pgUrl(store: Store): Promise<string> {
  // the test database's own URL, rebuilt from the connection the store holds
  const { sql } = await import('kysely');
  const r = await sql<{ db: string }>`select current_database() as db`.execute(store.db);
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${r.rows[0]!.db}`;
  return url.toString();
}

const content: ProjectContent = {
  unitId: 'gongan',
  name: '初核项目',
  description: '',
  planYear: 2026,
  fundingSource: 'city-fiscal',
  fundingLines: [{ source: 'city-fiscal', amount: 800_000 }],
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  serviceLines: [{ serviceType: 'software-development', subType: 'professional-software', amount: 800_000 }],
  totalInvestment: 800_000,
  softwareDevCost: 800_000,
  category: 'professional',
  ruleEdition: '2000',
};

/** A project whose trail holds its 初核 decision as the task route records it, exported as the API exports it. */
async function exportWithDecision(store: Store, dataDir: string): Promise<Buffer> {
  const projectId = await store.transaction(async (tx) => {
    await upsertUnit(tx, {
      tenantId: 'yunan',
      id: 'gongan',
      name: '区公安局',
      responsibleSection: '科技信息化科',
    });
    const p = await insertProject(tx, {
      id: await nextProjectId(tx, 'yunan', 2026),
      tenantId: 'yunan',
      createdBy: 'acc-staff',
      at: '2026-05-01T00:00:00.000Z',
      content,
    });
    await appendAudit(tx, {
      ...entry('yunan', 1),
      action: 'project.create',
      entityId: p.id,
      projectId: p.id,
    });
    await appendAudit(tx, {
      ...entry('yunan', 2),
      accountId: 'acc-bureau',
      role: 'bureau-staff',
      action: 'task.complete',
      entityType: 'user-task',
      entityId: '2251799813685300',
      projectId: p.id,
      payload: {
        elementId: 'initial-check',
        name: '初核',
        variables: { initialCheckResult: 'pass', opinion: '材料齐全' },
      },
    });
    return p.id;
  });
  const chunks: Buffer[] = [];
  for await (const c of projectAuditArchive(store.db, new DocumentStorage(join(dataDir, 'documents')), {
    tenantId: 'yunan',
    projectId,
    exportedBy: 'acc-audit',
    exportedAt: '2026-05-02T00:00:00.000Z',
  })) {
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

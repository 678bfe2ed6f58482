// One part of the store suite (suite.ts), run on SQLite and on PostgreSQL: the audit trail (SV-3, SV-4), documents and the project's audit export.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, GENESIS_HASH, listAudit, verifyChains } from '../../src/store/audit.ts';
import { projectAuditArchive, verifyArchive } from '../../src/store/audit-export.ts';
import {
  DocumentStorage,
  documentTypeIssue,
  FileTooLargeError,
  findDocument,
  insertDocument,
} from '../../src/store/documents.ts';
import { insertProject, nextProjectId } from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { readTar } from '../../src/store/tar.ts';
import { content, run, type StoreFixture } from './suite.ts';

export function auditTests(fixture: StoreFixture): void {
  let store!: Store;
  let dataDir!: string;
  let url!: string | null;
  let staffId!: string;
  let entry!: StoreFixture['entry'];
  beforeAll(() => {
    ({ store, dataDir, url, staffId, entry } = fixture);
  });

  describe('audit trail (SV-3, SV-4)', () => {
    it('chains entries per tenant, starting from the genesis hash', async () => {
      const first = await store.transaction((tx) => appendAudit(tx, entry('yuncheng', 1)));
      const second = await store.transaction((tx) => appendAudit(tx, entry('yuncheng', 2)));
      expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
      const other = await store.transaction((tx) => appendAudit(tx, entry('luoding', 1)));
      expect(other).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      expect((await listAudit(store.db, { tenantId: 'yuncheng' })).map((e) => e.payload)).toEqual([
        { amount: 1_000_000, i: 1 },
        { amount: 1_000_000, i: 2 },
      ]);
    });

    it('never forks the chain under concurrent appends', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.transaction((tx) => appendAudit(tx, entry('yunan', i)))),
      );
      const rows = await listAudit(store.db, { tenantId: 'yunan' });
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      const [report] = await verifyChains(store.db, 'yunan');
      expect(report).toEqual({ tenantId: 'yunan', entries: 25, problems: [] });
    });

    it('an entry rolled back with its transaction leaves no trace in the chain', async () => {
      await expect(
        store.transaction(async (tx) => {
          await appendAudit(tx, entry('yunan', 99));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow();
      expect((await verifyChains(store.db, 'yunan'))[0]?.problems).toEqual([]);
    });

    describe('verification finds tampering and says where', () => {
      const tenant = 'yunanxian';
      beforeAll(async () => {
        for (let i = 1; i <= 7; i++) await store.transaction((tx) => appendAudit(tx, entry(tenant, i)));
      });
      const problems = async () => (await verifyChains(store.db, tenant))[0]!.problems;

      it('an altered payload', async () => {
        expect(await problems()).toEqual([]);
        await sql`update audit_log set payload = ${'{"amount":1,"i":2}'} where tenant_id = ${tenant} and seq = 2`.execute(
          store.db,
        );
        expect(await problems()).toEqual([expect.objectContaining({ seq: 2, kind: 'payload-altered' })]);
      });

      it('an entry rewritten with a recomputed own hash breaks the link of the next one', async () => {
        await sql`update audit_log set action = 'project.delete', hash = ${'f'.repeat(64)} where tenant_id = ${tenant} and seq = 3`.execute(
          store.db,
        );
        const found = await problems();
        expect(found).toContainEqual(expect.objectContaining({ seq: 3, kind: 'altered' }));
        expect(found).toContainEqual(expect.objectContaining({ seq: 4, kind: 'broken-link' }));
      });

      it('`npm run audit:verify` reads this database as the app would and exits 1 naming the entries', async () => {
        // runs after the tampering above (tests in a describe run in order)
        const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url ?? '' };
        const result = await run(
          process.execPath,
          ['--import', 'tsx', 'scripts/audit-verify.ts', '--tenant', tenant],
          {
            env,
          },
        ).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
        );
        expect(result.code).toBe(1);
        expect(result.out).toContain(fixture.databaseName === 'postgres' ? 'PostgreSQL' : 'SQLite');
        expect(result.out).toContain('TAMPERED seq 2 [payload-altered]');
        expect(result.out).toContain('TAMPERED seq 3 [altered]');
      });

      it('a removed entry in the middle and one at the end', async () => {
        await sql`delete from audit_log where tenant_id = ${tenant} and seq = 5`.execute(store.db);
        await sql`delete from audit_log where tenant_id = ${tenant} and seq = 7`.execute(store.db);
        const found = await problems();
        expect(found).toContainEqual(
          expect.objectContaining({
            seq: 5,
            kind: 'removed',
            detail: expect.stringContaining('entry 5 is missing'),
          }),
        );
        expect(found).toContainEqual(
          expect.objectContaining({
            kind: 'removed',
            detail: expect.stringContaining('entry 7 was removed'),
          }),
        );
      });
    });
  });

  describe('documents and the audit export', () => {
    let storage: DocumentStorage;
    beforeAll(() => {
      storage = new DocumentStorage(`${dataDir}/documents`);
    });

    it('refuses types by media type, extension and content', () => {
      const pdf = Buffer.from('%PDF-1.7\n');
      expect(documentTypeIssue('a.pdf', 'application/pdf', pdf)).toBeNull();
      expect(documentTypeIssue('a.exe', 'application/x-msdownload', pdf)).toMatch(/不支持的文件类型/);
      expect(documentTypeIssue('a.docx', 'application/pdf', pdf)).toMatch(/扩展名/);
      expect(documentTypeIssue('a.pdf', 'application/pdf', Buffer.from('MZ\x90\x00'))).toMatch(
        /不是有效的 PDF/,
      );
    });

    it('refuses and deletes a file over the size limit', async () => {
      await expect(
        storage.receive(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000),
      ).rejects.toBeInstanceOf(FileTooLargeError);
    });

    it('exports a project as a verifiable archive, and verification finds a changed byte', async () => {
      const project = await store.transaction(async (tx) => {
        const p = await insertProject(tx, {
          id: await nextProjectId(tx, 'yunfu', 2026),
          tenantId: 'yunfu',
          createdBy: staffId,
          at: '2026-05-01T00:00:00.000Z',
          content: content({ name: '待审计项目' }),
        });
        await appendAudit(tx, {
          ...entry('yunfu', 1),
          entityId: p.id,
          projectId: p.id,
          action: 'project.create',
        });
        return p;
      });
      const file = await storage.receive(Readable.from([Buffer.from('%PDF-1.7\n项目方案\n')]), 1 << 20);
      await store.transaction(async (tx) => {
        const path = await storage.keep(file.tempPath, 'yunfu', 'doc-1');
        await insertDocument(tx, {
          id: 'doc-1',
          tenantId: 'yunfu',
          projectId: project.id,
          unitId: 'gongan',
          kind: 'project-plan',
          fileName: '方案.pdf',
          mediaType: 'application/pdf',
          size: file.size,
          sha256: file.sha256,
          storagePath: path,
          uploadedBy: staffId,
          uploadedAt: '2026-05-01T01:00:00.000Z',
        });
        await appendAudit(tx, {
          ...entry('yunfu', 2),
          action: 'document.upload',
          entityType: 'document',
          entityId: 'doc-1',
          projectId: project.id,
        });
      });
      expect((await findDocument(store.db, 'yunfu', 'doc-1'))?.sha256).toBe(file.sha256);
      expect(await findDocument(store.db, 'xinxing', 'doc-1')).toBeUndefined();

      const chunks: Buffer[] = [];
      for await (const c of projectAuditArchive(store.db, storage, {
        tenantId: 'yunfu',
        projectId: project.id,
        exportedBy: staffId,
        exportedAt: '2026-05-02T00:00:00.000Z',
      })) {
        chunks.push(c);
      }
      const archive = Buffer.concat(chunks);
      // SV-3: everything the project produced, each part listed in the manifest
      expect(readTar(archive).map((e) => e.name)).toEqual([
        'project.json',
        'application-versions.json',
        'history.json',
        'opinions.json',
        'approval-opinions.json',
        'filings.json',
        'amounts.json',
        'evaluations.json',
        'data-resources.json',
        'documents.json',
        'trail.json',
        'documents/doc-1',
        'manifest.json',
        'signature.json',
      ]);
      const report = verifyArchive(archive);
      expect(report.problems).toEqual([]);
      expect(report.trailEntries).toBe(2);

      // flip one byte of the document's content
      const at = archive.indexOf(Buffer.from('项目方案'));
      const tampered = Buffer.from(archive);
      tampered[at] = (tampered[at]! + 1) % 256;
      const bad = verifyArchive(tampered);
      expect(bad.problems).toContainEqual(expect.stringContaining('documents/doc-1: SHA-256'));
      expect(bad.problems).toContainEqual(
        expect.stringContaining('does not match the SHA-256 recorded at upload'),
      );
    });
  });
}

// SV-3 / SV-4: every state-changing request is in the trail (who, when, what, on which data, chained hash);
// verification — in the API and as `npm run audit:verify` — finds tampering and says where; the project export is a
// tar that the same command verifies.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/store/audit.ts';
import { verifyArchive } from '../../src/store/audit-export.ts';
import { notify } from '../../src/store/notifications.ts';
import { readTar } from '../../src/store/tar.ts';
import { draft, type Harness, multipart, PDF, startHarness } from './harness.ts';

const run = promisify(execFile);

async function auditVerify(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

describe('the audit trail', () => {
  let h: Harness;
  let staff: string;
  let section: string;
  let audit: string;
  let projectId: string;
  const requestIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    staff = await h.login('gongan.staff');
    audit = await h.login('audit');
    section = await h.login('gongan.section');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: h.as(staff),
      payload: draft(),
    });
    projectId = created.json().project.id;
    requestIds.push(created.headers['x-request-id'] as string);
    const edited = await h.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      headers: h.as(staff),
      payload: { version: 1, description: '补充说明' },
    });
    requestIds.push(edited.headers['x-request-id'] as string);
    const body = multipart('方案.pdf', 'application/pdf', PDF);
    const uploaded = await h.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents`,
      headers: { ...h.as(staff), ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode).toBe(201);
    await h.app.inject({
      method: 'POST',
      url: '/api/annual-plans',
      headers: h.as(section), // G-6: outside a campaign the Unit's 责任科室 files its plan itself
      payload: { summary: '规划' },
    });
    await h.store.transaction((tx) =>
      notify(tx, { tenantId: 'yunfu', groups: ['unit-gongan'], title: '请补充材料', body: '…' }),
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('records every state-changing request with who, when, what, on which data and the request id', async () => {
    const mine = (
      await h.app.inject({ method: 'GET', url: '/api/notifications?unread=true', headers: h.as(staff) })
    ).json();
    expect(mine).toHaveLength(1);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/notifications/${mine[0].id}/read`,
          headers: h.as(audit),
        })
      ).statusCode,
    ).toBe(404); // not Audit's notification
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/notifications/${mine[0].id}/read`,
          headers: h.as(staff),
        })
      ).statusCode,
    ).toBe(204);
    const trail = await listAudit(h.store.db, { tenantId: 'yunfu' });
    expect(trail.map((e) => e.action)).toEqual([
      'session.login',
      'session.login',
      'session.login',
      'project.create',
      'project.edit',
      'document.upload',
      'annual-plan.file',
      'notification.read',
    ]);
    const create = trail.find((e) => e.action === 'project.create')!;
    expect(create).toMatchObject({
      role: 'unit-staff',
      entityType: 'project',
      entityId: projectId,
      projectId,
      requestId: requestIds[0],
      at: h.clock.now.toISOString(),
    });
    expect(create.payload).toMatchObject({ totalInvestment: 650_000, category: 'professional' });
    expect(trail.find((e) => e.action === 'project.edit')?.payload).toEqual({
      version: 1,
      changes: { description: '补充说明' },
    });
    expect(h.logs.join('')).not.toContain('without an audit entry');
  });

  it('is read by Audit, filtered by project, and verified intact', async () => {
    const entries = (
      await h.app.inject({
        method: 'GET',
        url: `/api/audit-log?projectId=${projectId}`,
        headers: h.as(audit),
      })
    ).json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'project.create',
      'project.edit',
      'document.upload',
    ]);
    const v = (
      await h.app.inject({ method: 'GET', url: '/api/audit-log/verification', headers: h.as(audit) })
    ).json();
    expect(v).toMatchObject({ tenantId: 'yunfu', intact: true, problems: [] });
  });

  it('exports the project as a tar with a manifest that verifies, and records the export', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/audit-export`,
      headers: h.as(audit),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    const archive = res.rawPayload;
    const names = readTar(archive).map((e) => e.name);
    expect(names).toContain('trail.json');
    expect(names.filter((n) => n.startsWith('documents/'))).toHaveLength(1);
    const report = verifyArchive(archive);
    expect(report.problems).toEqual([]);
    expect(report.manifest).toMatchObject({ projectId, tenantId: 'yunfu' });
    // the export itself is in the trail, and in the package it made
    expect(report.trailEntries).toBe(4);
    const last = (await listAudit(h.store.db, { tenantId: 'yunfu', projectId })).at(-1);
    expect(last).toMatchObject({ action: 'audit.export', role: 'audit' });

    const file = join(h.dataDir, 'export.tar');
    writeFileSync(file, archive);
    const ok = await auditVerify(h.dataDir, '--archive', file);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('OK');
    const tampered = Buffer.from(archive);
    const at = tampered.indexOf(Buffer.from('补充说明'));
    tampered.write('删除说明', at, 'utf8');
    writeFileSync(file, tampered);
    const bad = await auditVerify(h.dataDir, '--archive', file);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/TAMPERED project\.json: SHA-256/);
  });

  it('`npm run audit:verify` passes an intact store and names the altered and the removed entry', async () => {
    // one more entry after the annual plan's, so that the one removed below is missing from the middle of the chain
    const body = multipart('附件.pdf', 'application/pdf', PDF);
    const later = await h.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents`,
      headers: { ...h.as(staff), ...body.headers },
      payload: body.payload,
    });
    expect(later.statusCode).toBe(201);
    const ok = await auditVerify(h.dataDir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/yunfu: \d+ entries, chain intact/);

    await sql`update audit_log set payload = ${'{"version":1,"changes":{"description":"别的"}}'} where tenant_id = 'yunfu' and action = 'project.edit'`.execute(
      h.store.db,
    );
    const edit = (await listAudit(h.store.db, { tenantId: 'yunfu', action: 'project.edit' }))[0]!;
    await sql`delete from audit_log where tenant_id = 'yunfu' and action = 'annual-plan.file'`.execute(
      h.store.db,
    );
    const removed = edit.seq + 2; // project.edit, document.upload, annual-plan.file
    const bad = await auditVerify(h.dataDir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`TAMPERED seq ${edit.seq} [payload-altered]`);
    expect(bad.out).toContain(`TAMPERED seq ${removed} [removed] entry ${removed} is missing`);

    const v = (
      await h.app.inject({ method: 'GET', url: '/api/audit-log/verification', headers: h.as(audit) })
    ).json();
    expect(v.intact).toBe(false);
    expect(v.problems.map((p: { seq: number }) => p.seq)).toEqual([edit.seq, removed]);
  });
});

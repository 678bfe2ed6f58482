// Documents: multipart upload with size and type limits and SHA-256, download of the same bytes; a refused upload
// leaves neither a record nor a file.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft, type Harness, multipart, PDF, problemOf, startHarness } from './harness.ts';

describe('documents', () => {
  let h: Harness;
  let staff: string;
  let projectId: string;
  const post = (fileName: string, mediaType: string, content: Buffer, query = '?kind=project-plan') => {
    const body = multipart(fileName, mediaType, content);
    return h.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents${query}`,
      headers: { ...h.as(staff), ...body.headers },
      payload: body.payload,
    });
  };
  const files = () => {
    try {
      return readdirSync(join(h.dataDir, 'documents', 'yunfu'));
    } catch {
      return [];
    }
  };
  const incoming = () => {
    try {
      return readdirSync(join(h.dataDir, 'documents', '.incoming'));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    h = await startHarness({ maxDocumentBytes: 64 * 1024 });
    staff = await h.login('gongan.staff');
    projectId = (
      await h.app.inject({ method: 'POST', url: '/api/projects', headers: h.as(staff), payload: draft() })
    ).json().project.id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('uploads a PDF with its SHA-256 and downloads the same bytes under its Chinese name', async () => {
    const res = await post('项目方案.pdf', 'application/pdf', PDF);
    expect(res.statusCode).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({
      projectId,
      kind: 'project-plan',
      fileName: '项目方案.pdf',
      mediaType: 'application/pdf',
      size: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    expect(meta).not.toHaveProperty('storagePath');
    const down = await h.app.inject({
      method: 'GET',
      url: `/api/documents/${meta.id}`,
      headers: h.as(staff),
    });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(PDF)).toBe(true);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['x-content-sha256']).toBe(meta.sha256);
    expect(down.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('项目方案.pdf')}`,
    );
    const list = await h.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/documents`,
      headers: h.as(staff),
    });
    expect(list.json().map((d: { id: string }) => d.id)).toEqual([meta.id]);
  });

  it('refuses a file over the size limit (413) and keeps nothing of it', async () => {
    const before = files().length;
    const big = Buffer.concat([PDF, Buffer.alloc(70 * 1024, 0x20)]);
    const res = await post('大文件.pdf', 'application/pdf', big);
    expect(res.statusCode).toBe(413);
    expect(problemOf(res).errors?.[0]?.field).toBe('file');
    expect(files().length).toBe(before);
    expect(incoming()).toEqual([]);
  });

  it('refuses a type not allowed, a wrong extension and content that is not what it claims (415)', async () => {
    const before = files().length;
    const exe = await post('setup.exe', 'application/x-msdownload', Buffer.from('MZ\x90\x00'));
    expect(exe.statusCode).toBe(415);
    expect(problemOf(exe).errors?.[0]).toMatchObject({
      field: 'file',
      reason: expect.stringContaining('不支持的文件类型'),
    });
    const disguised = await post('方案.pdf', 'application/pdf', Buffer.from('MZ\x90\x00 not a pdf'));
    expect(problemOf(disguised).errors?.[0]?.reason).toContain('不是有效的 PDF');
    const ext = await post('方案.docx', 'application/pdf', PDF);
    expect(problemOf(ext).errors?.[0]?.reason).toContain('扩展名');
    const empty = await post('空.pdf', 'application/pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(415);
    expect(files().length).toBe(before);
    expect(incoming()).toEqual([]);
  });

  it('refuses an unknown kind (400) and a request that is not multipart (415)', async () => {
    const kind = await post('a.pdf', 'application/pdf', PDF, '?kind=secret');
    expect(kind.statusCode).toBe(400);
    expect(problemOf(kind).errors?.[0]?.field).toBe('kind');
    const json = await h.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents`,
      headers: h.as(staff),
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });

  it('refuses an upload under the kind the Bureau issues (PRO-3 立项审批意见), naming kind, and keeps nothing', async () => {
    const before = files().length;
    const res = await post(
      '意见.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]),
      '?kind=approval-opinion',
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(problemOf(res).errors?.[0]?.field).toBe('kind');
    expect(files().length).toBe(before);
  });

  it('answers 404 for a document that does not exist', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/documents/no-such-doc',
      headers: h.as(staff),
    });
    expect(res.statusCode).toBe(404);
  });
});

// Bad input to /api over real HTTP: every case is a 400 problem naming the field, never a 500 and never a silent
// repair — deep nesting, bytes that are not UTF-8, lone surrogates, prototype keys, and a second file in a
// single-file upload.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/app/json-body.ts';
import { DEMO_PASSWORD, draft, PDF } from './harness.ts';
import { type Listening, listen } from './http.ts';

let h: Listening;
let auth: Record<string, string>;
let projectId: string;

beforeAll(async () => {
  h = await listen();
  const login = await h.send('POST', '/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'gongan.staff', password: DEMO_PASSWORD }),
  });
  auth = { authorization: `Bearer ${login.json().token}` };
  const created = await h.send('POST', '/api/projects', {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(draft()),
  });
  projectId = created.json().project.id;
});
afterAll(async () => {
  await h.close();
});

const postJson = (path: string, body: string | Buffer) =>
  h.send('POST', path, { headers: { ...auth, 'content-type': 'application/json' }, body });

describe('JSON bodies', () => {
  it('answers 400, not 500, to deeply nested JSON', async () => {
    for (const depth of [MAX_DEPTH + 1, 100_000]) {
      const res = await postJson('/api/projects', `${'['.repeat(depth)}${']'.repeat(depth)}`);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        errors: [{ field: 'body', reason: `JSON 嵌套超过 ${MAX_DEPTH} 层` }],
      });
    }
    // nesting inside a string is only text
    const text = draft({ description: '{'.repeat(MAX_DEPTH * 4) });
    expect((await postJson('/api/projects', JSON.stringify(text))).status).toBe(201);
  });

  it('refuses a lone surrogate in a text field and names the field, instead of storing a replacement character', async () => {
    const escaped = JSON.stringify(draft()).replace('智慧警务数据平台', '智慧\\ud800警务');
    const res = await postJson('/api/projects', escaped);
    expect(res.status).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'projectName', reason: expect.stringContaining('代理码元') },
    ]);
    const inList = JSON.stringify(draft()).replace(
      '"professional-software"',
      '"professional-\\udc00software"',
    );
    expect((await postJson('/api/projects', inList)).json().errors[0].field).toBe('serviceLines[0].subType');
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', async () => {
    const body = Buffer.concat([
      Buffer.from('{"projectName":"'),
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded in UTF-8: not valid UTF-8
      Buffer.from('"}'),
    ]);
    const res = await postJson('/api/projects', body);
    expect(res.status).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body', reason: '请求体不是有效的 UTF-8 文本' }]);
  });

  it('refuses __proto__ keys and malformed or empty JSON with 400', async () => {
    const proto = await postJson('/api/projects', '{"__proto__":{"admin":true}}');
    expect(proto.status).toBe(400);
    expect(proto.json().errors[0].field).toBe('__proto__');
    expect((await postJson('/api/projects', '{"a":')).status).toBe(400);
    expect((await postJson('/api/projects', '')).status).toBe(400);
  });
});

describe('single-file upload', () => {
  it('refuses a second file instead of keeping the first and dropping the other', async () => {
    const boundary = '----yunfuTwoFiles';
    const part = (name: string) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        PDF,
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([part('a.pdf'), part('b.pdf'), Buffer.from(`--${boundary}--\r\n`)]);
    const res = await h.send('POST', `/api/projects/${projectId}/documents`, {
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'file', reason: '一次只能上传一个文件' }]);
    const list = await h.send('GET', `/api/projects/${projectId}/documents`, { headers: auth });
    expect(list.json()).toEqual([]);
    // nothing left behind in the documents directory either
    const leftovers = (dir: string): string[] => {
      try {
        return readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name);
      } catch {
        return [];
      }
    };
    expect(leftovers(join(h.dataDir, 'documents'))).toEqual([]);
  });
});

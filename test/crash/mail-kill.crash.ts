// Issue 16, the mail outbox under a real crash: `npm start` with SMTP_URL, the Bureau's reviewer returns the
// 市公安局's application for correction over HTTP, and the app is SIGKILLed while the mail server holds the decision
// notice's e-mail without answering — the notice committed, its mail not sent. After the restart on the same
// DATA_DIR the mail arrives exactly once (the same Message-ID), and the outbox marks it sent.
// `npm run test:crash` (not in `npm test`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { professionalDraft } from '../api-process/stack.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp.ts';
import { DEMO_PASSWORD, freePort, kill, type RunningApp, seedAccounts, startApp } from './app-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-mail-crash-'));
let app: RunningApp | undefined;
let smtp: SmtpReceiver | undefined;
afterAll(async () => {
  if (app) await kill(app);
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Rows = Array<Record<string, unknown>>;
function sqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'business.sqlite'), { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const tokens: Record<string, string> = {};
let base = '';
async function call(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      origin: base,
      ...(tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}
async function login(username: string) {
  const res = await call(username, 'POST', '/api/session', {
    tenantId: 'yunfu',
    username,
    password: DEMO_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  tokens[username] = res.json().token;
}
async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not met in ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function completeWhenThere(who: string, projectId: string, elementId: string, variables: object) {
  const items = await until(
    async () => (await call(who, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Rows,
    (x) => x.some((i) => i.elementId === elementId),
  );
  const task = items.find((i) => i.elementId === elementId)!;
  const res = await call(who, 'POST', `/api/tasks/${task.userTaskKey}/complete`, { variables });
  expect(res.status, res.text).toBe(200);
}

describe('SIGKILL with a decision notice’s e-mail unsent', () => {
  it('sends it once after the restart', async () => {
    smtp = await startSmtpReceiver();
    seedAccounts(dataDir);
    sqlite((db) =>
      db.prepare("UPDATE accounts SET email = 'staff@gongan.test' WHERE username = 'gongan.staff'").run(),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { SMTP_URL: smtp.url };
    app = await startApp(dataDir, port, 60_000, env);
    for (const name of ['gongan.staff', 'gongan.section', 'bureau.reviewer']) await login(name);
    await call('gongan.section', 'POST', '/api/annual-plans', { planYear: 2027, summary: '2027 年度规划' });
    const created = await call('gongan.staff', 'POST', '/api/projects', professionalDraft());
    expect(created.status, created.text).toBe(201);
    const projectId = created.json().project.id as string;
    expect((await call('gongan.staff', 'POST', `/api/projects/${projectId}/submit`)).status).toBe(201);
    await completeWhenThere('gongan.section', projectId, 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送',
    });
    smtp.holdData = (m) => m.subject === '初核：退回补正';
    await completeWhenThere('bureau.reviewer', projectId, 'Task_InitialCheck', {
      initialCheckDecision: 'return',
      initialCheckOpinion: '监理费用偏高，请核减并说明',
    });
    await until(
      () => smtp!.held.length,
      (n) => n === 1,
    );
    await kill(app);
    const pending = sqlite((db) => db.prepare('SELECT state, attempts FROM mail_outbox').all()) as Rows;
    expect(pending).toEqual([{ state: 'pending', attempts: 1 }]);
    expect(smtp.received).toEqual([]);

    smtp.holdData = null;
    app = await startApp(dataDir, port, 60_000, env);
    await until(
      () => smtp!.received.filter((m) => m.subject === '初核：退回补正').length,
      (n) => n > 0,
    );
    await new Promise((r) => setTimeout(r, 2_000)); // time for a wrong second copy
    const mails = smtp.received.filter((m) => m.subject === '初核：退回补正');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['staff@gongan.test']);
    expect(mails[0]!.text).toContain('初核意见：监理费用偏高，请核减并说明');
    expect(mails[0]!.messageId).toBe(smtp.held[0]!.messageId);
    const sent = sqlite((db) => db.prepare('SELECT state, attempts FROM mail_outbox').all()) as Rows;
    expect(sent).toEqual([{ state: 'sent', attempts: 2 }]);
  }, 300_000);
});

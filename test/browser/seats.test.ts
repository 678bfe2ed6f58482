// Issue 16, one truth after a cancellation, from the seats concerned, in chromium against the app as `npm start`
// runs it. A 市公安局 project is being implemented with a change filing waiting for the Bureau; the Bureau's
// administrator cancels its lifecycle on the operations page, which becomes the IM-9 termination filing; the
// Bureau and Finance register it (through /api, with their forms' values); the project ends 已终止. The Unit's
// staff then gets, through /api, no waiting step, and on the project page 已终止 with no step listed as pending —
// not the change filing's registration, which the termination interrupted (its start is still in the timeline).
// Audit's seat: on the project page the auditor finds 导出审计资料包 with what the package holds and how to check it;
// the downloaded file passes `npm run audit:verify -- --archive FILE` pinned to the app's own audit key.
// Uploads from the Unit's seat: the limit (50 MB) and the types are stated beside the input; a 51 MB file is refused
// on the page and never sent; a 3 MB PDF goes up with the progress bar moving to 100 %.
// Screenshots: test-results/browser/seats-*.png.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSteps, apiSteps } from './api-steps.ts';
import {
  type Browser,
  CHROMIUM,
  launchBrowser,
  ROOT,
  type RunningApp,
  SHOTS,
  settled,
  shot,
  signIn,
  signOut,
  startApp,
  until,
} from './support.ts';

let app: RunningApp;
let browser: Browser;
let page: Page;
let steps: ApiSteps;

type Project = { project?: { stage: string; processInstanceKey: string } } & {
  stage?: string;
  processInstanceKey?: string;
};
const projectOf = (x: Project) => x.project ?? (x as { stage: string; processInstanceKey: string });

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('every seat, one truth (issue 16)', () => {
  beforeAll(async () => {
    app = await startApp();
    await app.seed();
    steps = apiSteps(app);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('after the administrator cancels a project, the Unit sees 已终止 and no pending step', async () => {
    const projectId = await steps.implementingWithChangeFiling();
    const read = async () =>
      projectOf((await steps.call('gongan.staff', 'GET', `/projects/${projectId}`)) as Project);
    const { processInstanceKey } = await read();
    // the change filing's registration waits for the Bureau before the cancellation
    const before = (await steps.call('gongan.staff', 'GET', `/projects/${projectId}/timeline`)) as {
      waiting: Array<{ elementId: string }>;
    };
    expect(before.waiting.map((w) => w.elementId)).toContain('Task_RegisterChangeFiling');

    await signIn(page, app.url, 'bureau.admin');
    await page.goto(`${app.url}/#/ops/instances/${processInstanceKey}`);
    await settled(page);
    await page.getByRole('button', { name: '取消流程实例' }).click();
    await page.locator('#toast').filter({ hasText: '已转为终止合同备案（IM-9）' }).waitFor();
    await shot(page, 'seats-01-admin-cancelled');
    await signOut(page);

    await steps.complete('bureau.reviewer', projectId, 'Task_RegisterTerminationWithBureau', {
      bureauTerminationFilingOpinion: '同意终止，已登记。',
    });
    await steps.complete('finance', projectId, 'Task_RegisterTerminationWithFinance', {
      financeTerminationFilingOpinion: '已登记，停止拨付后续资金。',
    });
    await until(read, (p) => p.stage === 'terminated');
    const after = (await steps.call('gongan.staff', 'GET', `/projects/${projectId}/timeline`)) as {
      waiting: unknown[];
      items: Array<{ elementId?: string; kind: string }>;
    };
    expect(after.waiting).toEqual([]);
    // the interrupted registration did start: the history keeps that, the page must not call it pending
    expect(
      after.items.some((i) => i.elementId === 'Task_RegisterChangeFiling' && i.kind === 'element-activated'),
    ).toBe(true);

    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    expect(await page.locator('.page-head .stage').textContent()).toBe('已终止');
    const progress = page.locator('section', { has: page.getByRole('heading', { name: '当前进展' }) });
    expect(await progress.textContent()).toContain('项目已终止，流程已结束，没有待办理的环节。');
    expect(await progress.locator('ul.steps li').count()).toBe(0);
    await shot(page, 'seats-02-unit-terminated');
    await signOut(page);
    expect(browser.errors).toEqual([]);
  }, 180_000);

  it('the auditor exports the project audit package from the page, and the verifier accepts it', async () => {
    const projectId = await steps.initialCheckPassed();
    await signIn(page, app.url, 'audit');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    const box = page.locator('section', { has: page.getByRole('heading', { name: '审计资料包' }) });
    const text = String(await box.textContent());
    for (const part of ['manifest.json', 'signature.json', 'trail.json', 'SHA-256', 'Ed25519'])
      expect(text).toContain(part);
    expect(text).toContain(`npm run audit:verify -- --archive audit-${projectId}.tar`);
    await shot(page, 'seats-03-audit-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      box.getByRole('link', { name: '导出审计资料包' }).click(),
    ]);
    const file = join(SHOTS, `audit-${projectId}.tar`);
    await download.saveAs(file);
    // the verifier as the auditor runs it, pinned to the key the app signs with
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', '--archive', file],
      { cwd: ROOT, env: { ...app.env } },
    );
    expect(stdout).toContain(`: OK — project ${projectId} of yunfu`);
    expect(stdout).toContain('all hashes match; signed by the expected key');
    await signOut(page);

    // a Unit has no such button (the API refuses it the export too)
    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    expect(await page.getByRole('heading', { name: '审计资料包' }).count()).toBe(0);
    await steps.call('gongan.staff', 'GET', `/projects/${projectId}/audit-export`, undefined, 403);
    await signOut(page);
    expect(browser.errors).toEqual([]);
  }, 120_000);

  it('the Unit uploads: limit stated, oversize refused unsent, progress shown', async () => {
    const projectId = await steps.submitted();
    const big = join(SHOTS, 'oversize.pdf');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 51 * 1024 * 1024);
    closeSync(fd);
    const pdf = join(SHOTS, 'plan.pdf');
    writeFileSync(
      pdf,
      Buffer.concat([
        Buffer.from('%PDF-1.7\n'),
        Buffer.alloc(3 * 1024 * 1024, 0x20),
        Buffer.from('\n%%EOF\n'),
      ]),
    );

    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/${projectId}`);
    await settled(page);
    const input = page.getByLabel('文件', { exact: true });
    const hint = page.locator('form.upload .hint');
    expect(await hint.textContent()).toContain('单个文件不超过 50 MB');
    expect(await hint.textContent()).toContain('PDF');

    const posted = () =>
      browser.requests.filter((u) => u.includes(`/api/projects/${projectId}/documents`)).length;
    const before = posted();
    await input.setInputFiles(big);
    await page.locator('form.upload .field-error', { hasText: '文件超过 50 MB 上限，未上传' }).waitFor();
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.waitForTimeout(300);
    expect(
      await page.locator('form.upload [data-field-wrapper="file"] .field-error').textContent(),
    ).toContain('超过 50 MB 上限');
    await shot(page, 'seats-04-upload-refused');
    // nothing went to the server: the GET of the list is the only documents request
    expect(browser.requests.filter((u) => u.includes(`/api/projects/${projectId}/documents`)).length).toBe(
      before,
    );

    rmSync(big);
    await input.setInputFiles(pdf);
    // what the progress bar showed, as the person saw it
    await page.evaluate(`(() => {
      window.__progress = [];
      const bar = document.querySelector('form.upload progress');
      new MutationObserver(() => window.__progress.push(bar.value)).observe(bar, { attributes: true });
    })()`);
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.locator('ul.documents', { hasText: 'plan.pdf' }).waitFor();
    const seen = (await page.evaluate('window.__progress')) as number[];
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBe(100);
    const docs = (await steps.call('gongan.staff', 'GET', `/projects/${projectId}/documents`)) as Array<{
      fileName: string;
      size: number;
    }>;
    expect(docs.find((d) => d.fileName === 'plan.pdf')?.size).toBe(3 * 1024 * 1024 + 16);
    await shot(page, 'seats-05-uploaded');
    await signOut(page);
    expect(browser.errors).toEqual([]);
  }, 120_000);
});

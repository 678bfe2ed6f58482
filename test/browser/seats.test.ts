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
// A session that ends mid-form: the Unit's staff types a new project, the session is ended on the server (as it is
// when it expires), 创建草稿 brings the sign-in page saying 登录已过期，请重新登录; after signing in again the form is
// back with what was typed, and saving it creates the draft with exactly that.
// The delay registration from the Bureau's seat: the Unit files a delay asking for 2027-09-30; on the task page the
// new delivery date is pre-filled with that day (not the contract's 2027-06-30, which the form shows as the old
// date), and registering it unchanged makes 2027-09-30 the project's delivery date.
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
  fillFormField,
  launchBrowser,
  PASSWORD,
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

  it('a session that expires mid-form keeps what was typed and says why', async () => {
    await signIn(page, app.url, 'gongan.staff');
    await page.goto(`${app.url}/#/projects/new`);
    await settled(page);
    const name = '会话过期测试：智慧交警指挥平台';
    const description = '建设交通信号联网控制与指挥调度，提升路口通行效率。';
    await page.getByLabel('项目名称 *').fill(name);
    await page.getByLabel('项目说明').fill(description);
    await page.getByLabel('否，非涉密项目').check();
    await page.getByLabel('服务类型').selectOption('software-development');
    await page.getByLabel('服务子类').selectOption('professional-software');
    await page.getByLabel('金额（元）').fill('600000');
    // the session ends on the server, as at expiry (the page is not told)
    const ended = await page.request.delete(`${app.url}/api/session`, { headers: { origin: app.url } });
    expect(ended.status()).toBe(204);
    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: '登录已过期，请重新登录' }).count()).toBe(1);
    await shot(page, 'seats-06-session-expired');

    await page.getByLabel('所属地区').selectOption('yunfu');
    await page.getByLabel('用户名').fill('gongan.staff');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '新建项目' }).waitFor();
    await until(
      () => page.getByLabel('项目名称 *').inputValue(),
      (v) => v === name,
    );
    expect(await page.getByLabel('项目说明').inputValue()).toBe(description);
    expect(await page.getByLabel('服务子类').inputValue()).toBe('professional-software');
    expect(await page.getByLabel('金额（元）').inputValue()).toBe('600000');
    expect(await page.getByLabel('否，非涉密项目').isChecked()).toBe(true);
    await page.locator('#toast', { hasText: '已恢复登录过期前填写的内容' }).waitFor();
    await shot(page, 'seats-07-form-restored');
    // the restored form is saved as it stands: the draft holds exactly what was typed
    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.locator('#toast', { hasText: '已创建项目草稿' }).waitFor();
    const list = (await steps.call('gongan.staff', 'GET', '/projects?stage=draft')) as {
      items: Array<{ id: string; name: string }>;
    };
    const created = list.items.find((p) => p.name === name);
    expect(created).toBeDefined();
    const saved = projectOf(
      (await steps.call('gongan.staff', 'GET', `/projects/${created!.id}`)) as Project,
    ) as {
      description?: string;
    };
    expect(saved.description).toBe(description);
    await signOut(page);
    // signing out forgets kept drafts
    expect(
      await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("yunfu-draft:")).length'),
    ).toBe(0);
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it('the delay registration is pre-filled with the date the Unit asked for', async () => {
    const projectId = await steps.implementingWithChangeFiling();
    await steps.call('gongan.staff', 'POST', `/projects/${projectId}/filings`, {
      kind: 'delay',
      delayReason: '设备到货延迟。',
      requestedDeliveryDate: '2027-09-30T18:00:00+08:00',
    });
    await steps.complete('gongan.section', projectId, 'Task_SectionReviewDelayFiling', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送。',
    });
    // through /api, the task gives the form the requested day as the new date and the contract's as the old one
    const inbox = await until(
      async () =>
        (
          (await steps.call('bureau.reviewer', 'GET', `/tasks?projectId=${projectId}`)) as {
            items: Array<{ userTaskKey: string; elementId: string }>;
          }
        ).items,
      (items) => items.some((i) => i.elementId === 'Task_RegisterDelayFiling'),
    );
    const key = inbox.find((i) => i.elementId === 'Task_RegisterDelayFiling')!.userTaskKey;
    const detail = (await steps.call('bureau.reviewer', 'GET', `/tasks/${key}`)) as {
      variables: Record<string, unknown>;
    };
    expect(Date.parse(String(detail.variables.deliveryDate))).toBe(Date.parse('2027-09-30T18:00:00+08:00'));
    expect(Date.parse(String(detail.variables.currentDeliveryDate))).toBe(
      Date.parse('2027-06-30T18:00:00+08:00'),
    );

    await signIn(page, app.url, 'bureau.reviewer');
    await page.goto(`${app.url}/#/tasks/${key}`);
    const form = page.locator('.fjs-form');
    await form.waitFor();
    const text = String(await form.textContent());
    expect(text).toContain('原交付日期：2027年6月30日 18:00');
    expect(text).toContain('申请的新交付日期：2027年9月30日 18:00');
    const date = page.getByLabel('备案确定的新交付日期');
    expect(await date.inputValue()).toMatch(/2027\D+0?9\D+30/);
    await shot(page, 'seats-08-delay-prefilled');
    await fillFormField(page.getByLabel('备案登记意见'), '同意延期。');
    await page.getByRole('button', { name: '提交办理' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    // registered unchanged: the Unit is told the new delivery date is the one it asked for (read after the task,
    // so from the process, not the task's own copy), in Chinese
    const told = await until(
      async () =>
        (await steps.call('gongan.staff', 'GET', '/notifications')) as Array<{ title: string; body: string }>,
      (items) => items.some((n) => n.title === '延期交付已备案'),
    );
    const body = told.find((n) => n.title === '延期交付已备案')!.body;
    expect(body).toContain('新的交付日期2027年9月30日 18:00');
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await signOut(page);
    expect(browser.errors).toEqual([]);
  }, 120_000);
});

// SV-1 and SV-3 from the users' seats: two projects of 公安局 walked through /api by every role's own account to
// their evaluation, every task completed with exactly what form-js submits for its form (test/forms/form-js.ts),
// one evaluated within its deadline and one after it; then the evaluation results as the Bureau, Finance, Audit
// and the Units read them (GET /api/evaluations, GET /api/projects/:id/evaluation — a Unit only its own), and the
// audit package Audit downloads (GET /api/projects/:id/audit-export) opened part by part and checked by
// `npm run audit:verify -- --archive`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/store/audit-export.ts';
import { auditKeysOf } from '../../src/store/audit-keys.ts';
import { readTar } from '../../src/store/tar.ts';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { reportFor, TO_EVALUATION } from './lifecycle-steps.ts';
import { professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
interface TaskDetail {
  form: { formId: string; schema: Data };
  variables: Data;
}

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'jiaoyu.staff',
  'bureau.reviewer',
  'bureau.admin',
  'cost.reviewer',
  'expert',
  'finance',
  'citygov',
  'supervisor',
  'ceping.gdsoft',
  'audit',
];

const run = promisify(execFile);
async function auditVerify(...args: string[]): Promise<{ code: number; out: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-verify-'));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('evaluation results people can read, and the complete audit package (SV-1, SV-2, SV-3)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  const seen = new Set<string>();
  /** What each project's forms submitted, by element id (the last submission of each). */
  const sent = new Map<string, Map<string, Data>>();
  const ids: string[] = [];

  const openTask = async (who: string, projectId: string, elementId: string) => {
    const wanted = (i: Data) =>
      i.elementId === elementId && i.projectId === projectId && !seen.has(String(i.userTaskKey));
    const items = await until(
      async () => {
        const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Data[];
      },
      (x) => x.some(wanted),
    );
    const key = String(items.find(wanted)!.userTaskKey);
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as TaskDetail) };
  };
  /** `who` completes their task with form-js's submission of `choices`; returns what was sent. */
  const complete = async (who: string, projectId: string, elementId: string, choices: Data = {}) => {
    const task = await openTask(who, projectId, elementId);
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${elementId} as ${who}: ${res.body}`).toBe(200);
    seen.add(task.key);
    sent.get(projectId)!.set(elementId, submitted.data);
    return { data: submitted.data, variables: task.variables };
  };
  const upload = async (projectId: string, fileName: string) => {
    const body = multipart(fileName, 'application/pdf', PDF);
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=assessment-report`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const stageOf = async (projectId: string) =>
    (await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}`)).json().stage as string;

  /** A 专业类 project of 公安局 submitted and taken by each role to its evaluation. */
  const atEvaluation = async (name: string) => {
    const created = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: name }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().project.id as string;
    sent.set(id, new Map());
    // the Unit edits its draft once before submitting: a second version of the application
    const edited = await s.api(t['gongan.staff']!, 'PATCH', `/api/projects/${id}`, {
      version: created.json().project.version,
      description: '警务数据汇聚、分析与指挥调度（修订）',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    let report = '';
    for (const [who, elementId, choices] of TO_EVALUATION) {
      const extra =
        elementId === 'Task_VerifyAc2'
          ? {
              dataResources: [{ resourceName: '警情数据', catalogueNumber: `YF-ML-2027-${id.slice(-4)}` }],
              dataResourcesVerified: 'pass',
              ipv6TestReportDocumentId: report,
              ipv6Verified: 'pass',
            }
          : {};
      await complete(who, id, elementId, {
        ...choices,
        ...extra,
        ...(await reportFor(s, t[who]!, id, elementId)),
      });
      if (elementId === 'Task_Implement') report = await upload(id, 'IPv6支持测试报告.pdf');
    }
    await until(
      () => stageOf(id),
      (stage) => stage === 'evaluation',
    );
    return id;
  };
  /** The Bureau's and Finance's evaluations; returns the deadline the tasks carry. */
  const evaluate = async (
    id: string,
    bureau: Data,
    finance: Data,
    before?: (due: string) => Promise<void>,
  ) => {
    const b = await complete('bureau.reviewer', id, 'Task_BureauEvaluation', bureau);
    await before?.(String(b.variables.evaluationDue));
    await complete('finance', id, 'Task_FinanceEvaluation', finance);
    await until(
      () => s.store.db.selectFrom('evaluations').select('id').where('projectId', '=', id).execute(),
      (rows) => rows.length === 1,
    );
    return String(b.variables.evaluationDue);
  };
  const board = async (who: string, query = '') => {
    const res = await s.api(t[who]!, 'GET', `/api/evaluations${query}`);
    expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
    return res.json() as {
      year: number | null;
      totals: Data;
      units: Array<Data & { unitId: string }>;
      projects: Array<Data & { projectId: string }>;
    };
  };

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of ACCOUNTS) t[name] = await s.login(name);
    const plan = await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
    expect(plan.statusCode, plan.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('the Bureau and Finance evaluate two projects, one within its deadline and one after it (SV-1)', async () => {
    const onTime = await atEvaluation('云浮市智慧警务综合平台');
    const due = await evaluate(
      onTime,
      {
        applicationEffectRating: 'excellent',
        applicationEffectComment: '系统运行稳定，警情处置效率明显提升',
      },
      { fundUseCompliance: 'compliant', performanceRating: 'good', financeEvaluationComment: '资金使用规范' },
    );
    expect(Date.parse(due)).toBeGreaterThan(s.now().getTime());
    ids.push(onTime);

    const late = await atEvaluation('云浮市公安视频共享平台');
    const lateDue = await evaluate(
      late,
      { applicationEffectRating: 'fair', applicationEffectComment: '部分功能使用率低' },
      {
        fundUseCompliance: 'irregular',
        performanceRating: 'poor',
        financeEvaluationComment: '存在超范围支出',
      },
      // Finance evaluates a day after the deadline the process computed
      async (itsDue) => {
        await s.setClock(new Date(Date.parse(itsDue) + 86_400_000).toISOString());
        // the sessions of a month ago have expired: everyone signs in again
        for (const name of ACCOUNTS) t[name] = await s.login(name);
      },
    );
    expect(Date.parse(lateDue)).toBeLessThan(s.now().getTime());
    ids.push(late);
  }, 600_000);

  it('the Bureau, Finance and Audit read every Unit’s figures; each project with its grades, deadline and amounts', async () => {
    expect(ids).toHaveLength(2);
    const [onTime, late] = ids as [string, string];
    const year = s.now().getUTCFullYear(); // 2026 (Asia/Shanghai too: the clock is at 10:00 there)
    for (const who of ['bureau.admin', 'bureau.reviewer', 'finance', 'audit']) {
      const b = await board(who, `?year=${year}`);
      expect(b.totals).toMatchObject({
        projectsEvaluated: 2,
        applicationEffect: { excellent: 1, good: 0, fair: 1, poor: 0 },
        performance: { excellent: 0, good: 1, fair: 0, poor: 1 },
        fundUseCompliant: 1,
        fundUseIrregular: 1,
        onTime: 1,
        late: 1,
      });
      const gongan = b.units.find((u) => u.unitId === 'gongan')!;
      expect(gongan).toMatchObject({
        unitName: expect.any(String),
        projectsEvaluated: 2,
        onTime: 1,
        late: 1,
      });
      expect(b.units.find((u) => u.unitId === 'jiaoyu')).toMatchObject({ projectsEvaluated: 0 });
      expect(b.projects.map((p) => p.projectId)).toEqual([onTime, late]);
    }
    // the amounts are those the city government approved and the Unit's contract recorded, through their forms
    const b = await board('finance', `?year=${year}`);
    for (const id of ids) {
      const approved = sent.get(id)!.get('Task_CityGovernmentDecision')!.approvedFundingAmount;
      const contract = sent.get(id)!.get('Task_ConductProcurement')!.contractAmount;
      expect(typeof approved).toBe('number');
      expect(typeof contract).toBe('number');
      expect(b.projects.find((p) => p.projectId === id)).toMatchObject({
        unitId: 'gongan',
        approvedAmount: approved,
        contractAmount: contract,
      });
    }
    expect(b.projects[0]).toMatchObject({
      applicationEffectRating: 'excellent',
      applicationEffectRatingName: '优秀',
      performanceRatingName: '良好',
      fundUseComplianceName: '符合资金管理规定',
      applicationEffectComment: '系统运行稳定，警情处置效率明显提升',
      financeEvaluationComment: '资金使用规范',
      onTime: true,
      evaluationDue: expect.any(String),
      year,
    });
    expect(b.projects[1]).toMatchObject({ onTime: false, fundUseComplianceName: '存在问题' });
    // another appraisal year has nothing evaluated
    expect((await board('finance', `?year=${year - 1}`)).totals).toMatchObject({ projectsEvaluated: 0 });
    const one = await s.api(t.audit!, 'GET', `/api/projects/${late}/evaluation`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ projectId: late, unitId: 'gongan', evaluations: [{ onTime: false }] });
  });

  it('a Unit reads only its own evaluations: another Unit’s figures 403, another Unit’s project 404; bad input 400', async () => {
    const [onTime] = ids as [string];
    const own = await board('gongan.staff');
    expect(own.units.map((u) => u.unitId)).toEqual(['gongan']);
    expect(own.totals).toMatchObject({ projectsEvaluated: 2 });
    expect((await s.api(t['gongan.staff']!, 'GET', `/api/projects/${onTime}/evaluation`)).statusCode).toBe(
      200,
    );

    const other = await board('jiaoyu.staff');
    expect(other.units.map((u) => u.unitId)).toEqual(['jiaoyu']);
    expect(other.totals).toMatchObject({ projectsEvaluated: 0 });
    expect(other.projects).toEqual([]);
    const asked = await s.api(t['jiaoyu.staff']!, 'GET', '/api/evaluations?unitId=gongan');
    expect(asked.statusCode, asked.body).toBe(403);
    const hidden = await s.api(t['jiaoyu.staff']!, 'GET', `/api/projects/${onTime}/evaluation`);
    expect(hidden.statusCode, hidden.body).toBe(404);
    const missing = await s.api(t.finance!, 'GET', '/api/projects/YF-2099-9999/evaluation');
    expect(missing.statusCode, missing.body).toBe(404);
    // the roles with no reading of the 项目库 do not read evaluations either
    const expert = await s.api(t.expert!, 'GET', '/api/evaluations');
    expect(expert.statusCode, expert.body).toBe(403);
    for (const q of ['?year=abc', '?year=1999', '?colour=red']) {
      const bad = await s.api(t.finance!, 'GET', `/api/evaluations${q}`);
      expect(bad.statusCode, `${q}: ${bad.body}`).toBe(400);
      expect(bad.body).toMatch(/year|colour/);
    }
  });

  it('the audit package holds every part the project produced and verifies (SV-3)', async () => {
    const [id] = ids as [string];
    const res = await s.api(t.audit!, 'GET', `/api/projects/${id}/audit-export`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const archive = res.rawPayload;
    const files = new Map(readTar(archive).map((e) => [e.name, e.content]));
    const part = (name: string) => {
      expect(files.has(name), `${name} in ${[...files.keys()].join(', ')}`).toBe(true);
      return JSON.parse(files.get(name)!.toString('utf8'));
    };
    expect(part('project.json')).toMatchObject({ id, unitId: 'gongan' });
    // every version of the application, each the whole application as it stood then
    const versions = part('application-versions.json') as Array<{ version: number; content: Data }>;
    expect(versions.length).toBeGreaterThan(1);
    expect(versions[0]!.content).toMatchObject({
      name: '云浮市智慧警务综合平台',
      unitId: 'gongan',
      description: '警务数据汇聚、分析与指挥调度',
    });
    const edit = versions.find((v) => v.version === 2)!;
    expect(edit.content).toMatchObject({
      name: '云浮市智慧警务综合平台',
      description: '警务数据汇聚、分析与指挥调度（修订）',
    });
    expect(edit.content).toHaveProperty('serviceLines');
    // what a stage change noted is no part of the application
    expect(versions.at(-1)!.content).toEqual(edit.content);
    expect(versions.map((v) => v.version)).toEqual(part('history.json').map((h: Data) => h.version));
    // the opinions of every task, as the forms submitted them
    const opinions = part('opinions.json') as Array<{
      elementId: string;
      accountId: string;
      variables: Data;
    }>;
    const elements = opinions.map((o) => o.elementId);
    for (const [, elementId] of TO_EVALUATION) expect(elements).toContain(elementId);
    expect(opinions.find((o) => o.elementId === 'Task_BureauEvaluation')!.variables).toMatchObject({
      applicationEffectComment: '系统运行稳定，警情处置效率明显提升',
    });
    // the numbered 立项审批意见, and every document (third-party reports among them) with its content
    const approvals = part('approval-opinions.json') as Array<{ number: string }>;
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.number).toEqual(expect.any(String));
    const documents = part('documents.json') as Array<{ id: string; kind: string; fileName: string }>;
    expect(documents.map((d) => d.kind)).toContain('assessment-report');
    for (const d of documents) expect(files.has(`documents/${d.id}`), d.fileName).toBe(true);
    // amounts through the stages, the filing of the acceptance report, the evaluation, the catalogue entry
    const stages = (part('amounts.json') as Array<{ stage: string }>).map((a) => a.stage);
    expect(stages).toEqual(expect.arrayContaining(['applied', 'approved', 'contract']));
    expect(part('filings.json')).not.toEqual([]);
    expect(part('evaluations.json')).toMatchObject([
      {
        projectId: id,
        applicationEffectRating: 'excellent',
        payload: { financeEvaluationComment: '资金使用规范' },
      },
    ]);
    expect(part('data-resources.json')).toMatchObject([
      { projectId: id, catalogueRef: `YF-ML-2027-${id.slice(-4)}` },
    ]);
    expect(part('trail.json').length).toBeGreaterThan(TO_EVALUATION.length);
    expect(files.has('manifest.json') && files.has('signature.json')).toBe(true);

    expect(verifyArchive(archive).problems).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'yunfu-export-'));
    try {
      const file = join(dir, 'export.tar');
      writeFileSync(file, archive);
      const fingerprint = auditKeysOf(s.store.db)!.fingerprint;
      const ok = await auditVerify('--archive', file, '--fingerprint', fingerprint);
      expect(ok.out).toContain('OK');
      expect(ok.code).toBe(0);
      // one changed grade in the evaluations is caught
      const tampered = Buffer.from(archive);
      const at = tampered.indexOf(
        Buffer.from('"applicationEffectRating": "excellent"'),
        tampered.indexOf(Buffer.from('evaluations.json')),
      );
      expect(at).toBeGreaterThan(0);
      tampered.write('"applicationEffectRating": "poor"     ', at, 'utf8');
      writeFileSync(file, tampered);
      const bad = await auditVerify('--archive', file, '--fingerprint', fingerprint);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/TAMPERED evaluations\.json: SHA-256/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

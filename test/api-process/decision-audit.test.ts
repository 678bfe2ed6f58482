// Issue #11 §4 from the users' seats: a 专业类 project of 公安局 walked through /api to its evaluation by every role's
// own account, each task completed with exactly what form-js submits; then Audit reads the automated decisions the
// system took on the way — the classification (G-4..G-6), the 监理 and testing requirements (IM-3, IM-4), the
// computed deadlines (SU-4), the issuance of the 立项审批意见 (PRO-3), the acceptance gate (AC-1) — in the
// tamper-evident audit chain (GET /api/audit-log), each with its inputs and the rule edition applied, finds them in
// the project's audit package (GET /api/projects/:id/audit-export) and has the package checked by
// `npm run audit:verify -- --archive`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectAmounts, type ServiceLine } from '../../src/domain/index.ts';
import { verifyArchive } from '../../src/store/audit-export.ts';
import { auditKeysOf } from '../../src/store/audit-keys.ts';
import { readTar } from '../../src/store/tar.ts';
import { multipart, PDF } from '../api/harness.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { reportFor, TO_EVALUATION } from './lifecycle-steps.ts';
import { professionalDraft, type Stack, startStack, until } from './stack.ts';

type Data = Record<string, unknown>;
interface Entry {
  seq: number;
  action: string;
  accountId: string | null;
  role: string | null;
  projectId: string | null;
  payload: { ruleEdition: string | null; inputs: Data; outputs: Data; job: Data };
}

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
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
/** The edition in force (config/rule-editions.json) and its thresholds: what the decisions must name. */
const EDITION = (
  JSON.parse(readFileSync('config/rule-editions.json', 'utf8')) as {
    editions: Array<{ id: string; supervisionThreshold: number; testingThreshold: number }>;
  }
).editions.at(-1)!;

const run = promisify(execFile);

describe('automated decisions in the tamper-evident audit chain (issue #11 §4; SV-3, SV-4, SU-4)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  const seen = new Set<string>();
  /** The inbox item of each task, as its assignee's task list showed it. */
  const listed = new Map<string, Data>();
  let id = '';

  const openTask = async (who: string, elementId: string) => {
    const wanted = (i: Data) =>
      i.elementId === elementId && i.projectId === id && !seen.has(String(i.userTaskKey));
    const items = await until(
      async () => {
        const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as Data[];
      },
      (x) => x.some(wanted),
    );
    const item = items.find(wanted)!;
    listed.set(elementId, item);
    const key = String(item.userTaskKey);
    const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
    expect(detail.statusCode, detail.body).toBe(200);
    return { key, ...(detail.json() as { form: { formId: string; schema: Data }; variables: Data }) };
  };
  const complete = async (who: string, elementId: string, choices: Data) => {
    const task = await openTask(who, elementId);
    const submitted = await formJs.submit(task.form.schema, fill(task.form.schema, task.variables, choices));
    expect(submitted.errors, `${task.form.formId}: form-js refused the fill`).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.key}/complete`, {
      variables: submitted.data,
    });
    expect(res.statusCode, `${elementId} as ${who}: ${res.body}`).toBe(200);
    seen.add(task.key);
  };
  const upload = async (fileName: string) => {
    const body = multipart(fileName, 'application/pdf', PDF);
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${id}/documents?kind=assessment-report`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const decisions = async (kind: string) => {
    const res = await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${id}&action=decision.${kind}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Entry[];
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
    const draft = professionalDraft({ projectName: '云浮市警务大数据平台' });
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', draft);
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    let report = '';
    for (const [who, elementId, choices] of TO_EVALUATION) {
      const evidence =
        elementId === 'Task_VerifyAc2'
          ? {
              dataResources: [{ resourceName: '警情数据', catalogueNumber: 'YF-ML-2027-0901' }],
              dataResourcesVerified: 'pass',
              ipv6TestReportDocumentId: report,
              ipv6Verified: 'pass',
            }
          : {};
      await complete(who, elementId, {
        ...choices,
        ...evidence,
        ...(await reportFor(s, t[who]!, id, elementId)),
      });
      if (elementId === 'Task_Implement') report = await upload('IPv6支持测试报告.pdf');
    }
    await until(
      async () => (await s.api(t['gongan.staff']!, 'GET', `/api/projects/${id}`)).json().stage as string,
      (stage) => stage === 'evaluation',
    );
  }, 300_000);
  afterAll(async () => {
    await formJs?.close();
    await s?.close();
  });

  it('the classification and the 监理/testing requirements, with the service lines, totals and thresholds they came from', async () => {
    const draft = professionalDraft();
    const [classified] = await decisions('classification');
    expect(classified).toMatchObject({
      accountId: null,
      role: 'system',
      projectId: id,
      payload: {
        ruleEdition: EDITION.id,
        inputs: { serviceLines: draft.serviceLines },
        outputs: { category: 'professional', ownerGroup: 'unit-gongan' },
        job: { type: 'yunfu.classify-project' },
      },
    });
    const [required] = await decisions('implementation-requirements');
    const amounts = projectAmounts(draft.serviceLines as ServiceLine[]);
    expect(required!.payload).toMatchObject({
      ruleEdition: EDITION.id,
      inputs: {
        totalInvestment: amounts.totalInvestment,
        softwareDevCost: amounts.softwareDevCost,
        supervisionThreshold: EDITION.supervisionThreshold,
        testingThreshold: EDITION.testingThreshold,
      },
      outputs: { requiresSupervision: true, requiresThirdPartyTesting: true },
    });
    expect(required!.payload.inputs.totalInvestment).toBeGreaterThan(EDITION.supervisionThreshold);
  });

  it('every computed deadline, with its period and rule edition; the one a task carries is the one recorded', async () => {
    const deadlines = await decisions('deadline');
    expect(deadlines.length).toBeGreaterThanOrEqual(3);
    for (const d of deadlines) {
      expect(d.payload.ruleEdition).toBe(EDITION.id);
      expect(d.payload.inputs).toMatchObject({
        deadline: expect.any(String),
        workingDays: expect.any(Number),
      });
    }
    // the due date the acceptance test's task carries in its inbox is a recorded decision's output
    const due = listed.get('Task_AcceptanceTest')!.dueDate;
    expect(due).toEqual(expect.any(String));
    const made = deadlines.find(
      (d) => Date.parse(String(d.payload.outputs.assessmentDue)) === Date.parse(String(due)),
    );
    expect(made, JSON.stringify(deadlines.map((d) => d.payload.outputs))).toBeDefined();
    expect(made!.payload.job).toMatchObject({ elementId: 'Task_ComputeAcceptanceTestDue' });
  });

  it('the issuance of the 立项审批意见 and the acceptance gate, with what they rested on', async () => {
    const [issued] = await decisions('approval-issuance');
    expect(issued!.payload).toMatchObject({
      ruleEdition: EDITION.id,
      inputs: { bureauOpinion: '同意立项。', category: 'professional' },
      outputs: { approvalOpinionNumber: expect.any(String), approvalOpinionDocumentId: expect.any(String) },
    });
    // the document the decision names is the opinion the Unit finds among its project's documents
    const documents = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${id}/documents`);
    expect(documents.statusCode, documents.body).toBe(200);
    expect(JSON.stringify(documents.json())).toContain(
      String(issued!.payload.outputs.approvalOpinionDocumentId),
    );
    const gates = await decisions('acceptance-gate');
    expect(gates.map((g) => g.payload.outputs.stage)).toEqual(['evaluation']);
    expect(gates[0]!.payload).toMatchObject({
      ruleEdition: EDITION.id,
      inputs: {
        requiresThirdPartyTesting: true,
        acceptanceTestResult: 'pass',
        securityAssessmentResult: 'pass',
        acceptanceExpertReviewResult: 'pass',
        acceptanceDecision: 'pass',
        accepted: true,
      },
    });
  });

  it('the decisions are in the audit package, and `npm run audit:verify` checks it', async () => {
    const res = await s.api(t.audit!, 'GET', `/api/projects/${id}/audit-export`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const archive = res.rawPayload;
    const trail = readTar(archive).find((e) => e.name === 'trail.json')!;
    const actions = (JSON.parse(trail.content.toString('utf8')) as Entry[]).map((e) => e.action);
    for (const kind of [
      'classification',
      'implementation-requirements',
      'deadline',
      'approval-issuance',
      'acceptance-gate',
    ]) {
      expect(actions).toContain(`decision.${kind}`);
    }
    expect(verifyArchive(archive).problems).toEqual([]);
    const chain = await s.api(t.audit!, 'GET', '/api/audit-log/verification');
    expect(chain.json()).toMatchObject({ intact: true, problems: [] });
    const dir = mkdtempSync(join(tmpdir(), 'yunfu-decisions-'));
    try {
      const file = join(dir, 'export.tar');
      writeFileSync(file, archive);
      const fingerprint = auditKeysOf(s.store.db)!.fingerprint;
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'scripts/audit-verify.ts', '--archive', file, '--fingerprint', fingerprint],
        { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' } },
      );
      expect(stdout).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("the P-1 campaign's deadlines, computed when its yearly timer starts it, with the edition's filing date", async () => {
    // nobody's seat starts the campaign: its timer does (10 October); Audit then reads what was computed
    await s.setClock('2027-10-11T02:00:00Z');
    const audit = await s.login('audit'); // a year on, the earlier session has expired
    const read = async () => {
      const res = await s.api(
        audit,
        'GET',
        '/api/audit-log?action=decision.deadline&entityType=process-instance',
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Entry[];
    };
    const [campaign] = await until(read, (x) => x.some((e) => 'filingDeadline' in e.payload.outputs), 30_000);
    expect(campaign).toMatchObject({
      accountId: null,
      role: 'system',
      projectId: null,
      payload: {
        ruleEdition: EDITION.id,
        inputs: { planYear: 2028, reminderWorkingDays: expect.any(Number) },
        outputs: { filingDeadline: expect.stringMatching(/^2027-/) },
        job: { type: 'yunfu.list-units', processDefinitionId: 'annual-plan-filing' },
      },
    });
  }, 60_000);
});

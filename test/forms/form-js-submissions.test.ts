// PRO-2, PUB-1, PUB-2: every task form can be submitted exactly as form-js submits it. For every `.form` in
// processes/, form-js itself (the viewer bundle the pages load, in headless chromium) is filled and submitted, and
// the server's check (src/app/forms/submission.ts, what /api runs before completing a task) must accept the data;
// then the processes are driven through /api — each task completed by the account of its candidate group with
// form-js's submission of the task's own form and variables, as the task page does. A form with a component the
// server cannot accept fails here, with the form and the fields named.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formIssues } from '../../src/app/forms/submission.ts';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';
import { multipart, PDF } from '../api/harness.ts';
import { reportFor } from '../api-process/lifecycle-steps.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from '../api-process/stack.ts';
import { PROFESSIONAL_LINES } from '../support/projects.ts';
import { fill } from './fill.ts';
import { type FormJs, launchFormJs } from './form-js.ts';

type Data = Record<string, unknown>;

const FORMS = readdirSync(PROCESSES_DIR)
  .filter((f) => f.endsWith('.form'))
  .map((f) => JSON.parse(readFileSync(join(PROCESSES_DIR, f), 'utf8')) as Data & { id: string });

const taskForm = (schema: Data & { id: string }) => ({
  formId: schema.id,
  formKey: `camunda-forms:bpmn:${schema.id}`,
  version: 1,
  schema,
});

/** What a project's tasks show: the process variables the forms read. */
const CONTEXT: Data = {
  tenantId: 'yunfu',
  projectId: 'YF-2026-0001',
  projectName: '云浮市智慧警务综合平台',
  unitId: 'gongan',
  unitName: '云浮市公安局',
  planYear: 2027,
  totalInvestment: 1_060_000,
  softwareDevCost: 1_000_000,
  requiresSupervision: true,
  requiresThirdPartyTesting: true,
  serviceLines: PROFESSIONAL_LINES,
  hasDataCatalogue: true,
  supportsIpv6: true,
  missingItems: [],
  unitNeeds: [],
  // AC-2: the project's documents, offered for the IPv6 test report (yunfu.list-project-documents)
  projectDocuments: [{ label: '测评报告：IPv6支持测试报告.pdf（2027-06-20 10:00 上传）', value: 'doc-ipv6' }],
};

/**
 * The decisions of the journey, per form, in order (the last one repeats): a return for correction, a failed cost
 * review and a failed expert review first, then the way forward.
 */
const CHOICES: Record<string, Data[]> = {
  // G-6: the Unit's section sends the first application back to its staff, then approves.
  'unit-section-review': [
    { sectionDecision: 'return', sectionOpinion: '请补充与现有平台的关系' },
    { sectionDecision: 'approve', sectionOpinion: '同意报送' },
  ],
  // G-6: the Unit's section sends the first annual plan back to its staff, then approves.
  'unit-section-annual-plan-review': [
    { sectionDecision: 'return', sectionOpinion: '请补充估算依据' },
    { sectionDecision: 'approve', sectionOpinion: '同意报送' },
  ],
  'initial-check': [
    { initialCheckDecision: 'return', initialCheckOpinion: '请补充服务内容说明' },
    { initialCheckDecision: 'pass', initialCheckOpinion: '符合立项条件' },
  ],
  'cost-review': [{ costReviewPassed: false }, { costReviewPassed: true }],
  'expert-review': [{ expertReviewPassed: false }, { expertReviewPassed: true }],
  'procurement-record': [{ procurementResult: 'failed' }, { procurementResult: 'success' }],
  'procurement-failure-decision': [{ failedProcurementDecision: 'retry' }],
  // PUB-1: one public project from the collected needs, then the end of the consolidation.
  'consolidate-public-plan': [
    {
      consolidationAction: 'form-project',
      serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }],
    },
    { consolidationAction: 'finish' },
  ],
  // IM-3: the 监理 fee within the project's 监理 line (30,000 元 of PROFESSIONAL_LINES); AC-3, IM-4: the
  // testing and assessment fees within its 测评 line (30,000 元)
  'supervisor-engagement': [{ supervisionFee: 30_000 }],
  'implementation-progress': [{ implementationAction: 'completed', assessmentFee: 30_000 }],
  'coordination-assessment': [{ coordinationAction: 'consult' }, { coordinationAction: 'answer' }],
  // Acceptance: each check fails once, so its rectification form is met.
  'software-test-record': [{ softwareTestResult: 'fail' }, { softwareTestResult: 'pass' }],
  'acceptance-testing-record': [{ acceptanceTestResult: 'fail' }, { acceptanceTestResult: 'pass' }],
  'security-assessment-record': [{ securityAssessmentResult: 'fail' }, { securityAssessmentResult: 'pass' }],
  'acceptance-expert-review': [
    { acceptanceExpertReviewResult: 'fail' },
    { acceptanceExpertReviewResult: 'pass' },
  ],
  'pre-acceptance-review': [
    { preAcceptanceReviewDecision: 'return' },
    { preAcceptanceReviewDecision: 'pass' },
  ],
  // AC-2 fails once (IPv6 not proven), AC-1 fails once and is rectified, then both pass
  'acceptance-ac2-verification': [
    { dataResourcesVerified: 'pass', ipv6Verified: 'fail' },
    { dataResourcesVerified: 'pass', ipv6Verified: 'pass' },
  ],
  'acceptance-organisation': [{ acceptanceDecision: 'fail' }, { acceptanceDecision: 'pass' }],
  'acceptance-failure-decision': [{ failedAcceptanceDecision: 'rectify' }],
};

/**
 * What the Unit does through /api when a form is first met, before completing it: at the start of the first
 * project's implementation a change and a delay filing (IM-8), at the second's a termination (IM-9).
 */
const FILINGS: Record<number, Data[]> = {
  0: [
    { kind: 'change', changeDescription: '增加移动端警务应用', changeReason: '公安部新要求' },
    { kind: 'delay', delayReason: '设备到货延迟', requestedDeliveryDate: '2027-09-30T18:00:00+08:00' },
  ],
  1: [{ kind: 'termination', terminationReason: '上级部门统一建设，本项目终止' }],
};

describe('every task form can be submitted exactly as form-js submits it (PRO-2, PUB-1, PUB-2)', () => {
  let formJs: FormJs;
  let s: Stack;
  const t: Record<string, string> = {};

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

  it.each(FORMS.map((f) => [f.id, f] as const))(
    '%s: form-js’s submission passes the server’s check',
    async (_, schema) => {
      const data = fill(schema, CONTEXT, CHOICES[schema.id]?.at(-1));
      const submitted = await formJs.submit(schema, data);
      expect(submitted.errors, `form-js refused the fill of ${schema.id}`).toEqual({});
      expect(formIssues(taskForm(schema), submitted.data, CONTEXT).issues).toEqual([]);
    },
  );

  it('the check is not a formality: what form-js would not send is refused, naming the field', async () => {
    const schema = FORMS.find((f) => f.id === 'correct-application')!;
    const { data } = await formJs.submit(schema, fill(schema, CONTEXT));
    const lines = data.serviceLines as Data[];
    // form-js sends the repetitions it rendered, relatedTo only on the line whose type needs it (G-5, G-6).
    expect(lines).toHaveLength(3);
    expect(lines[0]).not.toHaveProperty('relatedTo');
    expect(lines[1]).toMatchObject({ subType: 'supervision', relatedTo: 'professional-software' });
    expect(lines[2]).toMatchObject({ subType: 'assessment', relatedTo: 'professional-software' });
    const refused = (variables: Data) =>
      formIssues(taskForm(schema), variables, CONTEXT).issues.map((i) => i.field);
    expect(refused({ ...data, ownerGroup: 'unit-jiaoyu' })).toEqual(['variables.ownerGroup']);
    expect(refused({ ...data, serviceLines: [{ ...lines[0], category: 'public' }] })).toEqual([
      'variables.serviceLines[0].category',
    ]);
    expect(refused({ ...data, serviceLines: [{ ...lines[0], subType: '政务云' }] })).toEqual([
      'variables.serviceLines[0].subType',
    ]);
    const { relatedTo: _, ...unrelated } = lines[1]!;
    expect(refused({ ...data, serviceLines: [unrelated] })).toEqual(['variables.serviceLines[0].relatedTo']);
    expect(refused({ ...data, serviceLines: [{ ...lines[0], amount: '1000000' }] })).toEqual([
      'variables.serviceLines[0].amount',
    ]);
    expect(refused({ ...data, serviceLines: { serviceType: 'infrastructure' } })).toEqual([
      'variables.serviceLines',
    ]);
    // A subtype of another type (G-4) is refused before classification could fail on it.
    expect(refused({ ...data, serviceLines: [{ ...lines[0], subType: 'government-cloud' }] })).toEqual([
      'variables.serviceLines[0].subType',
    ]);
  });

  // --- the journeys ----------------------------------------------------------------------------------------------

  const completed = new Map<string, number>();
  const refusedByRole = new Map<string, string>();
  const seen = new Set<string>();

  /** Completes one open task found in any account's inbox; false when there is none. */
  const completeNext = async (): Promise<boolean> => {
    for (const who of ACCOUNTS) {
      const res = await s.api(t[who]!, 'GET', '/api/tasks?scope=groups');
      expect(res.statusCode, res.body).toBe(200);
      for (const item of res.json().items as Data[]) {
        const key = String(item.userTaskKey);
        if (seen.has(key)) continue;
        seen.add(key);
        const detail = await s.api(t[who]!, 'GET', `/api/tasks/${key}`);
        expect(detail.statusCode, detail.body).toBe(200);
        const { form, variables } = detail.json() as {
          form: { formId: string; schema: Data };
          variables: Data;
        };
        const n = completed.get(form.formId) ?? 0;
        if (form.formId === 'supervisor-engagement') {
          const filings = FILINGS[n] ?? [];
          for (const body of filings) {
            const res = await s.api(
              t['gongan.staff']!,
              'POST',
              `/api/projects/${item.projectId}/filings`,
              body,
            );
            expect(res.statusCode, `${body.kind} filing: ${res.body}`).toBe(202);
          }
          // A terminated contract ends the implementation: its open tasks are cancelled.
          if (filings.some((f) => f.kind === 'termination')) {
            completed.set(form.formId, n + 1);
            continue;
          }
        }
        const choices = CHOICES[form.formId];
        // IM-4: a third party's result names the report its own account uploaded to the project first
        const report = await reportFor(s, t[who]!, String(item.projectId), String(item.elementId));
        const data = fill(form.schema, variables, {
          ...choices?.[Math.min(n, choices.length - 1)],
          ...report,
        });
        const submitted = await formJs.submit(form.schema, data);
        expect(submitted.errors, `${form.formId}: form-js refused the fill`).toEqual({});
        const done = await s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, {
          variables: submitted.data,
        });
        if (done.statusCode === 403) {
          // Not the form: the account may not complete it (recorded, and asserted below).
          refusedByRole.set(form.formId, `${who}: ${(done.json() as Problem).detail}`);
          continue;
        }
        expect(done.statusCode, `${form.formId} (${item.elementId}) as ${who}: ${done.body}`).toBe(200);
        completed.set(form.formId, n + 1);
        return true;
      }
    }
    return false;
  };

  /** Completes tasks until none appears for a while (the workers and the engine run asynchronously). */
  const drive = async () => {
    for (;;) {
      // Quiet for 3 s — no task of ours open — is how this ends, so a timeout here is the answer, not a failure.
      const more = await until(completeNext, (x) => x, 3_000).catch(() => false);
      if (!more) return;
    }
  };

  it('a 专业类 project, a needs collection with its 公共类 project, an out-of-plan one and the requests are driven through /api by form-js submissions', async () => {
    const start = async (draft: Data, body?: Data) => {
      const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', draft);
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().project.id as string;
      const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`, body);
      expect(res.statusCode, res.body).toBe(201);
      return id;
    };
    const professional = await start(professionalDraft());
    // AC-2: the Unit's IPv6 test report among the project's documents, for the Bureau to verify at acceptance
    const report = multipart('IPv6支持测试报告.pdf', 'application/pdf', PDF);
    const uploaded = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${professional}/documents?kind=assessment-report`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...report.headers },
      payload: report.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    // PUB-1: the Bureau collects public needs from two Units; their answers and its consolidation are forms too.
    const collection = await s.api(t['bureau.admin']!, 'POST', '/api/needs-collections', {
      planYear: 2027,
      workingDays: 10,
      unitIds: ['gongan', 'jiaoyu'],
    });
    expect(collection.statusCode, collection.body).toBe(201);
    await start(professionalDraft({ projectName: '网络安全应急处置平台', planYear: 2026 }), {
      outOfPlan: { reason: 'network-security', justification: '应对网络安全事件，须立即建设' },
    });
    const requests: Array<[string, string, Data]> = [
      [
        'gongan.staff',
        '/api/infrastructure-requests',
        { requestedService: '政务云主机', requestedSpecification: '8 核 32G × 4 台' },
      ],
      [
        'gongan.staff',
        '/api/coordination-requests',
        {
          coordinationSubject: '跨部门数据共享',
          coordinationDescription: '需协调人社局开放接口',
          projectId: professional,
        },
      ],
      ['audit', '/api/audit-requests', { projectId: professional, requestedMaterials: '合同、验收报告' }],
    ];
    for (const [who, url, body] of requests) {
      const res = await s.api(t[who]!, 'POST', url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
    }
    await drive();
    // P-1: the Bureau starts next year's planning campaign (as from Camunda's tools); each Unit files its plan.
    await s.client.createProcessInstance({
      processDefinitionId: 'annual-plan-filing',
      variables: { planYear: 2028 },
    } as never);
    await drive();

    const covered = [...completed.keys()].sort();
    console.info(`forms completed through /api: ${covered.join(', ')}`);
    console.info(
      `forms checked only against the server's check: ${FORMS.map((f) => f.id)
        .filter((id) => !completed.has(id))
        .join(', ')}`,
    );
    // The journey met the return for correction and both revisions, and the public plan's consolidation.
    expect(completed.get('initial-check')).toBeGreaterThanOrEqual(2);
    expect(completed.get('cost-review')).toBeGreaterThanOrEqual(2);
    expect(covered).toEqual(expect.arrayContaining(REACHED));
    // Every task was completed by an account of its group: Audit too, its own SV-3 review (G-8 keeps it from
    // everything else).
    expect(Object.fromEntries(refusedByRole)).toEqual({});
  }, 600_000);

  it('a refused completion is a 400 naming the field, never a 500', async () => {
    const res = await s.api(t['gongan.staff']!, 'GET', '/api/tasks');
    const any = (res.json().items as Data[])[0];
    if (!any) return;
    const bad = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${any.userTaskKey}/complete`, {
      variables: { ownerGroup: 'unit-jiaoyu' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).errors?.map((e) => e.field)).toContain('variables.ownerGroup');
  });
});

const ACCOUNTS = [
  'gongan.staff',
  'gongan.section',
  'gongan.leader',
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

/** The forms the journeys reach without moving the clock (asserted, so a lost step is seen). */
const REACHED = [
  'unit-section-review',
  'revise-for-section',
  'initial-check',
  'correct-application',
  'cost-review',
  'revise-plan',
  'expert-review',
  'finance-review',
  'bureau-approval-opinion',
  'submit-funding-application',
  'city-government-decision',
  'state-public-needs',
  'consolidate-public-plan',
  'out-of-plan-reason-check',
  'procurement-record',
  'infrastructure-allocation',
  'coordination-assessment',
  'coordination-consultation',
  'supervisor-engagement',
  'change-filing-registration',
  'delay-filing-registration',
  'termination-filing-bureau',
  'termination-filing-finance',
  'software-test-record',
  'test-defect-fix',
  'acceptance-testing-record',
  'acceptance-test-rectification',
  'security-assessment-record',
  'security-assessment-rectification',
  'acceptance-expert-review',
  'expert-review-rectification',
  'pre-acceptance-review',
  'pre-acceptance-rectification',
  'acceptance-ac2-verification',
  'acceptance-prerequisites-rectification',
  'acceptance-organisation',
  'acceptance-failure-decision',
  'acceptance-rectification',
  'file-annual-plan',
  'unit-section-annual-plan-review',
  'revise-annual-plan',
  'audit-materials-unit',
  'audit-review',
];

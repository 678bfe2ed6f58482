// A Unit submits a project through /api; the lifecycle runs on the embedded engine with the real workers
// (check-application, classify, due dates); the Bureau reviewer finds 初核 in their inbox with its Camunda form and
// completes it; the refusals around it: 涉密 before the engine, another group's task, a missing form field, a second
// completion, Audit, another tenant.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceLine } from '../../src/domain/index.ts';
import { insertProject } from '../../src/store/projects.ts';
import { PROFESSIONAL_LINES } from '../support/projects.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

describe('submitting a project and reviewing it through /api on the real engine', () => {
  let s: Stack;
  const t: Record<string, string> = {};

  const inbox = async (who: string, query = '') => {
    const res = await s.api(t[who]!, 'GET', `/api/tasks${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<Record<string, unknown>>;
  };

  /** G-6: the Unit's 责任科室 approves what its staff submitted; only then does the application reach the Bureau. */
  const signOff = async (projectId: string) => {
    const items = await until(
      () => inbox('gongan.section', `?projectId=${projectId}`),
      (x) => x.some((i) => i.elementId === 'Task_SectionReview'),
    );
    const key = items.find((i) => i.elementId === 'Task_SectionReview')!.userTaskKey;
    const res = await s.api(t['gongan.section']!, 'POST', `/api/tasks/${key}/complete`, {
      variables: { sectionDecision: 'approve', sectionOpinion: '同意报送' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** A project the Unit created, submitted and its section signed off, its lifecycle started. */
  const submitted = async () => {
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id as string;
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(res.statusCode, res.body).toBe(201);
    await signOff(projectId);
    return { projectId, processInstanceKey: res.json().processInstanceKey as string };
  };
  /** 初核 of `projectId`, once the rule steps have put it in the Bureau reviewer's inbox. */
  const initialCheckOf = async (projectId: string) => {
    const items = await until(
      () => inbox('bureau.reviewer'),
      (x) => x.some((i) => i.projectId === projectId),
    );
    return items.find((i) => i.projectId === projectId)!;
  };
  /** A submitted project whose 初核 waits for the Bureau reviewer. */
  const awaitingInitialCheck = async () => {
    const { projectId } = await submitted();
    return { projectId, initialCheckKey: String((await initialCheckOf(projectId)).userTaskKey) };
  };
  /** A project whose 初核 the reviewer claimed, released, claimed again and passed. */
  const initialCheckPassed = async () => {
    const { projectId, initialCheckKey } = await awaitingInitialCheck();
    for (const step of ['claim', 'unclaim', 'claim']) {
      const res = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/${step}`);
      expect(res.statusCode, res.body).toBe(200);
    }
    const done = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '材料齐全，符合立项条件' },
    });
    expect(done.statusCode, done.body).toBe(200);
    return { projectId };
  };

  beforeAll(async () => {
    // Friday 27 November 2026, 10:00 in Yunfu.
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [
      'gongan.staff',
      'gongan.section',
      'bureau.reviewer',
      'bureau.admin',
      'expert',
      'audit',
      'finance',
    ])
      t[name] = await s.login(name);
    t['xinxing/gongan.staff'] = await s.login('gongan.staff', 'xinxing');
    t['xinxing/bureau.admin'] = await s.login('bureau.admin', 'xinxing');
    // P-1: the Unit filed its 2027 plan on time; the 初核 form shows the filing number.
    const plan = await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度警务信息化规划',
    });
    expect(plan.statusCode, plan.body).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
  });
  // Every state change was audited and nothing failed unexpectedly (the logs say so), checked after each test.
  afterEach(() => {
    expect(s.logs.filter((l) => l.includes('without an audit entry'))).toEqual([]);
    expect(s.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
  });

  it('G-9: a 涉密 project is refused at submission with the rule, and the engine never sees it', async () => {
    // A 涉密 draft cannot be written through the API at all; this one stands for a record from before that rule.
    const account = await s.store.db
      .selectFrom('accounts')
      .select('id')
      .where('tenantId', '=', 'yunfu')
      .where('username', '=', 'gongan.staff')
      .executeTakeFirstOrThrow();
    const draft = professionalDraft();
    await s.store.transaction((tx) =>
      insertProject(tx, {
        id: 'YF-2026-9001',
        tenantId: 'yunfu',
        createdBy: account.id,
        at: s.now().toISOString(),
        content: {
          unitId: 'gongan',
          name: '涉密指挥系统',
          description: '',
          planYear: 2027,
          fundingSource: 'city-fiscal',
          fundingLines: [{ source: 'city-fiscal', amount: 1_060_000 }],
          classified: true,
          hasDataCatalogue: true,
          supportsIpv6: true,
          serviceLines: draft.serviceLines as ServiceLine[],
          totalInvestment: 1_060_000,
          softwareDevCost: 1_000_000,
          category: 'professional',
          ruleEdition: '2000-01-01',
        },
      }),
    );
    const res = await s.api(t['gongan.staff']!, 'POST', '/api/projects/YF-2026-9001/submit');
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json() as Problem;
    expect(body.detail).toContain('涉密');
    expect(body.errors?.[0]?.field).toBe('classified');
    const project = (await s.api(t['gongan.staff']!, 'GET', '/api/projects/YF-2026-9001')).json();
    expect(project.stage).toBe('draft');
    expect(project.processInstanceKey).toBeNull();
    const instances = await s.client.searchProcessInstances(
      { filter: { variables: [{ name: 'projectId', value: '"YF-2026-9001"' }] } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    expect(instances.items).toEqual([]);
  });

  it('a Unit submits: the lifecycle starts with the contract variables and the project is submitted', async () => {
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id;

    // Only the Unit's writers submit (G-6); the Bureau cannot submit for it.
    const byReviewer = await s.api(t['bureau.reviewer']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(byReviewer.statusCode).toBe(403);

    const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.initiationRoute).toBe('professional');
    // The lifecycle's first step records the initiation stage (yunfu.set-project-stage); the workers may get there
    // before the submission settles, and the stage must never be moved back to `submitted` after that.
    expect(['submitted', 'initiation']).toContain(body.project.stage);
    const settled = await until(
      async () => (await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}`)).json().stage,
      (stage) => stage === 'initiation',
    );
    expect(settled).toBe('initiation');
    const processInstanceKey = body.processInstanceKey;
    expect(body.project.processInstanceKey).toBe(processInstanceKey);

    const again = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(again.statusCode).toBe(409);

    const vars = await s.client.searchVariables(
      { filter: { processInstanceKey, scopeKey: processInstanceKey }, truncateValues: false } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    const v = Object.fromEntries(vars.items.map((x) => [x.name, JSON.parse(x.value)]));
    expect(v).toMatchObject({
      projectId,
      tenantId: 'yunfu',
      unitId: 'gongan',
      unitName: '云浮市公安局',
      initiationRoute: 'professional',
      initiatedAt: '2026-11-27T02:00:00.000Z',
      classified: false,
      fundingSource: 'city-fiscal',
      hasDataCatalogue: true,
      supportsIpv6: true,
      planYear: 2027,
      totalInvestment: 1_060_000,
      softwareDevCost: 1_000_000,
    });
    expect(v.annualPlanFilingNumber).toMatch(/^.+〔2026〕\d+号$/);
    expect(v.serviceLines).toEqual(PROFESSIONAL_LINES);
  });

  it('check-application and classification run; 初核 is in the Bureau reviewer’s inbox with its due date', async () => {
    const { projectId } = await submitted();
    const task = await initialCheckOf(projectId);
    expect(task).toMatchObject({
      name: '初核',
      elementId: 'Task_InitialCheck',
      processDefinitionId: 'professional-project-initiation',
      projectName: '云浮市智慧警务综合平台',
      unitName: '云浮市公安局',
      candidateGroups: ['bureau-reviewer'],
      assignee: null,
      // 5 working days, due at 18:00 Shanghai on Friday 4 December.
      dueDate: '2026-12-04T10:00:00.000Z',
      workingDaysLeft: 5,
      overdue: false,
      dueDateProvisional: false,
    });
    const initialCheckKey = String(task.userTaskKey);

    // The process passed the rule steps on the engine, with the workers' results.
    const passed = await s.client.searchElementInstances(
      { filter: { processInstanceKey: String(task.processInstanceKey), state: 'COMPLETED' } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    const ids = (passed.items ?? []).map((e) => e.elementId);
    expect(ids).toEqual(expect.arrayContaining(['Task_CheckApplication', 'Task_ClassifyProject']));

    // The Unit does not see the Bureau's task; the expert neither.
    expect((await inbox('gongan.staff')).some((i) => i.userTaskKey === initialCheckKey)).toBe(false);
    expect((await inbox('expert')).some((i) => i.userTaskKey === initialCheckKey)).toBe(false);
    // Filter by project.
    expect((await inbox('bureau.reviewer', `?projectId=${projectId}`)).map((i) => i.userTaskKey)).toEqual([
      initialCheckKey,
    ]);
  });

  it('the task page gets the Camunda form and the variables it shows', async () => {
    const { projectId, initialCheckKey } = await awaitingInitialCheck();
    const res = await s.api(t['bureau.reviewer']!, 'GET', `/api/tasks/${initialCheckKey}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.form.formId).toBe('initial-check');
    expect(body.form.schema.components.length).toBeGreaterThan(3);
    expect(body.form.requiredFields).toEqual(['initialCheckDecision', 'initialCheckOpinion']);
    expect(body.variables).toMatchObject({
      projectId,
      projectName: '云浮市智慧警务综合平台',
      unitName: '云浮市公安局',
      totalInvestment: 1_060_000,
      hasDataCatalogue: true,
    });
    expect(body.variables.annualPlanFilingNumber).toMatch(/号$/);
    // Nothing the form does not show (the rule edition, the owner group…).
    expect(body.variables.rules).toBeUndefined();
    expect(body.variables.ownerGroup).toBeUndefined();
  });

  it('another tenant does not see the task, not even with its key', async () => {
    const { initialCheckKey } = await awaitingInitialCheck();
    expect((await inbox('xinxing/bureau.admin')).some((i) => i.userTaskKey === initialCheckKey)).toBe(false);
    const read = await s.api(t['xinxing/bureau.admin']!, 'GET', `/api/tasks/${initialCheckKey}`);
    expect(read.statusCode).toBe(404);
    const complete = await s.api(
      t['xinxing/gongan.staff']!,
      'POST',
      `/api/tasks/${initialCheckKey}/complete`,
      {
        variables: { initialCheckDecision: 'pass', initialCheckOpinion: '通过' },
      },
    );
    expect(complete.statusCode).toBe(404);
  });

  it('completing another group’s task is 404; Audit cannot complete (403) but reads', async () => {
    const { initialCheckKey } = await awaitingInitialCheck();
    const byExpert = await s.api(t.expert!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '通过' },
    });
    expect(byExpert.statusCode).toBe(404);
    const claimByExpert = await s.api(t.expert!, 'POST', `/api/tasks/${initialCheckKey}/claim`);
    expect(claimByExpert.statusCode).toBe(404);
    const byAudit = await s.api(t.audit!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '通过' },
    });
    expect(byAudit.statusCode).toBe(403);
    expect((await s.api(t.audit!, 'GET', `/api/tasks/${initialCheckKey}`)).statusCode).toBe(200);
  });

  it('a missing required form field is 400 naming it; a field the form lacks and a wrong value too', async () => {
    const { initialCheckKey } = await awaitingInitialCheck();
    const missing = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass' },
    });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as Problem).errors).toEqual([
      { field: 'variables.initialCheckOpinion', reason: '必填（初核意见）' },
    ]);
    const smuggled = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'maybe', initialCheckOpinion: '通过', ownerGroup: 'bureau-admin' },
    });
    expect(smuggled.statusCode).toBe(400);
    expect((smuggled.json() as Problem).errors?.map((e) => e.field).sort()).toEqual([
      'variables.initialCheckDecision',
      'variables.ownerGroup',
    ]);
  });

  it('claim, unclaim, claim again; the reviewer completes 初核, and completing twice is 409', async () => {
    const { projectId, initialCheckKey } = await awaitingInitialCheck();
    const claim = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/claim`);
    expect(claim.statusCode, claim.body).toBe(200);
    const mine = await inbox('bureau.reviewer', '?scope=mine');
    expect(mine.find((i) => i.userTaskKey === initialCheckKey)).toMatchObject({
      assignedToMe: true,
      assigneeName: '市政数局审核员',
    });
    expect(
      (await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/unclaim`)).statusCode,
    ).toBe(200);
    expect(
      (await inbox('bureau.reviewer', '?scope=mine')).some((i) => i.userTaskKey === initialCheckKey),
    ).toBe(false);
    expect(
      (await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/claim`)).statusCode,
    ).toBe(200);

    const done = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '材料齐全，符合立项条件' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('COMPLETED');

    const twice = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${initialCheckKey}/complete`, {
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '再次提交' },
    });
    expect(twice.statusCode).toBe(409);

    // PRO-2: the expert review follows, in the expert's inbox.
    const expertTasks = await until(
      () => inbox('expert'),
      (x) => x.some((i) => i.projectId === projectId),
    );
    expect(expertTasks.find((i) => i.projectId === projectId)?.elementId).toBe('Task_ExpertReview');
  });

  it('SV-4: every step is in the audit trail with who, what and which data', async () => {
    const { projectId } = await initialCheckPassed();
    const res = await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json() as Array<{ action: string; role: string; payload: Record<string, unknown> }>;
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'project.create',
        'project.submit',
        'task.claim',
        'task.unclaim',
        'task.complete',
      ]),
    );
    // G-6: the Unit's section signed off first, under its own role; then the Bureau's reviewer decided.
    const signedOff = entries.find((e) => e.action === 'task.complete' && e.role === 'unit-section')!;
    expect(signedOff.payload).toMatchObject({
      elementId: 'Task_SectionReview',
      variables: { sectionDecision: 'approve' },
    });
    const decision = entries.find((e) => e.action === 'task.complete' && e.role !== 'unit-section')!;
    expect(decision.role).toBe('bureau-reviewer');
    expect(decision.payload).toMatchObject({
      elementId: 'Task_InitialCheck',
      name: '初核',
      variables: { initialCheckDecision: 'pass', initialCheckOpinion: '材料齐全，符合立项条件' },
    });
    // Refused attempts left nothing behind: the two completions are the section's sign-off and 初核.
    expect(actions.filter((a) => a === 'task.complete')).toHaveLength(2);
    expect(actions.filter((a) => a === 'project.submit')).toHaveLength(1);
  });

  it('the timeline merges the business history with the process history, in time order', async () => {
    const { projectId } = await initialCheckPassed();
    const res = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.processHistoryAvailable).toBe(true);
    const items = body.items as Array<{
      at: string;
      source: string;
      kind: string;
      title: string;
      elementId?: string;
    }>;
    const times = items.map((i) => Date.parse(i.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(items[0]).toMatchObject({ source: 'business', kind: 'created' });
    expect(items.some((i) => i.source === 'business' && i.title === '项目阶段：已提交')).toBe(true);
    expect(
      items.find((i) => i.elementId === 'Task_InitialCheck' && i.kind === 'element-completed')?.title,
    ).toBe('初核：完成');
    expect(items.some((i) => i.elementId === 'Task_ClassifyProject' && i.kind === 'element-completed')).toBe(
      true,
    );
    // Who acts next (issue 16): after 初核 the cost and expert reviews wait, each with its group and due date.
    const waiting = body.waiting as Array<
      { elementId: string; candidateGroups: string[] } & Record<string, unknown>
    >;
    expect(waiting.map((w) => w.elementId).sort()).toEqual(['Task_CostReview', 'Task_ExpertReview']);
    for (const w of waiting) {
      expect(w).toMatchObject({ since: expect.any(String), dueDate: expect.any(String), overdue: false });
      expect(w.workingDaysLeft).toBeGreaterThan(0);
    }
    expect(waiting.find((w) => w.elementId === 'Task_CostReview')?.candidateGroups).toEqual([
      'cost-reviewer',
    ]);
    // Another Unit does not see it.
    const other = await s.login('jiaoyu.staff');
    expect((await s.api(other, 'GET', `/api/projects/${projectId}/timeline`)).statusCode).toBe(404);
  });

  it('EMG-1: an out-of-plan submission goes the out-of-plan way, with its reason checked by the schema first', async () => {
    const created = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: '网络安全应急处置平台' }),
    );
    const id = created.json().project.id as string;
    const bad = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`, {
      outOfPlan: { reason: 'convenience', justification: '方便' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).errors?.[0]?.field).toBe('outOfPlan.reason');
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`, {
      outOfPlan: { reason: 'network-security', justification: '应对网络安全事件，须立即建设' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().initiationRoute).toBe('out-of-plan');
    await signOff(id);
    const items = await until(
      () => inbox('bureau.reviewer', `?projectId=${id}`),
      (x) => x.length > 0,
    );
    expect(items[0]).toMatchObject({
      elementId: 'Task_OutOfPlanReasonCheck',
      processDefinitionId: 'out-of-plan-initiation',
    });
  });

  it('G-5, PUB-1: a 公共类 draft kept from before is refused at submission, telling the Unit where its need belongs', async () => {
    // The API no longer creates such a draft (test/api-process/public-needs.test.ts); one from before is in the store.
    const account = await s.store.db
      .selectFrom('accounts')
      .select('id')
      .where('tenantId', '=', 'yunfu')
      .where('username', '=', 'gongan.staff')
      .executeTakeFirstOrThrow();
    const cloud: ServiceLine[] = [
      { serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 },
    ];
    await s.store.transaction((tx) =>
      insertProject(tx, {
        id: 'YF-2026-9002',
        tenantId: 'yunfu',
        createdBy: account.id,
        at: s.now().toISOString(),
        content: {
          unitId: 'gongan',
          name: '政务云扩容',
          description: '',
          planYear: 2027,
          fundingSource: 'city-fiscal',
          fundingLines: [{ source: 'city-fiscal', amount: 800_000 }],
          classified: false,
          hasDataCatalogue: true,
          supportsIpv6: true,
          serviceLines: cloud,
          totalInvestment: 800_000,
          softwareDevCost: 0,
          category: 'public',
          ruleEdition: '2000-01-01',
        },
      }),
    );
    const res = await s.api(t['gongan.staff']!, 'POST', '/api/projects/YF-2026-9002/submit');
    expect(res.statusCode, res.body).toBe(422);
    const p = res.json() as Problem;
    expect(p.detail).toContain('公共类服务需求征集');
    expect(p.detail).toContain('基础设施服务申请');
    expect(p.errors?.map((e) => e.field)).toEqual(['serviceLines']);
    const project = await s.api(t['gongan.staff']!, 'GET', '/api/projects/YF-2026-9002');
    expect(project.json().stage).toBe('draft');
  });

  it('the engine-backed routes are in the OpenAPI document', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/projects/{projectId}/submit',
        '/api/projects/{projectId}/filings',
        '/api/projects/{projectId}/timeline',
        '/api/tasks',
        '/api/tasks/{userTaskKey}',
        '/api/tasks/{userTaskKey}/complete',
        '/api/ops/instances/{processInstanceKey}',
        '/api/ops/incidents/{incidentKey}/retry',
        '/api/ops/instances/{processInstanceKey}/variables',
        '/api/ops/campaigns/{planYear}',
        '/api/infrastructure-requests',
        '/api/coordination-requests',
        '/api/audit-requests',
      ]),
    );
  });
});

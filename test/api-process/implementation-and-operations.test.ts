// A project walked through /api from submission to implementation by every group in turn (PRO-2..PRO-4, PC-1,
// IM-3); change and delay filings refused before implementation and accepted during it (IM-8); the requests of
// Units and Audit (IM-6, IM-7, SV-3); and the operations view: an incident raised by a crafted variable, seen with
// its message, retried by an administrator once the cause is fixed; a cancelled lifecycle; the P-1 campaign board.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

type Item = Record<string, unknown>;

describe('implementation filings, requests and operations through /api on the real engine', () => {
  let s: Stack;
  const t: Record<string, string> = {};

  const inbox = async (who: string) => {
    const res = await s.api(t[who]!, 'GET', '/api/tasks');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Item[];
  };
  /** Waits for the task `elementId` of `project` (of any project: null) in `who`'s inbox. */
  const waitTask = async (who: string, elementId: string, project: string | null) => {
    const items = await until(
      () => inbox(who),
      (x) => x.some((i) => i.elementId === elementId && (project === null || i.projectId === project)),
    );
    const task = items.find(
      (i) => i.elementId === elementId && (project === null || i.projectId === project),
    );
    if (!task) {
      throw new Error(`${elementId} not in ${who}'s inbox: ${items.map((i) => i.elementId).join(', ')}`);
    }
    return task;
  };
  const complete = async (who: string, projectId: string, elementId: string, variables: Item) => {
    const task = await waitTask(who, elementId, projectId);
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${task.userTaskKey}/complete`, { variables });
    expect(res.statusCode, `${elementId}: ${res.body}`).toBe(200);
  };
  /** G-6: the 责任科室's approval of a filing its staff raised. */
  const SECTION_APPROVES = { sectionDecision: 'approve', sectionOpinion: '同意报送' };
  /** G-6: the Unit's 责任科室 approves what its staff submitted; only then does it reach the Bureau. */
  const signOff = (projectId: string) =>
    complete('gongan.section', projectId, 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送',
    });
  const file = (who: string, projectId: string, body: Item) =>
    s.api(t[who]!, 'POST', `/api/projects/${projectId}/filings`, body);

  /** The Unit's 专业类 draft (1,060,000 元: 监理 and testing required). */
  const draft = async () => {
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    return created.json().project.id as string;
  };
  /** A submitted project whose 初核 waits for the Bureau reviewer, and the key of its lifecycle. */
  const submitted = async (projectId?: string) => {
    const id = projectId ?? (await draft());
    const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
    expect(res.statusCode, res.body).toBe(201);
    await signOff(id);
    await waitTask('bureau.reviewer', 'Task_InitialCheck', id);
    return { projectId: id, lifecycleKey: res.json().processInstanceKey as string };
  };
  /** Every group's step up to the signed contract: the project is being implemented, 监理 to engage (IM-3). */
  const approveAndProcure = async (projectId: string, finance: () => Promise<void>) => {
    await complete('bureau.reviewer', projectId, 'Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '符合立项条件',
    });
    await complete('cost.reviewer', projectId, 'Task_CostReview', {
      costReviewPassed: true,
      reviewedAmount: 1_060_000,
      costReviewReport: '造价合理',
    });
    await complete('expert', projectId, 'Task_ExpertReview', {
      expertReviewPassed: true,
      expertReviewReport: '方案可行',
    });
    await finance();
    await complete('finance', projectId, 'Task_FinanceReview', {
      financeApproved: true,
      financeOpinion: '同意',
      preliminaryFundingAmount: 1_060_000,
    });
    await complete('bureau.admin', projectId, 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项' });
    await complete('gongan.staff', projectId, 'Task_SubmitFundingApplication', {
      fundingRequestAmount: 1_060_000,
      fundingApplicationNote: '申请市本级财政资金',
    });
    await complete('citygov', projectId, 'Task_CityGovernmentDecision', {
      cityGovernmentApproved: true,
      approvedFundingAmount: 1_060_000,
      cityGovernmentOpinion: '同意',
    });
    // PC-1: the Unit owns procurement of a 专业类 project.
    await complete('gongan.staff', projectId, 'Task_ConductProcurement', {
      procurementResult: 'success',
      procurementMethod: 'public-tender',
      procurementNoticeNumber: 'YFCG-2027-001',
      purchaserName: '云浮市公安局',
      supplierName: '云浮智慧科技有限公司',
      supplierCreditCode: '91445300MA4W000000',
      contractNumber: 'HT-2027-001',
      contractAmount: 1_050_000,
      contractSignedDate: '2027-01-15', // a date field (subtype date): form-js sends YYYY-MM-DD
      deliveryDate: '2027-06-30T18:00+08:00',
    });
    return waitTask('gongan.staff', 'Task_EngageSupervisor', projectId);
  };
  /** A project being implemented, and the key of its lifecycle. */
  const implementing = async () => {
    const project = await submitted();
    await approveAndProcure(project.projectId, async () => {});
    return project;
  };

  /** Moves the clock; sessions last 8 hours, so everybody signs in again. */
  const moveClock = async (iso: string) => {
    await s.setClock(iso);
    for (const name of Object.keys(t)) {
      const [tenant, user] = name.includes('/') ? name.split('/') : ['yunfu', name];
      t[name] = await s.login(user!, tenant);
    }
  };

  beforeAll(async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [
      'gongan.staff',
      'gongan.section',
      'jiaoyu.staff',
      'jiaoyu.section',
      'bureau.reviewer',
      'bureau.admin',
      'cost.reviewer',
      'expert',
      'finance',
      'citygov',
      'audit',
    ])
      t[name] = await s.login(name);
    t['xinxing/bureau.admin'] = await s.login('bureau.admin', 'xinxing');
  });
  afterAll(async () => {
    await s?.close();
  });
  // Every state change was audited and nothing failed unexpectedly (the logs say so), checked after each test.
  afterEach(() => {
    expect(s.logs.filter((l) => l.includes('without an audit entry'))).toEqual([]);
    expect(s.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
  });

  it('IM-8: no filing for a draft, nor for a project still in initiation', async () => {
    const projectId = await draft();
    const refused = await file('gongan.staff', projectId, {
      kind: 'change',
      changeDescription: '增加模块',
      changeReason: '需求变化',
    });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as Problem).detail).toContain('草稿');

    await submitted(projectId);

    const early = await file('gongan.staff', projectId, {
      kind: 'delay',
      delayReason: '设备到货延迟',
      requestedDeliveryDate: '2027-09-30T18:00:00+08:00',
    });
    expect(early.statusCode).toBe(409);
    expect((early.json() as Problem).detail).toContain('不在实施阶段');
    // The refused filing left no audit entry.
    const log = await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`);
    expect((log.json() as Array<{ action: string }>).some((e) => e.action.endsWith('-filing'))).toBe(false);
  });

  it('every group completes its step in turn until the project is being implemented', async () => {
    const { projectId } = await submitted();
    const engage = await approveAndProcure(projectId, async () => {
      // The hidden field (preliminaryFundingAmount shows only when approved) is required once it shows.
      const finance = await waitTask('finance', 'Task_FinanceReview', projectId);
      const incomplete = await s.api(t.finance!, 'POST', `/api/tasks/${finance.userTaskKey}/complete`, {
        variables: { financeApproved: true, financeOpinion: '同意' },
      });
      expect(incomplete.statusCode).toBe(400);
      expect((incomplete.json() as Problem).errors?.map((e) => e.field)).toEqual([
        'variables.preliminaryFundingAmount',
      ]);
    });
    // IM-3: 1,060,000 元 ≥ 1,000,000 元 — a supervisor must be engaged.
    expect(engage.processDefinitionId).toBe('project-implementation');
  });

  it('IM-8: during implementation a change and a delay filing reach the Bureau; bad ones are refused', async () => {
    const { projectId } = await implementing();
    const missing = await file('gongan.staff', projectId, {
      kind: 'change',
      changeDescription: '增加移动端',
    });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as Problem).errors?.map((e) => e.field)).toEqual(['changeReason']);
    // Another Unit does not see the project; the reviewer may see it but files nothing for the Unit.
    expect(
      (await file('jiaoyu.staff', projectId, { kind: 'termination', terminationReason: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await file('bureau.reviewer', projectId, { kind: 'termination', terminationReason: 'x' })).statusCode,
    ).toBe(403);

    const change = await file('gongan.staff', projectId, {
      kind: 'change',
      changeDescription: '增加移动端警务应用',
      changeReason: '公安部新要求',
    });
    expect(change.statusCode, change.body).toBe(202);
    await complete('gongan.section', projectId, 'Task_SectionReviewChangeFiling', SECTION_APPROVES);
    const register = await waitTask('bureau.reviewer', 'Task_RegisterChangeFiling', projectId);
    const detail = (await s.api(t['bureau.reviewer']!, 'GET', `/api/tasks/${register.userTaskKey}`)).json();
    expect(detail.variables).toMatchObject({
      changeDescription: '增加移动端警务应用',
      changeReason: '公安部新要求',
    });

    const delay = await file('gongan.staff', projectId, {
      kind: 'delay',
      delayReason: '设备到货延迟',
      requestedDeliveryDate: '2027-09-30T18:00:00+08:00',
    });
    expect(delay.statusCode, delay.body).toBe(202);
    await complete('gongan.section', projectId, 'Task_SectionReviewDelayFiling', SECTION_APPROVES);
    await waitTask('bureau.reviewer', 'Task_RegisterDelayFiling', projectId);

    const log = (await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json() as Array<{
      action: string;
    }>;
    expect(log.map((e) => e.action)).toEqual(
      expect.arrayContaining(['project.change-filing', 'project.delay-filing']),
    );
  });

  it('the operations view shows the lifecycle with its active call and the diagram; only administrators', async () => {
    const { projectId, lifecycleKey } = await implementing();
    expect((await s.api(t['bureau.reviewer']!, 'GET', '/api/ops/instances')).statusCode).toBe(403);
    const list = await s.api(
      t['bureau.admin']!,
      'GET',
      `/api/ops/instances?processId=project-lifecycle&state=ACTIVE`,
    );
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json().items as Item[]).map((i) => i.processInstanceKey)).toContain(lifecycleKey);
    const detail = await s.api(t['bureau.admin']!, 'GET', `/api/ops/instances/${lifecycleKey}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const body = detail.json();
    expect(body.instance).toMatchObject({ processDefinitionId: 'project-lifecycle', projectId });
    expect(body.bpmnXml).toContain('id="project-lifecycle"');
    expect(body.activeElementIds).toContain('Call_Implementation');
    expect(body.completedElementIds).toEqual(
      expect.arrayContaining(['Call_ProfessionalInitiation', 'Call_Procurement']),
    );
    expect(body.calledInstances.map((c: Item) => c.processDefinitionId)).toEqual(
      expect.arrayContaining([
        'professional-project-initiation',
        'project-procurement',
        'project-implementation',
      ]),
    );
    // Another tenant's administrator: the instance does not exist.
    expect(
      (await s.api(t['xinxing/bureau.admin']!, 'GET', `/api/ops/instances/${lifecycleKey}`)).statusCode,
    ).toBe(404);
    expect(
      (
        (
          await s.api(t['xinxing/bureau.admin']!, 'GET', '/api/ops/instances?processId=project-lifecycle')
        ).json().items as Item[]
      ).length,
    ).toBe(0);
  });

  /** The project Audit asked materials of (SV-3), reviewed in the next test. */
  let audited = '';
  it('IM-6, IM-7, SV-3: requests of a Unit and of Audit start their processes', async () => {
    const { projectId } = await implementing();
    audited = projectId;
    const infra = await s.api(t['gongan.staff']!, 'POST', '/api/infrastructure-requests', {
      requestedService: '政务云主机',
      requestedSpecification: '8 核 32G × 4 台',
    });
    expect(infra.statusCode, infra.body).toBe(201);
    const allocation = await waitTask('bureau.admin', 'Task_ReviewInfrastructureRequest', null);
    expect(allocation.unitName).toBe('云浮市公安局');

    const coordination = await s.api(t['gongan.staff']!, 'POST', '/api/coordination-requests', {
      coordinationSubject: '跨部门数据共享',
      coordinationDescription: '需协调人社局开放接口',
      projectId,
    });
    expect(coordination.statusCode, coordination.body).toBe(201);
    expect(
      (
        await s.api(t['jiaoyu.staff']!, 'POST', '/api/coordination-requests', {
          coordinationSubject: 'x',
          coordinationDescription: 'y',
          projectId,
        })
      ).statusCode,
    ).toBe(404);

    expect(
      (
        await s.api(t['gongan.staff']!, 'POST', '/api/audit-requests', {
          projectId,
          requestedMaterials: '合同',
        })
      ).statusCode,
    ).toBe(403);
    const audit = await s.api(t.audit!, 'POST', '/api/audit-requests', {
      projectId,
      requestedMaterials: '采购合同、验收报告、资金支付凭证',
    });
    expect(audit.statusCode, audit.body).toBe(201);
    const provide = await waitTask('gongan.staff', 'Task_ProvideAuditMaterials', projectId);
    expect(provide.processDefinitionId).toBe('audit-request');
  });

  it('SV-3, G-8: Audit cannot provide the Unit’s materials, and closes the review it asked for itself', async () => {
    const provide = await waitTask('gongan.staff', 'Task_ProvideAuditMaterials', audited);
    const materials = {
      auditMaterialsList: '采购合同、验收报告、资金支付凭证',
      electronicDataDescription: '合同与凭证扫描件，系统日志导出',
      auditMaterialsConfirmed: true,
    };
    for (const action of ['claim', 'complete']) {
      const refused = await s.api(t.audit!, 'POST', `/api/tasks/${provide.userTaskKey}/${action}`, {
        variables: materials,
      });
      expect(refused.statusCode, refused.body).toBe(403);
      expect((refused.json() as Problem).detail).toContain('G-8');
    }
    const provided = await s.api(t['gongan.staff']!, 'POST', `/api/tasks/${provide.userTaskKey}/complete`, {
      variables: materials,
    });
    expect(provided.statusCode, provided.body).toBe(200);

    const review = await waitTask('audit', 'Task_ReviewAuditMaterials', audited);
    expect(review.candidateGroups).toEqual(['audit']);
    const claimed = await s.api(t.audit!, 'POST', `/api/tasks/${review.userTaskKey}/claim`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    // Still nothing else: the task's planning is not Audit's to change.
    const planned = await s.api(t.audit!, 'PATCH', `/api/tasks/${review.userTaskKey}`, { priority: 90 });
    expect(planned.statusCode, planned.body).toBe(403);
    const closed = await s.api(t.audit!, 'POST', `/api/tasks/${review.userTaskKey}/complete`, {
      variables: { auditReviewDecision: 'close', auditConclusion: '资料齐全，审计办结。' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const history = (await s.api(t.audit!, 'GET', `/api/tasks/${review.userTaskKey}`)).json();
    expect(history.task.state).toBe('COMPLETED');
  });

  it('an incident (a mixed-category project crafted behind the API) is seen with its message and retried once fixed', async () => {
    const mixed = professionalDraft().serviceLines.concat([
      { serviceType: 'infrastructure', subType: 'government-cloud', amount: 5 } as never,
    ]);
    // Behind the API's back: the API refuses a mixed project at the draft (G-5/G-6), an integration might not.
    const started = await s.client.createProcessInstance({
      processDefinitionId: 'professional-project-initiation',
      variables: {
        ...professionalDraft(),
        projectId: 'YF-2026-9100',
        projectName: '混合类项目',
        tenantId: 'yunfu',
        unitId: 'gongan',
        unitName: '云浮市公安局',
        serviceLines: mixed,
      },
    });
    const key = String(started.processInstanceKey);
    const list = await until(
      async () =>
        (await s.api(t['bureau.admin']!, 'GET', '/api/ops/instances?hasIncident=true')).json()
          .items as Item[],
      (x) => x.some((i) => i.processInstanceKey === key),
    );
    expect(list.find((i) => i.processInstanceKey === key)?.projectId).toBe('YF-2026-9100');
    const detail = (await s.api(t['bureau.admin']!, 'GET', `/api/ops/instances/${key}`)).json();
    expect(detail.incidentElementIds).toEqual(['Task_ClassifyProject']);
    const [incident] = detail.incidents as Array<{
      incidentKey: string;
      errorMessage: string;
      errorType: string;
    }>;
    expect(incident?.errorType).toBe('JOB_NO_RETRIES');
    expect(incident?.errorMessage).toContain('同时包含公共类与专业类服务');

    expect(
      (await s.api(t['bureau.reviewer']!, 'POST', `/api/ops/incidents/${incident!.incidentKey}/retry`))
        .statusCode,
    ).toBe(403);
    expect(
      (await s.api(t['xinxing/bureau.admin']!, 'POST', `/api/ops/incidents/${incident!.incidentKey}/retry`))
        .statusCode,
    ).toBe(404);

    // The administrator fixes the cause in the data (Operate's "edit variable") — not the tenant or project ids.
    const identity = await s.api(t['bureau.admin']!, 'PUT', `/api/ops/instances/${key}/variables`, {
      variables: { projectId: 'YF-2026-0001' },
    });
    expect(identity.statusCode).toBe(400);
    expect(identity.json().errors).toEqual([
      { field: 'variables.projectId', reason: '项目标识是决定或金额，运维不能修改（IM-9、SV-4）' },
    ]);
    expect(
      (
        await s.api(t['bureau.reviewer']!, 'PUT', `/api/ops/instances/${key}/variables`, {
          variables: { serviceLines: professionalDraft().serviceLines },
        })
      ).statusCode,
    ).toBe(403);
    const fixed = await s.api(t['bureau.admin']!, 'PUT', `/api/ops/instances/${key}/variables`, {
      variables: { serviceLines: professionalDraft().serviceLines },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const retry = await s.api(
      t['bureau.admin']!,
      'POST',
      `/api/ops/incidents/${incident!.incidentKey}/retry`,
    );
    expect(retry.statusCode, retry.body).toBe(200);
    // Classification now passes and 初核 is waiting for the Bureau.
    const task = await waitTask('bureau.reviewer', 'Task_InitialCheck', 'YF-2026-9100');
    expect(task.processInstanceKey).toBe(key);
    const after = (await s.api(t['bureau.admin']!, 'GET', `/api/ops/instances/${key}`)).json();
    expect(after.instance.hasIncident).toBe(false);
    expect(after.incidentElementIds).toEqual([]);
    // A second retry of a resolved incident is refused.
    expect(
      (await s.api(t['bureau.admin']!, 'POST', `/api/ops/incidents/${incident!.incidentKey}/retry`))
        .statusCode,
    ).toBe(409);
  });

  // IM-9: a project ends by termination filed with the Bureau and Finance, not by an administrator's cancel. Before
  // implementation there is no contract to terminate: the request is refused and the lifecycle runs on (the
  // implementation-stage path is in test/api-process/amounts-and-operations.test.ts).
  it('an administrator cannot cancel a lifecycle: without a reason 400, before implementation 409', async () => {
    const other = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: '待取消项目' }),
    );
    const otherId = other.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${otherId}/submit`);
    const key = submitted.json().processInstanceKey as string;
    const bare = await s.api(t['bureau.admin']!, 'POST', `/api/ops/instances/${key}/cancel`);
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const cancel = await s.api(t['bureau.admin']!, 'POST', `/api/ops/instances/${key}/cancel`, {
      reason: '单位撤回申请',
    });
    expect(cancel.statusCode, cancel.body).toBe(409);
    expect(cancel.json().detail).toContain('IM-9');
    expect((await s.api(t['gongan.staff']!, 'GET', `/api/projects/${otherId}`)).json().stage).not.toBe(
      'terminated',
    );
    const instance = await s.client.getProcessInstance(
      { processInstanceKey: key },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(instance.state).toBe('ACTIVE');
  });

  it('P-1: the campaign board shows who filed on time, late or not yet', async () => {
    const plan = await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '规划',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const before = (await s.api(t['bureau.admin']!, 'GET', '/api/ops/campaigns/2027')).json();
    const status = (b: { units: Array<{ unitId: string; status: string }> }) =>
      Object.fromEntries(b.units.map((u) => [u.unitId, u.status]));
    expect(status(before)).toEqual({ gongan: 'on-time', jiaoyu: 'pending', weijian: 'pending' });
    expect(before.deadlinePassed).toBe(false);

    await moveClock('2026-12-02T02:00:00Z');
    const late = await s.api(t['jiaoyu.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '规划',
    });
    expect(late.statusCode, late.body).toBe(201);
    const after = (await s.api(t['bureau.admin']!, 'GET', '/api/ops/campaigns/2027')).json();
    expect(status(after)).toEqual({ gongan: 'on-time', jiaoyu: 'late', weijian: 'overdue' });
    expect(after.summary).toMatchObject({ units: 3, onTime: 1, late: 1, overdue: 1, pending: 0 });
    expect((await s.api(t['gongan.staff']!, 'GET', '/api/ops/campaigns/2027')).statusCode).toBe(403);
    // The county sees only its own Unit.
    const county = (await s.api(t['xinxing/bureau.admin']!, 'GET', '/api/ops/campaigns/2027')).json();
    expect(county.units.map((u: Item) => u.unitId)).toEqual(['gongan']);
  });

  it('the due-date countdown turns into overdue when the clock passes it; a 2027 due date is provisional', async () => {
    // A project submitted in the last days of November 2026: its 初核 is due in the first days of December.
    const { projectId } = await submitted();
    // Tuesday 5 January 2027: that 初核 is past its due date (its overdue timer fired).
    await moveClock('2027-01-05T02:00:00Z');
    const initial = (await inbox('bureau.reviewer')).find((i) => i.projectId === projectId)!;
    expect(initial.overdue).toBe(true);
    expect(initial.workingDaysLeft as number).toBeLessThan(0);
    expect(initial.dueDateProvisional).toBe(false);
    // A project submitted now is due in 2027, whose official holiday schedule is not in the calendar yet.
    const next = await s.api(
      t['gongan.staff']!,
      'POST',
      '/api/projects',
      professionalDraft({ projectName: '新项目' }),
    );
    const nextId = next.json().project.id as string;
    expect((await s.api(t['gongan.staff']!, 'POST', `/api/projects/${nextId}/submit`)).statusCode).toBe(201);
    await signOff(nextId);
    const fresh = await waitTask('bureau.reviewer', 'Task_InitialCheck', nextId);
    expect(fresh).toMatchObject({ overdue: false, workingDaysLeft: 5, dueDateProvisional: true });
  });
});

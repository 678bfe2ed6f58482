// Issue #15 §2: the variables panel per scope with edit, and the incidents grouped by error type with "retry all of
// this kind" — as the Bureau's administrator (bureau.admin) through /api with the bodies the operations page sends,
// against the real embedded engine and workers. The application-check system is down, so each submitted project's
// initiation stops on a job incident (no retries left); once it is back, one "retry all" sets the jobs' retries and
// resolves the incidents, as Operate does, and the projects reach the Bureau's initial check. Protected variables
// (identity, amounts, decisions: IM-9, SV-4) are neither shown nor editable. Every change is audited with its reason.
// Camunda 8.8: variables by scopeKey (search variables), set variables on an element instance
// (PUT /element-instances/{key}/variables), job retries (PATCH /jobs/{key}) then resolve incident:
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-element-instance-variables/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/resolve-incident/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyWorkerDefinition, fail } from '../../src/camunda/worker-runtime.ts';
import { checkApplicationWorker } from '../../workers/check-application.ts';
import {
  type Problem,
  professionalDraft,
  type Stack,
  sectionApproves,
  startStack,
  until,
} from '../api-process/stack.ts';

type Scope = {
  scopeKey: string;
  elementId: string;
  state: string;
  variables: Array<{ name: string; value: unknown }>;
  protectedNames: string[];
};

describe('operations: variables per scope and incidents by error type (issue #15 §2)', () => {
  let s: Stack;
  let admin: string;
  let auditor: string;
  let outage = true;
  const projects: string[] = [];
  let stuck: string; // one initiation instance stopped on its incident

  const scopes = async (key: string) =>
    ((await s.api(admin, 'GET', `/api/ops/instances/${key}/scopes`)).json() as { scopes: Scope[] }).scopes;
  const audits = async (q: string) =>
    (await s.api(auditor, 'GET', `/api/audit-log?${q}`)).json() as Array<{
      action: string;
      entityId: string;
      payload: Record<string, unknown>;
    }>;

  beforeAll(async () => {
    const flaky: AnyWorkerDefinition = {
      ...checkApplicationWorker,
      handler: (vars, job) =>
        outage ? fail('材料检查服务不可用（连接被拒绝）', 0) : checkApplicationWorker.handler(vars, job),
    };
    s = await startStack({ at: '2026-11-27T02:00:00Z', workerOverrides: [flaky] });
    admin = await s.login('bureau.admin');
    auditor = await s.login('audit');
    const unit = await s.login('gongan.staff');
    const section = await s.login('gongan.section');
    for (const name of ['故障分组甲', '故障分组乙']) {
      const id = (await s.api(unit, 'POST', '/api/projects', professionalDraft({ projectName: name }))).json()
        .project.id as string;
      expect((await s.api(unit, 'POST', `/api/projects/${id}/submit`)).statusCode).toBe(201);
      // G-6: the Unit's 责任科室 sends the application on to the Bureau
      await sectionApproves(s, section, id);
      projects.push(id);
    }
    const page = await until(
      async () => (await s.api(admin, 'GET', '/api/ops/instances?state=INCIDENT')).json(),
      (p: { total: number; items: unknown[] }) => p.total === 2,
    );
    stuck = (page.items as Array<{ processInstanceKey: string; projectId: string }>).find(
      (i) => i.projectId === projects[0],
    )!.processInstanceKey;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows each scope’s variables, protected ones by name only', async () => {
    const all = await scopes(stuck);
    const root = all.find((x) => x.scopeKey === stuck)!;
    expect(root.variables.find((v) => v.name === 'projectName')?.value).toBe('故障分组甲');
    const names = root.variables.map((v) => v.name);
    for (const guarded of ['projectId', 'tenantId', 'totalInvestment', 'softwareDevCost']) {
      expect(names).not.toContain(guarded);
      expect(root.protectedNames).toContain(guarded);
    }
    expect(all.some((x) => x.elementId === 'Task_CheckApplication' && x.state === 'ACTIVE')).toBe(true);
  });

  it('edits a scope’s variable with a reason; the audit entry keeps it', async () => {
    const task = (await scopes(stuck)).find((x) => x.elementId === 'Task_CheckApplication')!;
    const res = await s.api(admin, 'PUT', `/api/ops/instances/${stuck}/scopes/${task.scopeKey}/variables`, {
      variables: { checkNote: '材料已补正' },
      reason: '材料检查服务恢复前补记说明',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ scopeKey: task.scopeKey, names: ['checkNote'] });
    const after = (await scopes(stuck)).find((x) => x.scopeKey === task.scopeKey)!;
    expect(after.variables).toContainEqual({ name: 'checkNote', value: '材料已补正' });
    const entries = await audits(`action=process-instance.variables&entityId=${stuck}`);
    expect(entries.at(-1)?.payload).toMatchObject({
      scopeKey: task.scopeKey,
      reason: '材料检查服务恢复前补记说明',
      variables: { checkNote: '材料已补正' },
    });
  });

  it('refuses a protected variable (422 naming it), a missing reason (400) and a scope of another instance (404)', async () => {
    const url = `/api/ops/instances/${stuck}/scopes/${stuck}/variables`;
    const guarded = await s.api(admin, 'PUT', url, { variables: { totalInvestment: 1 }, reason: '改金额' });
    expect(guarded.statusCode).toBe(422);
    expect((guarded.json() as Problem).errors?.[0]?.field).toBe('variables.totalInvestment');
    const noReason = await s.api(admin, 'PUT', url, { variables: { checkNote: 'x' } });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify((noReason.json() as Problem).errors)).toContain('reason');
    const blank = await s.api(admin, 'PUT', url, { variables: { checkNote: 'x' }, reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const other = await s.api(admin, 'PUT', `/api/ops/instances/${stuck}/scopes/1/variables`, {
      variables: { checkNote: 'x' },
      reason: '测试',
    });
    expect(other.statusCode).toBe(404);
    const root = (await scopes(stuck)).find((x) => x.scopeKey === stuck)!;
    expect(root.variables.map((v) => v.name)).not.toContain('totalInvestment');
  });

  it('groups the incidents by error type', async () => {
    const res = await s.api(admin, 'GET', '/api/ops/incident-groups');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 2,
      groups: [
        {
          errorType: 'JOB_NO_RETRIES',
          count: 2,
          instances: 2,
          elementIds: ['Task_CheckApplication'],
          sampleMessage: '材料检查服务不可用（连接被拒绝）',
        },
      ],
    });
  });

  it('is for the administrators only, and refuses a cross-site retry', async () => {
    const unit = await s.login('gongan.staff');
    expect((await s.api(unit, 'GET', '/api/ops/incident-groups')).statusCode).toBe(403);
    expect((await s.api(unit, 'GET', `/api/ops/instances/${stuck}/scopes`)).statusCode).toBe(403);
    const body = { errorType: 'JOB_NO_RETRIES', reason: '跨站' };
    expect((await s.api(unit, 'POST', '/api/ops/incident-groups/retry', body)).statusCode).toBe(403);
    const cross = await s.app.inject({
      method: 'POST',
      url: '/api/ops/incident-groups/retry',
      headers: {
        authorization: `Bearer ${admin}`,
        origin: 'http://127.0.0.1:9999',
        'sec-fetch-site': 'same-site',
      },
      payload: body,
    });
    expect(cross.statusCode).toBe(403);
    expect((await s.api(admin, 'GET', '/api/ops/incident-groups')).json().total).toBe(2);
    const edit = { variables: { planSummary: '跨站改写' }, reason: '跨站' };
    const url = `/api/ops/instances/${stuck}/scopes/${stuck}/variables`;
    expect((await s.api(unit, 'PUT', url, edit)).statusCode).toBe(403);
    const crossEdit = await s.app.inject({
      method: 'PUT',
      url,
      headers: {
        authorization: `Bearer ${admin}`,
        origin: 'http://127.0.0.1:9999',
        'sec-fetch-site': 'same-site',
      },
      payload: edit,
    });
    expect(crossEdit.statusCode).toBe(403);
    const root = (await scopes(stuck)).find((x) => x.scopeKey === stuck)!;
    expect(root.variables.find((v) => v.name === 'planSummary')?.value).toBe('警务数据汇聚、分析与指挥调度');
  });

  it('retries all incidents of the kind with a reason: the jobs run again and the projects move on', async () => {
    const noReason = await s.api(admin, 'POST', '/api/ops/incident-groups/retry', {
      errorType: 'JOB_NO_RETRIES',
    });
    expect(noReason.statusCode).toBe(400);
    outage = false;
    const res = await s.api(admin, 'POST', '/api/ops/incident-groups/retry', {
      errorType: 'JOB_NO_RETRIES',
      reason: '材料检查服务已恢复',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ errorType: 'JOB_NO_RETRIES', total: 2, retried: 2, failed: [] });
    const reviewer = await s.login('bureau.reviewer');
    for (const id of projects) {
      const inbox = await until(
        async () => (await s.api(reviewer, 'GET', `/api/tasks?projectId=${id}`)).json().items as unknown[],
        (items) => items.length > 0,
      );
      expect((inbox[0] as { elementId: string }).elementId).toBe('Task_InitialCheck');
      const entries = await audits(`projectId=${id}&action=incident.retry`);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.payload).toMatchObject({
        reason: '材料检查服务已恢复',
        errorType: 'JOB_NO_RETRIES',
      });
    }
    const group = await audits('action=incident.retry-group');
    expect(group.at(-1)?.payload).toMatchObject({ reason: '材料检查服务已恢复', total: 2, retried: 2 });
    expect((await s.api(admin, 'GET', '/api/ops/incident-groups')).json()).toEqual({ total: 0, groups: [] });
    const again = await s.api(admin, 'POST', '/api/ops/incident-groups/retry', {
      errorType: 'JOB_NO_RETRIES',
      reason: '再试',
    });
    expect(again.statusCode).toBe(404);
  });
});

// Issue #15 §2: batch cancel / batch retry on the list's current filter, as the Bureau's administrator
// (bureau.admin) through /api with what the operations page sends: the confirmation's count (a changed filter
// result is refused, 409), a reason, then the progress (done / failed / pending) and each instance's result, each
// instance audited with the reason. A batch is recorded with its instances before the engine is asked anything; a
// crash leaves pending instances that a resume works through again without acting twice. A project's lifecycle is
// never cancelled in a batch (IM-9: only through its termination filing). Real engine, workers and store.
// Camunda 8.8 cancel process instance, update job retries + resolve incident:
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/resolve-incident/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyWorkerDefinition, fail } from '../../src/camunda/worker-runtime.ts';
import { recordOpsBatch } from '../../src/store/ops-batches.ts';
import { checkApplicationWorker } from '../../workers/check-application.ts';
import {
  type Problem,
  professionalDraft,
  type Stack,
  sectionApproves,
  startStack,
  until,
} from '../api-process/stack.ts';

type Batch = {
  id: string;
  state: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  items?: Array<{ processInstanceKey: string; state: string; detail: string | null }>;
};

describe('operations: batch cancel and retry on the current filter (issue #15 §2)', () => {
  let s: Stack;
  let admin: string;
  let auditor: string;
  let outage = true;
  const infra = { processId: 'infrastructure-service-request' };
  const projects: string[] = [];

  const total = async (q: string) =>
    (await s.api(admin, 'GET', `/api/ops/instances?${q}`)).json().total as number;
  const preview = async (q: string) => {
    const res = await s.api(admin, 'GET', `/api/ops/batches/preview?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().count as number;
  };
  const finished = (id: string) =>
    until(
      async () => (await s.api(admin, 'GET', `/api/ops/batches/${id}`)).json() as Batch,
      (b) => b.pending === 0,
    );
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
    for (let i = 1; i <= 3; i++) {
      const res = await s.api(unit, 'POST', '/api/infrastructure-requests', {
        requestedService: `政务云主机 ${i}`,
        requestedSpecification: '8 核 32G',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const name of ['批量操作甲', '批量操作乙']) {
      const id = (await s.api(unit, 'POST', '/api/projects', professionalDraft({ projectName: name }))).json()
        .project.id as string;
      expect((await s.api(unit, 'POST', `/api/projects/${id}/submit`)).statusCode).toBe(201);
      // G-6: the Unit's 责任科室 sends the application on to the Bureau
      await sectionApproves(s, section, id);
      projects.push(id);
    }
    await until(
      () => total('state=INCIDENT'),
      (n) => n === 2,
    );
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('refuses what is not confirmed, without a reason, on ended instances, from a non-administrator or cross-site', async () => {
    expect(await preview('operation=cancel&processId=infrastructure-service-request')).toBe(3);
    const stale = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'cancel',
      filter: infra,
      reason: '测试',
      expectedCount: 2,
    });
    expect(stale.statusCode).toBe(409);
    expect((stale.json() as Problem).errors?.[0]?.field).toBe('expectedCount');
    const noReason = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'cancel',
      filter: infra,
      expectedCount: 3,
    });
    expect(noReason.statusCode).toBe(400);
    const ended = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'cancel',
      filter: { ...infra, state: 'COMPLETED' },
      reason: '测试',
      expectedCount: 3,
    });
    expect(ended.statusCode).toBe(400);
    expect((ended.json() as Problem).errors?.[0]?.field).toBe('filter.state');
    const body = { operation: 'cancel', filter: infra, reason: '测试', expectedCount: 3 };
    const unit = await s.login('gongan.staff');
    expect((await s.api(unit, 'POST', '/api/ops/batches', body)).statusCode).toBe(403);
    expect((await s.api(unit, 'GET', '/api/ops/batches')).statusCode).toBe(403);
    const cross = await s.app.inject({
      method: 'POST',
      url: '/api/ops/batches',
      headers: {
        authorization: `Bearer ${admin}`,
        origin: 'http://127.0.0.1:9999',
        'sec-fetch-site': 'same-site',
      },
      payload: body,
    });
    expect(cross.statusCode).toBe(403);
    expect((await s.api(admin, 'GET', '/api/ops/batches')).json()).toEqual([]);
    expect(await total('processId=infrastructure-service-request&state=ACTIVE')).toBe(3);
  });

  it('cancels every instance of the filter, with progress and an audit entry per instance naming the reason', async () => {
    const res = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'cancel',
      filter: infra,
      reason: '申请重复提交，统一撤销',
      expectedCount: 3,
    });
    expect(res.statusCode, res.body).toBe(202);
    const batch = await finished((res.json() as Batch).id);
    expect(batch).toMatchObject({ state: 'completed', total: 3, done: 3, failed: 0, pending: 0 });
    expect(await total('processId=infrastructure-service-request&state=TERMINATED&endFrom=2026-11-27')).toBe(
      3,
    );
    const entries = await audits('action=process-instance.cancel');
    expect(entries.filter((e) => e.payload.batchId === batch.id)).toHaveLength(3);
    for (const e of entries)
      expect(e.payload).toMatchObject({ reason: '申请重复提交，统一撤销', outcome: 'done' });
    expect((await audits('action=ops-batch.create'))[0]?.payload).toMatchObject({
      count: 3,
      operation: 'cancel',
    });
  });

  it('does not cancel a project’s lifecycle: the instance fails with the IM-9 reason and stays running', async () => {
    const filter = { processId: 'project-lifecycle' };
    expect(await preview('operation=cancel&processId=project-lifecycle')).toBe(2);
    const res = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'cancel',
      filter,
      reason: '清理',
      expectedCount: 2,
    });
    const batch = await finished((res.json() as Batch).id);
    expect(batch).toMatchObject({ total: 2, done: 0, failed: 2 });
    expect(batch.items?.[0]?.detail).toContain('IM-9');
    expect(await total('processId=project-lifecycle&state=ACTIVE')).toBe(2);
    const refused = (await audits('action=ops-batch.item-failed')).filter(
      (e) => e.payload.batchId === batch.id,
    );
    expect(refused).toHaveLength(2);
    for (const e of refused) expect(e.payload).toMatchObject({ reason: '清理', outcome: 'failed' });
    expect(
      (await audits('action=process-instance.cancel')).filter((e) => e.payload.batchId === batch.id),
    ).toEqual([]);
  });

  it('retries every instance with an incident once the outage is over: the projects move on', async () => {
    expect(await preview('operation=retry')).toBe(2);
    outage = false;
    const res = await s.api(admin, 'POST', '/api/ops/batches', {
      operation: 'retry',
      filter: {},
      reason: '材料检查服务已恢复',
      expectedCount: 2,
    });
    expect(res.statusCode, res.body).toBe(202);
    const batch = await finished((res.json() as Batch).id);
    expect(batch).toMatchObject({ total: 2, done: 2, failed: 0 });
    const reviewer = await s.login('bureau.reviewer');
    for (const id of projects) {
      await until(
        async () => (await s.api(reviewer, 'GET', `/api/tasks?projectId=${id}`)).json().items as unknown[],
        (items) => items.length > 0,
      );
      const retried = await audits(`projectId=${id}&action=process-instance.retry`);
      expect(retried[0]?.payload).toMatchObject({ reason: '材料检查服务已恢复', batchId: batch.id });
      expect(retried[0]?.payload.incidentKeys).toHaveLength(1);
    }
    expect(await total('state=INCIDENT')).toBe(0);
  });

  it('resumes a batch a crash interrupted, acting only where still needed', async () => {
    // The crash point, recorded as createBatch records it: the batch and its instances are in the store, the
    // engine was asked nothing yet for one instance and had already cancelled the other before the process died.
    const unit = await s.login('gongan.staff');
    const keys: string[] = [];
    for (const i of [4, 5]) {
      const r = await s.api(unit, 'POST', '/api/infrastructure-requests', {
        requestedService: `政务云主机 ${i}`,
        requestedSpecification: '4 核 16G',
      });
      keys.push(r.json().processInstanceKey as string);
    }
    await s.client.cancelProcessInstance({ processInstanceKey: keys[0]! });
    const at = s.now().toISOString();
    const id = '00000000-0000-4000-8000-000000000011';
    await s.store.transaction((tx) =>
      recordOpsBatch(
        tx,
        {
          id,
          tenantId: 'yunfu',
          operation: 'cancel',
          filter: infra,
          reason: '中断后继续',
          accountId: 'x',
          createdAt: at,
          updatedAt: at,
        },
        keys,
      ),
    );
    const before = (await s.api(admin, 'GET', `/api/ops/batches/${id}`)).json() as Batch;
    expect(before).toMatchObject({ state: 'interrupted', total: 2, pending: 2 });
    const resumed = await s.api(admin, 'POST', `/api/ops/batches/${id}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(202);
    const after = await finished(id);
    expect(after).toMatchObject({ state: 'completed', done: 2, failed: 0 });
    expect(after.items?.find((i) => i.processInstanceKey === keys[0])?.detail).toContain('已结束');
    expect(after.items?.find((i) => i.processInstanceKey === keys[1])?.detail).toBeNull();
    expect(await total('processId=infrastructure-service-request&state=ACTIVE')).toBe(0);
    const again = await s.api(admin, 'POST', `/api/ops/batches/${id}/resume`);
    expect(again.statusCode).toBe(409);
    const entries = (await audits('action=process-instance.cancel')).filter((e) => e.payload.batchId === id);
    expect(entries.map((e) => e.entityId).sort()).toEqual([...keys].sort());
  });
});

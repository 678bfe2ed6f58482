// Issue #15 §2: the instance page's diagram data (counts per element, the path taken, the call hierarchy) and the
// two changes an administrator makes to a running instance, each previewed before it is done with a reason: moving
// a token (modification) and migrating to a newer version of the process. As the Bureau's administrator
// (bureau.admin) through /api with the bodies the operations page sends, on the real engine and workers; the process
// owner's new versions are deployed through the official client as Modeler deploys them.
// Camunda 8.8: https://docs.camunda.io/docs/components/concepts/process-instance-modification/
// https://docs.camunda.io/docs/components/concepts/process-instance-migration/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance-statistics/
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Problem,
  professionalDraft,
  type Stack,
  sectionApproves,
  startStack,
  until,
} from '../api-process/stack.ts';
import { bpmnFile } from '../conformance/fidelity.ts';

type Detail = {
  instance: { processDefinitionVersion: number; processDefinitionKey: string };
  activeElementIds: string[];
  elementStatistics: Array<{ elementId: string; active: number; completed: number }>;
  takenFlowIds: string[];
  movableElementIds: string[];
  callHierarchy: Array<{ processInstanceKey: string; processDefinitionName: string }>;
};

const INITIATION = readFileSync(
  new URL('../../processes/professional-project-initiation.bpmn', import.meta.url),
  'utf8',
);

describe('operations: move a token and migrate an instance, each previewed (issue #15 §2)', () => {
  let s: Stack;
  let admin: string;
  let reviewer: string;
  let auditor: string;
  let projectId: string;
  let key: string; // the project's initiation instance, waiting at the Bureau's initial check

  const detail = async () => (await s.api(admin, 'GET', `/api/ops/instances/${key}`)).json() as Detail;
  const initialCheckTasks = async () =>
    (
      (await s.api(reviewer, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Array<{
        elementId: string;
      }>
    ).filter((t) => t.elementId === 'Task_InitialCheck');

  beforeAll(async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    admin = await s.login('bureau.admin');
    reviewer = await s.login('bureau.reviewer');
    auditor = await s.login('audit');
    const unit = await s.login('gongan.staff');
    projectId = (
      await s.api(unit, 'POST', '/api/projects', professionalDraft({ projectName: '令牌迁移' }))
    ).json().project.id;
    expect((await s.api(unit, 'POST', `/api/projects/${projectId}/submit`)).statusCode).toBe(201);
    await sectionApproves(s, await s.login('gongan.section'), projectId);
    const page = await until(
      async () =>
        (
          await s.api(
            admin,
            'GET',
            `/api/ops/instances?processId=professional-project-initiation&elementId=Task_InitialCheck&projectId=${projectId}`,
          )
        ).json(),
      (p: { total: number; items: Array<{ processInstanceKey: string }> }) => p.total === 1,
    );
    key = page.items[0]?.processInstanceKey as string;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows the counts per element, the path taken and the call hierarchy for the diagram', async () => {
    const d = await detail();
    expect(d.elementStatistics.find((x) => x.elementId === 'Task_InitialCheck')).toMatchObject({ active: 1 });
    expect(
      d.elementStatistics.find((x) => x.elementId === 'Task_CheckApplication')?.completed,
    ).toBeGreaterThan(0);
    expect(d.takenFlowIds).toContain('Flow_ToInitialCheck');
    expect(d.takenFlowIds).not.toContain('Flow_ToCostReview');
    // where the page offers to move a token: steps and events inside the flow, no gateway or start event
    expect(d.movableElementIds).toEqual(
      expect.arrayContaining(['Task_InitialCheck', 'Task_CheckApplication']),
    );
    expect(d.movableElementIds.some((id) => id.startsWith('Gateway_'))).toBe(false);
    // the lifecycle called the initiation: root first, this instance last
    expect(d.callHierarchy).toHaveLength(2);
    expect(d.callHierarchy[1]?.processInstanceKey).toBe(key);
  });

  it('refuses, naming the field, a move that would skip a decision or leave the flow', async () => {
    const move = (body: object) =>
      s.api(admin, 'POST', `/api/ops/instances/${key}/modification/preview`, body);
    const skip = await move({ fromElementId: 'Task_InitialCheck', targetElementId: 'Task_FinanceReview' });
    expect(skip.statusCode).toBe(422);
    const p = skip.json() as Problem;
    expect(p.errors?.[0]?.field).toBe('targetElementId');
    expect(p.detail).toMatch(/跳过需要决定的步骤.*(造价|专家)/);
    expect((await move({ fromElementId: 'Task_InitialCheck', targetElementId: 'Nope' })).statusCode).toBe(
      422,
    );
    const idle = await move({ fromElementId: 'Task_CostReview', targetElementId: 'Task_InitialCheck' });
    expect(idle.statusCode).toBe(422);
    expect((idle.json() as Problem).errors?.[0]?.field).toBe('fromElementId');
    const bad = await move({ fromElementId: 'Task_InitialCheck' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('targetElementId');
    // doing it needs the reason the audit log keeps
    const noReason = await s.api(admin, 'POST', `/api/ops/instances/${key}/modification`, {
      fromElementId: 'Task_InitialCheck',
      targetElementId: 'Task_CheckApplication',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    // only the Bureau's administrators operate
    const asReviewer = await s.api(reviewer, 'POST', `/api/ops/instances/${key}/modification/preview`, {
      fromElementId: 'Task_InitialCheck',
      targetElementId: 'Task_CheckApplication',
    });
    expect(asReviewer.statusCode).toBe(403);
  });

  it('moves the token back to a step already done: previewed, done, audited, and the step runs again', async () => {
    const body = { fromElementId: 'Task_InitialCheck', targetElementId: 'Task_CheckApplication' };
    const preview = await s.api(admin, 'POST', `/api/ops/instances/${key}/modification/preview`, body);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      direction: 'back',
      activate: { elementId: 'Task_CheckApplication' },
    });
    expect(preview.json().terminate).toHaveLength(1);
    expect(await initialCheckTasks()).toHaveLength(1); // a preview changes nothing
    const done = await s.api(admin, 'POST', `/api/ops/instances/${key}/modification`, {
      ...body,
      reason: '材料检查服务当时数据有误，重新检查',
    });
    expect(done.statusCode, done.body).toBe(200);
    // the application check ran again and the instance is back at the initial check, with a new task
    const d = await until(
      detail,
      (x) =>
        (x.elementStatistics.find((e) => e.elementId === 'Task_CheckApplication')?.completed ?? 0) >= 2 &&
        x.activeElementIds.includes('Task_InitialCheck'),
    );
    expect(d.activeElementIds).toContain('Task_InitialCheck');
    expect(await until(initialCheckTasks, (t) => t.length === 1)).toHaveLength(1);
    const audit = (
      await s.api(auditor, 'GET', `/api/audit-log?action=process-instance.modify&entityId=${key}`)
    ).json();
    expect(audit[0]?.payload).toMatchObject({
      direction: 'back',
      reason: '材料检查服务当时数据有误，重新检查',
    });
  });

  it('migrates to a newer version with the same steps after a preview, and blocks one that lost the current step', async () => {
    const same = INITIATION.replace(
      '</bpmn:definitions>',
      '<!-- v2：流程负责人修订说明 -->\n</bpmn:definitions>',
    );
    const renamed = INITIATION.replaceAll('Task_InitialCheck"', 'Task_FirstCheck"');
    await s.client.createDeployment({ resources: [bpmnFile('professional-project-initiation.bpmn', same)] });
    await s.client.createDeployment({
      resources: [bpmnFile('professional-project-initiation.bpmn', renamed)],
    });
    const targets = (await s.api(admin, 'GET', `/api/ops/instances/${key}/migration/targets`)).json();
    expect(targets.current.version).toBe(1);
    expect(targets.versions.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    const [v3, v2] = targets.versions as [{ processDefinitionKey: string }, { processDefinitionKey: string }];

    const blocked = (
      await s.api(admin, 'POST', `/api/ops/instances/${key}/migration/preview`, {
        targetProcessDefinitionKey: v3.processDefinitionKey,
      })
    ).json();
    expect(blocked.allowed).toBe(false);
    expect(blocked.mappings).toContainEqual(
      expect.objectContaining({ sourceElementId: 'Task_InitialCheck', targetElementId: null }),
    );
    const refused = await s.api(admin, 'POST', `/api/ops/instances/${key}/migration`, {
      targetProcessDefinitionKey: v3.processDefinitionKey,
      reason: '试迁移',
    });
    expect(refused.statusCode).toBe(409);
    expect((await detail()).instance.processDefinitionVersion).toBe(1);

    const preview = (
      await s.api(admin, 'POST', `/api/ops/instances/${key}/migration/preview`, {
        targetProcessDefinitionKey: v2.processDefinitionKey,
      })
    ).json();
    expect(preview).toMatchObject({ allowed: true, to: { version: 2 } });
    const done = await s.api(admin, 'POST', `/api/ops/instances/${key}/migration`, {
      targetProcessDefinitionKey: v2.processDefinitionKey,
      reason: '按新版流程继续办理',
    });
    expect(done.statusCode, done.body).toBe(200);
    const after = await detail();
    expect(after.instance.processDefinitionVersion).toBe(2);
    expect(after.activeElementIds).toContain('Task_InitialCheck');
    // the reviewer's task survived the migration and can still be done
    expect(await initialCheckTasks()).toHaveLength(1);
    const unknown = await s.api(admin, 'POST', `/api/ops/instances/${key}/migration/preview`, {
      targetProcessDefinitionKey: '123',
    });
    expect(unknown.statusCode).toBe(422);
    expect((unknown.json() as Problem).errors?.[0]?.field).toBe('targetProcessDefinitionKey');
    const audit = (
      await s.api(auditor, 'GET', `/api/audit-log?action=process-instance.migrate&entityId=${key}`)
    ).json();
    expect(audit[0]?.payload).toMatchObject({
      from: { version: 1 },
      to: { version: 2 },
      reason: '按新版流程继续办理',
    });
  });
});

// Nothing half-done when the engine says no or does not answer: the project stays a draft, nothing is audited, and
// the API answers with the reason — 409 with Camunda's refusal, 503 when the engine cannot be reached.
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyWorkerDefinition, fail } from '../../src/camunda/worker-runtime.ts';
import { checkApplicationWorker } from '../../workers/check-application.ts';
import { type Problem, professionalDraft, type Stack, startStack, until } from './stack.ts';

let s: Stack | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function submitOnce(stack: Stack) {
  const token = await stack.login('gongan.staff');
  const created = await stack.api(token, 'POST', '/api/projects', professionalDraft());
  const id = created.json().project.id as string;
  const res = await stack.api(token, 'POST', `/api/projects/${id}/submit`);
  const project = (await stack.api(token, 'GET', `/api/projects/${id}`)).json();
  const audit = await stack.api(await stack.login('audit'), 'GET', `/api/audit-log?projectId=${id}`);
  return { res, project, actions: (audit.json() as Array<{ action: string }>).map((e) => e.action) };
}

describe('engine refusals', () => {
  it('the engine refuses to start (nothing deployed): 409 with its reason, the project stays a draft', async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z', deploy: false });
    const { res, project, actions } = await submitOnce(s);
    expect(res.statusCode).toBe(409);
    expect((res.json() as Problem).detail).toMatch(/^流程引擎拒绝启动立项流程：.*project-lifecycle/);
    expect(project).toMatchObject({ stage: 'draft', processInstanceKey: null });
    expect(actions).toEqual(['project.create']);
  });

  it('the engine cannot be reached: 503, the project stays a draft; the inbox says so too', async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z', gatewayAddress: 'http://127.0.0.1:9' });
    const { res, project, actions } = await submitOnce(s);
    expect(res.statusCode).toBe(503);
    expect((res.json() as Problem).detail).toContain('流程引擎暂不可用');
    expect(project).toMatchObject({ stage: 'draft', processInstanceKey: null });
    expect(actions).toEqual(['project.create']);
    const inbox = await s.api(await s.login('bureau.reviewer'), 'GET', '/api/tasks');
    expect(inbox.statusCode).toBe(503);
  });

  it('a worker fails with no retries left: the incident is retried by an administrator once the outage is over', async () => {
    // The system behind the application check is down: the job fails with no retries, as a worker does when
    // retrying cannot help; afterwards the real worker answers again.
    let outage = true;
    const flaky: AnyWorkerDefinition = {
      ...checkApplicationWorker,
      handler: (vars, job) =>
        outage ? fail('材料检查服务不可用（连接被拒绝）', 0) : checkApplicationWorker.handler(vars, job),
    };
    s = await startStack({ at: '2026-11-27T02:00:00Z', workerOverrides: [flaky] });
    const unit = await s.login('gongan.staff');
    const admin = await s.login('bureau.admin');
    const reviewer = await s.login('bureau.reviewer');
    const id = (await s.api(unit, 'POST', '/api/projects', professionalDraft())).json().project.id as string;
    expect((await s.api(unit, 'POST', `/api/projects/${id}/submit`)).statusCode).toBe(201);
    // G-6: the Unit's 责任科室 signs off; then the application check runs.
    const section = await s.login('gongan.section');
    const review = await until(
      async () =>
        (await s!.api(section, 'GET', `/api/tasks?projectId=${id}`)).json().items as Array<{
          elementId: string;
          userTaskKey: string;
        }>,
      (items) => items.some((i) => i.elementId === 'Task_SectionReview'),
    );
    const signedOff = await s.api(section, 'POST', `/api/tasks/${review[0]!.userTaskKey}/complete`, {
      variables: { sectionDecision: 'approve', sectionOpinion: '同意报送' },
    });
    expect(signedOff.statusCode, signedOff.body).toBe(200);

    type Row = { processDefinitionId: string; processInstanceKey: string };
    const stuck = await until(
      async () =>
        (await s!.api(admin, 'GET', `/api/ops/instances?hasIncident=true&projectId=${id}`)).json()
          .items as Row[],
      (items) => items.length > 0,
    );
    const initiation = stuck.find((i) => i.processDefinitionId === 'professional-project-initiation');
    expect(initiation).toBeDefined();
    const detail = (await s.api(admin, 'GET', `/api/ops/instances/${initiation!.processInstanceKey}`)).json();
    expect(detail.incidents[0]).toMatchObject({
      elementId: 'Task_CheckApplication',
      errorType: 'JOB_NO_RETRIES',
      errorMessage: '材料检查服务不可用（连接被拒绝）',
    });
    expect(detail.activeElementIds).toContain('Task_CheckApplication');

    outage = false;
    const retry = await s.api(admin, 'POST', `/api/ops/incidents/${detail.incidents[0].incidentKey}/retry`);
    expect(retry.statusCode, retry.body).toBe(200);
    const inbox = await until(
      async () =>
        (await s!.api(reviewer, 'GET', `/api/tasks?projectId=${id}`)).json().items as Array<{
          elementId: string;
        }>,
      (items) => items.length > 0,
    );
    expect(inbox[0]?.elementId).toBe('Task_InitialCheck');
    const audit = await s.api(await s.login('audit'), 'GET', `/api/audit-log?projectId=${id}`);
    expect((audit.json() as Array<{ action: string }>).map((e) => e.action)).toContain('incident.retry');
  });
});

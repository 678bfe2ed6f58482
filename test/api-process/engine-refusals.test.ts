// Nothing half-done when the engine says no or does not answer: the project stays a draft, nothing is audited, and
// the API answers with the reason — 409 with Camunda's refusal, 503 when the engine cannot be reached.
import { afterEach, describe, expect, it } from 'vitest';
import { type Problem, professionalDraft, type Stack, startStack } from './stack.ts';

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
});

// Issue #15 §3 (PUB-2): the cost reviewer and the expert read the project they hold a task on — its record and its
// documents, the plan they review — through /api as their own accounts, while the task is open for them; not
// before, not after they completed it, never another project, and they cannot write to it. A real 专业类 project
// walked on the real engine with the real workers; every task completed with exactly what form-js submits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Problem, professionalDraft, type Stack, startStack, until } from '../api-process/stack.ts';
import { fill } from '../forms/fill.ts';
import { type FormJs, launchFormJs } from '../forms/form-js.ts';
import { multipart, PDF } from './harness.ts';

type Data = Record<string, unknown>;

describe('experts and cost reviewers read the project they review (PUB-2)', () => {
  let s: Stack;
  let formJs: FormJs;
  const t: Record<string, string> = {};
  let projectId: string;
  let otherId: string;
  let planId: string;

  const get = (who: string, url: string) => s.api(t[who]!, 'GET', url);
  /** The open task `elementId` of the project in `who`'s inbox, once the workers put it there. */
  const openTask = async (who: string, elementId: string) => {
    const items = await until(
      async () => (await get(who, '/api/tasks?scope=groups')).json().items as Data[],
      (x) => x.some((i) => i.elementId === elementId && i.projectId === projectId),
    );
    return String(items.find((i) => i.elementId === elementId && i.projectId === projectId)!.userTaskKey);
  };
  const complete = async (who: string, elementId: string, choices: Data) => {
    const key = await openTask(who, elementId);
    const detail = (await get(who, `/api/tasks/${key}`)).json() as {
      form: { schema: Data };
      variables: Data;
    };
    const sent = await formJs.submit(detail.form.schema, fill(detail.form.schema, detail.variables, choices));
    expect(sent.errors).toEqual({});
    const res = await s.api(t[who]!, 'POST', `/api/tasks/${key}/complete`, { variables: sent.data });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** What `who` gets for the project, its document list and the plan's bytes. */
  const reads = async (who: string, id = projectId) => [
    (await get(who, `/api/projects/${id}`)).statusCode,
    (await get(who, `/api/projects/${id}/documents`)).statusCode,
    (await get(who, `/api/documents/${planId}`)).statusCode,
  ];

  beforeAll(async () => {
    formJs = await launchFormJs();
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of [
      'gongan.staff',
      'gongan.section',
      'jiaoyu.staff',
      'bureau.reviewer',
      'cost.reviewer',
      'expert',
    ])
      t[name] = await s.login(name);
    const create = async (projectName: string) => {
      const res = await s.api(
        t['gongan.staff']!,
        'POST',
        '/api/projects',
        professionalDraft({ projectName }),
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json().project.id as string;
    };
    projectId = await create('云浮市智慧警务综合平台');
    otherId = await create('云浮市警务视频联网平台');
    const body = multipart('项目方案.pdf', 'application/pdf', PDF);
    const up = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=project-plan`,
      headers: { authorization: `Bearer ${t['gongan.staff']}`, ...body.headers },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    planId = up.json().id as string;
    for (const id of [projectId, otherId]) {
      const res = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${id}/submit`);
      expect(res.statusCode, res.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await formJs?.close();
  });

  it('nobody of them reads the project before a task on it reaches them', async () => {
    // G-6: the Unit's 责任科室 sends the application on before the Bureau's 初核
    await complete('gongan.section', 'Task_SectionReview', { sectionDecision: 'approve' });
    await openTask('bureau.reviewer', 'Task_InitialCheck');
    expect(await reads('cost.reviewer')).toEqual([404, 404, 404]);
    expect(await reads('expert')).toEqual([404, 404, 404]);
    expect((await get('expert', `/api/projects/${projectId}`)).json().detail).toContain('不存在或无权查看');
  });

  it('the cost reviewer reads the project and the plan while 造价审核 is open, and nothing else', async () => {
    // 组织论证: 造价审核 and 专家论证 are open side by side once 初核 passed
    await complete('bureau.reviewer', 'Task_InitialCheck', { initialCheckDecision: 'pass' });
    await openTask('cost.reviewer', 'Task_CostReview');
    expect(await reads('cost.reviewer')).toEqual([200, 200, 200]);
    const project = (await get('cost.reviewer', `/api/projects/${projectId}`)).json();
    expect(project).toMatchObject({ id: projectId, name: '云浮市智慧警务综合平台', view: 'full' });
    const docs = (await get('cost.reviewer', `/api/projects/${projectId}/documents`)).json() as Data[];
    expect(docs.map((d) => d.id)).toEqual([planId]);
    const plan = await get('cost.reviewer', `/api/documents/${planId}`);
    expect(plan.rawPayload.equals(PDF)).toBe(true);
    // the other project of the same Unit, waiting for its 责任科室, stays hidden
    expect((await get('cost.reviewer', `/api/projects/${otherId}`)).statusCode).toBe(404);
    expect((await get('cost.reviewer', `/api/projects/${otherId}/documents`)).statusCode).toBe(404);
  });

  it('the cost reviewer cannot write to the project it reads', async () => {
    const patch = await s.api(t['cost.reviewer']!, 'PATCH', `/api/projects/${projectId}`, {
      version: 1,
      projectName: '改名',
    });
    expect([403, 404]).toContain(patch.statusCode);
    const body = multipart('造价意见.pdf', 'application/pdf', PDF);
    const up = await s.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/documents?kind=project-plan`,
      headers: { authorization: `Bearer ${t['cost.reviewer']}`, ...body.headers },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(403);
    expect((up.json() as Problem).detail).toContain('只能查阅');
    const submit = await s.api(t['cost.reviewer']!, 'POST', `/api/projects/${projectId}/submit`);
    expect([403, 404]).toContain(submit.statusCode);
    const docs = (await get('gongan.staff', `/api/projects/${projectId}/documents`)).json() as Data[];
    expect(docs).toHaveLength(1);
  });

  it('once the cost review is done the project is hidden from the cost reviewer, not from the expert', async () => {
    await openTask('expert', 'Task_ExpertReview');
    expect(await reads('expert')).toEqual([200, 200, 200]);
    await complete('cost.reviewer', 'Task_CostReview', { costReviewPassed: true });
    expect(await reads('cost.reviewer')).toEqual([404, 404, 404]);
    expect(await reads('expert')).toEqual([200, 200, 200]);
    expect((await get('expert', `/api/projects/${otherId}`)).statusCode).toBe(404);
    await complete('expert', 'Task_ExpertReview', { expertReviewPassed: true });
    expect(await reads('expert')).toEqual([404, 404, 404]);
  });

  it('the Units still see only their own projects', async () => {
    expect(await reads('gongan.staff')).toEqual([200, 200, 200]);
    expect(await reads('jiaoyu.staff')).toEqual([404, 404, 404]);
    expect(await reads('bureau.reviewer')).toEqual([200, 200, 200]);
  });
});

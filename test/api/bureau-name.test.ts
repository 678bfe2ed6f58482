// SU-2, SU-4: the Bureau is named as the edition names it — 市政务服务数据管理局 under 云府办〔2020〕2号 (yunfu-v1, to
// 2024-07-10), 市政务服务和数据管理局 under 云府办〔2024〕8号 (from 2024-07-11). A project keeps its edition's name in
// what its page reads (GET /api/projects/{id} bureauName); the pages' header reads the signed-in user's role names
// and the Bureau's name under the edition in force today for the tenant (GET /api/me).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalDraft } from '../api-process/stack.ts';
import { type Harness, startHarness } from './harness.ts';

describe('the Bureau’s name follows the edition (SU-2, SU-4)', () => {
  let h: Harness;
  const projects: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const draft = async () => {
    const token = await h.login('gongan.staff');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: h.as(token),
      payload: professionalDraft(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().project as { id: string; ruleEdition: string; bureauName: string };
  };
  const read = async (id: string) => {
    const token = await h.login('gongan.staff');
    const res = await h.app.inject({ method: 'GET', url: `/api/projects/${id}`, headers: h.as(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { ruleEdition: string; bureauName: string };
  };
  const me = async (who: string) => {
    const token = await h.login(who);
    return (await h.app.inject({ method: 'GET', url: '/api/me', headers: h.as(token) })).json() as {
      bureauName: string;
      roleNames: string[];
    };
  };

  it('a project initiated on 10 July 2024 reads 市政务服务数据管理局; the header too, that day', async () => {
    h.clock.now = new Date('2024-07-10T02:00:00.000Z');
    const p = await draft();
    projects.v1 = p.id;
    expect(p).toMatchObject({ ruleEdition: 'yunfu-v1', bureauName: '市政务服务数据管理局' });
    expect(await me('bureau.reviewer')).toMatchObject({
      bureauName: '市政务服务数据管理局',
      roleNames: ['市政务服务数据管理局审核人员'],
    });
    expect((await me('gongan.staff')).roleNames).toEqual(['市直单位经办人员']);
  });

  it('one initiated from 11 July 2024 reads 市政务服务和数据管理局; the older keeps its edition’s name', async () => {
    h.clock.now = new Date('2024-07-11T02:00:00.000Z');
    const p = await draft();
    expect(p).toMatchObject({ ruleEdition: 'yunfu-2024', bureauName: '市政务服务和数据管理局' });
    expect(await read(p.id)).toMatchObject({ bureauName: '市政务服务和数据管理局' });
    expect(await read(projects.v1!)).toMatchObject({
      ruleEdition: 'yunfu-v1',
      bureauName: '市政务服务数据管理局',
    });
    expect(await me('bureau.admin')).toMatchObject({
      bureauName: '市政务服务和数据管理局',
      roleNames: ['市政务服务和数据管理局管理员'],
    });
  });
});

// History retention on the real stack (issue 17): with ENGINE_HISTORY_TTL_DAYS set, a project's ended lifecycle
// leaves the engine's file once the days have passed (test/engine/history-retention.test.ts proves what goes and
// what stays), while the business store is the record the regulation asks for: the audit trail still verifies and
// the project's audit export is still complete and verifies (SV-3 / SV-4). The engine never touches the store.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyArchive } from '../../src/store/audit-export.ts';
import { consistent } from '../conformance/fidelity.ts';
import { professionalDraft, REMOTE, type Stack, sectionApproves, startStack, until } from './stack.ts';

let s: Stack;
const t: Record<string, string> = {};

beforeAll(async () => {
  s = await startStack({ at: '2026-11-27T02:00:00Z', env: { ENGINE_HISTORY_TTL_DAYS: '30' } });
  for (const name of ['gongan.staff', 'gongan.section', 'bureau.reviewer', 'audit'])
    t[name] = await s.login(name);
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 120_000);

it.skipIf(REMOTE)(
  'prunes a rejected project’s engine history after 30 days; the audit trail and export still verify',
  async () => {
    // given: a project submitted, signed off and rejected at 初核 — its lifecycle has ended
    const created = await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft());
    expect(created.statusCode, created.body).toBe(201);
    const projectId = created.json().project.id as string;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    const processInstanceKey = String(submitted.json().processInstanceKey);
    await sectionApproves(s, t['gongan.section']!, projectId);
    type Item = { projectId: string; userTaskKey: string };
    const items = await until(
      async () => (await s.api(t['bureau.reviewer']!, 'GET', '/api/tasks')).json().items as Item[],
      (x) => x.some((i) => i.projectId === projectId),
    );
    const task = items.find((i) => i.projectId === projectId)!;
    const rejected = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${task.userTaskKey}/complete`, {
      variables: { initialCheckDecision: 'reject', initialCheckOpinion: '不符合年度规划' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const state = async () => {
      try {
        return (
          await s.client.getProcessInstance({ processInstanceKey: processInstanceKey as never }, consistent())
        ).state;
      } catch (e) {
        if ((e as { status?: number }).status === 404) return 404;
        throw e;
      }
    };
    await until(state, (v) => v === 'COMPLETED');
    const trailBefore = (
      await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)
    ).json() as unknown[];
    expect(trailBefore.length).toBeGreaterThan(2);

    // when: 31 days pass
    await s.setClock('2026-12-28T02:00:00Z');

    // then: the engine's history of the lifecycle is gone…
    expect(await until(state, (v) => v === 404)).toBe(404);
    t.audit = await s.login('audit'); // the session of 31 days ago has expired
    // …and the business store's record is whole: the trail verifies, the project's entries are all there, the export verifies
    const verification = await s.api(t.audit!, 'GET', '/api/audit-log/verification');
    expect(verification.statusCode, verification.body).toBe(200);
    expect(verification.json()).toMatchObject({ intact: true, problems: [] });
    expect((await s.api(t.audit!, 'GET', `/api/audit-log?projectId=${projectId}`)).json()).toEqual(
      trailBefore,
    );
    const exported = await s.api(t.audit!, 'GET', `/api/projects/${projectId}/audit-export`);
    expect(exported.statusCode).toBe(200);
    const report = verifyArchive(exported.rawPayload);
    expect(report.problems).toEqual([]);
    expect(report.manifest).toMatchObject({ projectId });
    expect(report.trailEntries).toBeGreaterThanOrEqual(trailBefore.length);
  },
  120_000,
);

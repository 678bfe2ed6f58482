// The start-up reconciler on the intents a crash leaves: each case is built as the crash would leave it (the intent
// recorded, the engine acted or not, the store's step 3 never ran), then reconcile() settles it from what the engine
// shows — and a second run finds nothing to do.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/app/commands/context.ts';
import { reconcile } from '../../src/app/commands/reconcile.ts';
import { projectVariables } from '../../src/app/commands/submit.ts';
import { loadRegulation } from '../../src/domain/index.ts';
import { findProject } from '../../src/store/projects.ts';
import {
  recordSubmissionIntent,
  settleSubmissionIntent,
  submissionIntentsOf,
} from '../../src/store/submission-intents.ts';
import { professionalDraft, type Stack, startStack } from '../api-process/stack.ts';

let s: Stack;
let ctx: CommandContext;
let token: string;
const logged: string[] = [];
const log = {
  info: () => {},
  warn: (_o: object, m?: string) => logged.push(m ?? ''),
  error: (o: object, m?: string) => logged.push(`ERROR ${m} ${JSON.stringify(o)}`),
};

beforeAll(async () => {
  s = await startStack({ at: '2026-11-27T02:00:00Z' });
  ctx = {
    store: s.store,
    regulation: loadRegulation(),
    now: () => s.now(),
    // the system's own gateway: a second client would keep connections open past the server's close
    processes: s.gateway,
  };
  token = await s.login('gongan.staff');
});
// Closing this system took about 70 s: the workers' job long polls held `close()` until they ran out. /v2 now answers
// them at once when it closes (test/engine/rest-shutdown.test.ts), and alone this file closes in seconds; in the
// full suite on a loaded machine one close still ran past 60 s (cause not found yet), so the hook allows for it.
afterAll(async () => {
  await s?.close();
}, 150_000);

/** A draft with a recorded intent, as step 1 of submit leaves it; `start` also lets the engine act on it. */
async function crashed(state: 'pending' | 'uncertain', start: boolean) {
  const projectId = (await s.api(token, 'POST', '/api/projects', professionalDraft())).json().project
    .id as string;
  const id = randomUUID();
  const project = (await findProject(s.store.db, 'yunfu', projectId))!;
  const variables = {
    ...projectVariables(project, '云浮市公安局', 'yunfu'),
    initiationRoute: 'professional',
    initiatedAt: s.now().toISOString(),
    annualPlanFilingNumber: null,
    outOfPlan: false,
    submissionId: id,
  };
  await s.store.transaction((tx) =>
    recordSubmissionIntent(tx, {
      id,
      tenantId: 'yunfu',
      projectId,
      accountId: project.createdBy,
      role: 'unit-staff',
      requestId: 'req-before-the-crash',
      processId: 'project-lifecycle',
      initiationRoute: 'professional',
      variables,
      createdAt: s.now().toISOString(),
    }),
  );
  let key: string | null = null;
  if (start) {
    const r = await s.client.createProcessInstance({ processDefinitionId: 'project-lifecycle', variables });
    key = String(r.processInstanceKey);
  }
  if (state === 'uncertain')
    await s.store.transaction((tx) =>
      settleSubmissionIntent(tx, { id, state, at: s.now().toISOString(), error: 'no answer' }),
    );
  return { projectId, id, key };
}

const submitEntries = (projectId: string) =>
  s.store.db
    .selectFrom('auditLog')
    .selectAll()
    .where('action', '=', 'project.submit')
    .where('entityId', '=', projectId)
    .execute();

describe('start-up reconciliation of submissions', () => {
  it('settles each case from what the engine shows, and a second run changes nothing', async () => {
    const went = await crashed('pending', true);
    const never = await crashed('pending', false);
    const told = await crashed('uncertain', true);
    const lost = await crashed('uncertain', false);

    const report = await reconcile(ctx, { log });
    expect(report).toEqual({
      submissions: { started: 1, abandoned: 2, compensated: 1 },
      completions: {},
      failed: 0,
    });
    expect(logged.filter((l) => l.startsWith('ERROR'))).toEqual([]);

    // The engine started it before the crash: the submission went through, audited as the Unit that made it.
    const project = (await findProject(s.store.db, 'yunfu', went.projectId))!;
    expect(project.processInstanceKey).toBe(went.key);
    expect(project.stage).not.toBe('draft');
    const entries = await submitEntries(went.projectId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ requestId: 'req-before-the-crash', role: 'unit-staff' });
    expect((await submissionIntentsOf(s.store.db, 'yunfu', went.projectId))[0]).toMatchObject({
      state: 'started',
      processInstanceKey: went.key,
    });

    // The user was told it failed: the instance the engine started anyway is cancelled.
    const instance = await s.client.getProcessInstance({ processInstanceKey: told.key! }, {
      consistency: { waitUpToMs: 0 },
    } as never);
    expect(String((instance as { state: string }).state)).toBe('TERMINATED');
    expect((await submissionIntentsOf(s.store.db, 'yunfu', told.projectId))[0]!.state).toBe('compensated');
    expect(await submitEntries(told.projectId)).toHaveLength(0);

    // Nothing reached the engine: abandoned, and the draft can be submitted again.
    for (const { projectId } of [never, lost]) {
      expect((await submissionIntentsOf(s.store.db, 'yunfu', projectId))[0]!.state).toBe('abandoned');
      const res = await s.api(token, 'POST', `/api/projects/${projectId}/submit`);
      expect(res.statusCode, res.body).toBe(201);
    }

    expect(await reconcile(ctx, { log })).toEqual({ submissions: {}, completions: {}, failed: 0 });
    expect(await submitEntries(went.projectId)).toHaveLength(1);
  });
});

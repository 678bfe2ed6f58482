// The submit command records its intent before it calls the engine and settles it afterwards, so that a start-up
// reconciler can tell, for any submission, whether the engine acted on it: the intent's state says what the
// command knew, and the lifecycle instance carries the intent's id as `submissionId`.
import { afterEach, describe, expect, it } from 'vitest';
import { submissionIntentsOf, unsettledSubmissionIntents } from '../../src/store/submission-intents.ts';
import { professionalDraft, type Stack, startStack } from '../api-process/stack.ts';

let s: Stack | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function draftAndSubmit(stack: Stack) {
  const token = await stack.login('gongan.staff');
  const id = (await stack.api(token, 'POST', '/api/projects', professionalDraft())).json().project
    .id as string;
  const res = await stack.api(token, 'POST', `/api/projects/${id}/submit`);
  return { id, res, intents: await submissionIntentsOf(stack.store.db, 'yunfu', id) };
}

describe('submission intents', () => {
  it('a submission the engine accepts settles its intent as started, with the key the instance carries', async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    const { id, res, intents } = await draftAndSubmit(s);
    expect(res.statusCode, res.body).toBe(201);
    const key = res.json().processInstanceKey as string;
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      projectId: id,
      state: 'started',
      processInstanceKey: key,
      error: null,
    });
    expect(intents[0]!.variables.submissionId).toBe(intents[0]!.id);
    // The reconciler's question — did the engine act on this intent? — is one instance search by that variable.
    const found = await s.client.searchProcessInstances(
      {
        filter: {
          processDefinitionId: 'project-lifecycle',
          variables: [{ name: 'submissionId', value: JSON.stringify(intents[0]!.id) }],
        },
      },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(found.items.map((i) => String(i.processInstanceKey))).toEqual([key]);
    expect(await unsettledSubmissionIntents(s.store.db)).toEqual([]);
  });

  it('a refusal by the engine settles the intent as refused, with the engine’s reason, and leaves nothing unsettled', async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z', deploy: false });
    const { res, intents } = await draftAndSubmit(s);
    expect(res.statusCode).toBe(409);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ state: 'refused', processInstanceKey: null });
    expect(intents[0]!.error).toContain('project-lifecycle');
    expect(await unsettledSubmissionIntents(s.store.db)).toEqual([]);
  });

  it('an engine that does not answer leaves the intent uncertain, for the reconciler to look up', async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z', gatewayAddress: 'http://127.0.0.1:9' });
    const { id, res, intents } = await draftAndSubmit(s);
    expect(res.statusCode).toBe(503);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ state: 'uncertain', processInstanceKey: null });
    expect((await unsettledSubmissionIntents(s.store.db)).map((i) => i.projectId)).toEqual([id]);
  });
});

// /v2 search filters take exactly the operators Camunda 8.8's OpenAPI gives each field (issue 18): the user
// task's candidateGroup / candidateUser / assignee / tenantId are StringFilterProperty ($eq, $neq, $exists, $in,
// $notIn, $like); plain-typed fields (user task name, incident errorType, element instance elementId) take no
// operators. Types from @camunda8/orchestration-cluster-api 8.8 (zUserTaskFilter, zIncidentFilter,
// zElementInstanceFilter, zProcessInstanceFilterFields), generated from Camunda 8.8's rest-api.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestServer, raw, startRest, userTaskProcess } from './rest-server.ts';

let server: RestServer;
const JSON_TYPE = { 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startRest();
  await server.engine.deploy([
    { name: 'a.bpmn', content: Buffer.from(userTaskProcess('p-finance', 'finance, audit', 'alice')) },
    { name: 'b.bpmn', content: Buffer.from(userTaskProcess('p-legal', 'legal')) },
    { name: 'c.bpmn', content: Buffer.from(userTaskProcess('p-none', '', 'bob')) },
  ]);
  for (const id of ['p-finance', 'p-legal', 'p-none']) {
    server.engine.createProcessInstance({ processDefinitionId: id, variables: {} });
  }
});

afterAll(async () => {
  await server.close();
});

async function tasks(filter: Record<string, unknown>): Promise<string[]> {
  const r = await raw(server.port, 'POST', '/v2/user-tasks/search', JSON_TYPE, JSON.stringify({ filter }));
  expect(r.status, r.text).toBe(200);
  return (r.json().items as Array<{ processDefinitionId: string }>).map((t) => t.processDefinitionId).sort();
}

describe('/v2 user task search: candidateGroup and candidateUser', () => {
  it('takes a plain value and $eq', async () => {
    expect(await tasks({ candidateGroup: 'audit' })).toEqual(['p-finance']);
    expect(await tasks({ candidateGroup: { $eq: 'legal' } })).toEqual(['p-legal']);
  });

  it("takes $in (as the business API gateway asks for a user's groups)", async () => {
    expect(await tasks({ candidateGroup: { $in: ['legal', 'audit', 'nobody'] } })).toEqual([
      'p-finance',
      'p-legal',
    ]);
    expect(await tasks({ candidateGroup: { $in: ['nobody'] } })).toEqual([]);
    // combined with other filters and paging
    const r = await raw(
      server.port,
      'POST',
      '/v2/user-tasks/search',
      JSON_TYPE,
      JSON.stringify({
        filter: { candidateGroup: { $in: ['legal', 'finance'] }, state: 'CREATED' },
        page: { limit: 1 },
      }),
    );
    expect(r.json().page).toMatchObject({ totalItems: 2 });
    expect(r.json().items).toHaveLength(1);
  });

  it('takes $neq, $notIn, $exists and $like', async () => {
    expect(await tasks({ candidateGroup: { $neq: 'legal' } })).toEqual(['p-finance', 'p-none']);
    expect(await tasks({ candidateGroup: { $notIn: ['audit', 'legal'] } })).toEqual(['p-none']);
    expect(await tasks({ candidateGroup: { $exists: true } })).toEqual(['p-finance', 'p-legal']);
    expect(await tasks({ candidateGroup: { $exists: false } })).toEqual(['p-none']);
    expect(await tasks({ candidateGroup: { $like: 'fin*' } })).toEqual(['p-finance']);
    expect(await tasks({ candidateUser: { $in: ['bob'] } })).toEqual(['p-none']);
    expect(await tasks({ candidateUser: { $like: 'al?ce' } })).toEqual(['p-finance']);
  });

  it('refuses operators 8.8 does not give the field, with 400 naming it', async () => {
    const r = await raw(
      server.port,
      'POST',
      '/v2/user-tasks/search',
      JSON_TYPE,
      JSON.stringify({ filter: { candidateGroup: { $gt: 'a' }, name: { $like: 'T*' } } }),
    );
    expect(r.status).toBe(400);
    expect(r.json().title).toBe('INVALID_ARGUMENT');
    expect(String(r.json().detail)).toContain("'$gt' is not allowed on filter field 'candidateGroup'");
    expect(String(r.json().detail)).toContain('filter.name');
    const notList = await raw(
      server.port,
      'POST',
      '/v2/user-tasks/search',
      JSON_TYPE,
      JSON.stringify({ filter: { candidateGroup: { $in: 'legal' } } }),
    );
    expect(notList.status).toBe(400);
    expect(String(notList.json().detail)).toContain('filter.candidateGroup.$in');
  });
});

describe('/v2 other searches', () => {
  it('process instances: processDefinitionId takes $like and $in; hasIncident is plain', async () => {
    const post = (filter: unknown) =>
      raw(server.port, 'POST', '/v2/process-instances/search', JSON_TYPE, JSON.stringify({ filter }));
    const like = await post({ processDefinitionId: { $like: 'p-*l*' } });
    expect(like.status).toBe(200);
    expect(like.json().page).toMatchObject({ totalItems: 1 });
    const $in = await post({ processDefinitionId: { $in: ['p-legal', 'p-none'] } });
    expect($in.json().page).toMatchObject({ totalItems: 2 });
    expect((await post({ hasIncident: { $eq: false } })).status).toBe(400);
  });

  it('incidents and element instances: plain-valued fields refuse operators', async () => {
    const incidents = await raw(
      server.port,
      'POST',
      '/v2/incidents/search',
      JSON_TYPE,
      JSON.stringify({ filter: { errorType: { $in: ['JOB_NO_RETRIES'] } } }),
    );
    expect(incidents.status).toBe(400);
    const elements = await raw(
      server.port,
      'POST',
      '/v2/element-instances/search',
      JSON_TYPE,
      JSON.stringify({ filter: { elementId: { $like: 'ta*' } } }),
    );
    expect(elements.status).toBe(400);
    const state = await raw(
      server.port,
      'POST',
      '/v2/element-instances/search',
      JSON_TYPE,
      JSON.stringify({ filter: { state: { $in: ['ACTIVE'] }, elementId: 'task' } }),
    );
    expect(state.status).toBe(200);
    expect(state.json().page).toMatchObject({ totalItems: 3 });
  });
});

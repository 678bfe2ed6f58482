// Zeebe fidelity (issue #14 §3): process-instance tags (Camunda 8.8) are accepted on creation, stored and
// returned by the create response, the search and the get.
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/
// — `tags`: at most 10, each starting with a letter, then alphanumerics, `_`, `-`, `:` or `.`, ≤ 100 characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, type Target } from './target.ts';

let t: Target;

beforeAll(async () => {
  t = await startTarget();
  const wait = `<bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="fid-tags-never" /></bpmn:extensionElements></bpmn:serviceTask>`;
  const model = definitions('defs-fid-tags', sequenceProcess('fid-tags', [['work', wait]]));
  await t.client.createDeployment({ resources: [bpmnFile('fid-tags.bpmn', model)] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('process-instance tags', () => {
  it('are returned by the create response, the search and the get', async () => {
    const tags = ['project:P-2026-001', 'unit.gongan', 'urgent'];
    const created = await t.client.createProcessInstance({ processDefinitionId: 'fid-tags', tags });
    expect([...(created.tags ?? [])].sort()).toEqual([...tags].sort());
    const key = String(created.processInstanceKey);
    const found = await t.client.searchProcessInstances(
      { filter: { processInstanceKey: k(key) } },
      consistent((x) => x.items.length === 1),
    );
    expect([...(found.items[0]?.tags ?? [])].sort()).toEqual([...tags].sort());
    const got = await t.client.getProcessInstance({ processInstanceKey: k(key) }, consistent());
    expect([...(got.tags ?? [])].sort()).toEqual([...tags].sort());
    await t.client.cancelProcessInstance({ processInstanceKey: k(key) });
  });

  it('an instance created without tags has none', async () => {
    const created = await t.client.createProcessInstance({ processDefinitionId: 'fid-tags' });
    expect(created.tags ?? []).toEqual([]);
    await t.client.cancelProcessInstance({ processInstanceKey: k(created.processInstanceKey) });
  });

  it('a tag that does not start with a letter is refused with 400 naming tags (raw HTTP: the client checks first)', async () => {
    const res = await t.raw('/process-instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'fid-tags', tags: ['1-bad'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('tags');
  });
});

// Resource deletion (issue 15 §1), as Camunda 8.8 answers POST /v2/resources/{resourceKey}/deletion:
// https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/
// — the key names a process definition, a decision requirements definition or a form; "Only the resource itself
// is deleted from the runtime state." Zeebe 8.8's ResourceDeletionDeleteProcessor refuses a process definition
// with running instances (INVALID_STATE, "Expected to delete resource with key `%d` but there are still running
// instances"), answers NOT_FOUND "Expected to delete resource but no resource found with key `%d`", and when the
// latest version goes, the previous version's start events listen again. Zeebe does not reuse a version number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, resourceFile } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;

/** A process started by message `fid-del-go`, whose one step (`label`) tells the versions apart, then waits. */
const versioned = (label: string) =>
  definitions(
    `defs-fid-del-${label}`,
    `<bpmn:message id="fid-del-m" name="fid-del-go" />
<bpmn:process id="fid-del" isExecutable="true">
  <bpmn:startEvent id="go"><bpmn:messageEventDefinition messageRef="fid-del-m" /></bpmn:startEvent>
  <bpmn:startEvent id="plain" />
  <bpmn:serviceTask id="${label}"><bpmn:extensionElements><zeebe:taskDefinition type="fid-del-never" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f0" sourceRef="go" targetRef="${label}" />
  <bpmn:sequenceFlow id="f1" sourceRef="plain" targetRef="${label}" />
  <bpmn:sequenceFlow id="f2" sourceRef="${label}" targetRef="end" />
</bpmn:process>`,
  );

const DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fid-del-drg" name="fid-del-drg" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="fid-del-decision" name="fid-del-decision">
    <literalExpression id="fid-del-expr"><text>"yes"</text></literalExpression>
  </decision>
</definitions>`;

const FORM = JSON.stringify({
  id: 'fid-del-form-doc',
  type: 'default',
  components: [{ key: 'opinion', label: '意见', type: 'textfield' }],
  schemaVersion: 16,
});

async function deployProcess(label: string) {
  const d = await t.client.createDeployment({
    resources: [bpmnFile(`fid-del-${label}.bpmn`, versioned(label))],
  });
  const p = d.processes[0]!;
  return { key: String(p.processDefinitionKey), version: p.processDefinitionVersion };
}

/** Deletion over raw HTTP too: the 8.8.4 client's response type for it is `unknown`, so status and body are read here. */
async function deleteRaw(key: string) {
  const res = await t.raw(`/resources/${key}/deletion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const text = await res.text();
  return { status: res.status, detail: text ? ((JSON.parse(text) as { detail?: string }).detail ?? '') : '' };
}

beforeAll(async () => {
  t = await startTarget();
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('deleting a process definition', () => {
  let v1: { key: string; version: number };
  let v2: { key: string; version: number };

  it('is refused while an instance of it runs, and accepted once it ended', async () => {
    v1 = await deployProcess('first');
    v2 = await deployProcess('second');
    expect(v2.version).toBe(v1.version + 1);
    const running = await t.client.createProcessInstance({ processDefinitionKey: k(v2.key) });
    const refused = await deleteRaw(v2.key);
    expect(refused.status).toBe(409);
    expect(refused.detail).toContain(
      `Expected to delete resource with key \`${v2.key}\` but there are still running instances`,
    );
    await t.client.cancelProcessInstance({ processInstanceKey: k(running.processInstanceKey) });
    expect(await statusOf(t.client.deleteResource({ resourceKey: k(v2.key) }))).toBe('ok');
    // the history stays: the ended instance is still found, with its definition's key
    const ended = await t.client.getProcessInstance(
      { processInstanceKey: k(running.processInstanceKey) },
      consistent((x) => x.state === 'TERMINATED'),
    );
    expect(String(ended.processDefinitionKey)).toBe(v2.key);
  });

  it('leaves the runtime: by key 404, by id the previous version, whose message start listens again', async () => {
    expect(await statusOf(t.client.createProcessInstance({ processDefinitionKey: k(v2.key) }))).toBe(404);
    const byId = await t.client.createProcessInstance({ processDefinitionId: 'fid-del' });
    expect(String(byId.processDefinitionKey)).toBe(v1.key);
    const published = await t.client.correlateMessage({ name: 'fid-del-go', correlationKey: '' });
    const started = await t.client.getProcessInstance(
      { processInstanceKey: k(String(published.processInstanceKey)) },
      consistent(),
    );
    expect(String(started.processDefinitionKey)).toBe(v1.key);
    for (const key of [byId.processInstanceKey, published.processInstanceKey])
      await t.client.cancelProcessInstance({ processInstanceKey: k(String(key)) });
  });

  it('does not free its version number: the same content deployed again is a new version', async () => {
    const again = await deployProcess('second');
    expect(again.key).not.toBe(v2.key);
    expect(again.version).toBe(v2.version + 1);
  });

  it('answers 404 for a key that names no deployed resource, and for one already deleted', async () => {
    const unknown = await deleteRaw('2251799813999999');
    expect(unknown.status).toBe(404);
    expect(unknown.detail).toContain(
      'Expected to delete resource but no resource found with key `2251799813999999`',
    );
    expect((await deleteRaw(v2.key)).status).toBe(404);
  });

  it('refuses a key that is not a number with 400 naming resourceKey', async () => {
    const res = await t.raw('/resources/abc/deletion', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('resourceKey');
  });
});

describe('deleting decision requirements and forms', () => {
  it('a deleted decision requirements graph takes its decisions with it: evaluating by id is 404', async () => {
    const d = await t.client.createDeployment({
      resources: [resourceFile('fid-del.dmn', DMN, 'application/xml')],
    });
    const drgKey = String(d.decisionRequirements[0]!.decisionRequirementsKey);
    // raw HTTP: on success Camunda 8.8 answers failedDecisionDefinitionId "", which the 8.8.4 strict client refuses
    const evaluate = () =>
      t.raw('/decision-definitions/evaluation', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decisionDefinitionId: 'fid-del-decision', variables: {} }),
      });
    const evaluated = await evaluate();
    expect(evaluated.status).toBe(200);
    expect(((await evaluated.json()) as { output: string }).output).toBe('"yes"');
    expect(await statusOf(t.client.deleteResource({ resourceKey: k(drgKey) }))).toBe('ok');
    expect((await evaluate()).status).toBe(404);
  });

  it('a deleted form is gone from the runtime: deleting it again is 404', async () => {
    const d = await t.client.createDeployment({
      resources: [resourceFile('fid-del.form', FORM, 'application/json')],
    });
    const formKey = String(d.forms[0]!.formKey);
    expect((await deleteRaw(formKey)).status).toBe(200);
    expect((await deleteRaw(formKey)).status).toBe(404);
  });
});

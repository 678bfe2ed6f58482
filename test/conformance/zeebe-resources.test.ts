// Zeebe fidelity (issue #14 §3): forms and diagrams as Camunda 8.8 treats them.
// - The form of a user task and the start form answer Camunda's FormResult, whose `schema` Camunda 8.8 sends as
//   a string (the form as deployed), as the probe with Camunda's client tests found:
//   https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task-form/
//   Raw HTTP for these two: the 8.8.4 client's strict response schema types `schema` as an object, so it
//   refuses Camunda's own answer (as it refuses Camunda's failedDecisionDefinitionId "" in rest-api.test.ts).
// - A none start event's zeebe:formDefinition formId links a start form: hasStartForm is true and
//   https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-start-process-form/
//   returns the linked form (204 when the process has none).
// - Zeebe ignores the diagram interchange (DI): a shape referencing a missing element deploys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, resourceFile, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const FORM = JSON.stringify({
  id: 'fid-request-form',
  type: 'default',
  components: [{ key: 'title', label: 'Title', type: 'textfield' }],
  schemaVersion: 16,
});

const withStartForm = definitions(
  'defs-fid-start-form',
  `<bpmn:process id="fid-start-form" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formId="fid-request-form" /></bpmn:extensionElements></bpmn:startEvent>
  <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="fid-request-form" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="review" />
  <bpmn:sequenceFlow id="f1" sourceRef="review" targetRef="end" />
</bpmn:process>`,
);

const keys: Record<string, string> = {};

beforeAll(async () => {
  t = await startTarget();
  const d = await t.client.createDeployment({
    resources: [
      resourceFile('fid-request.form', FORM, 'application/json'),
      bpmnFile('fid-start-form.bpmn', withStartForm),
      bpmnFile(
        'fid-no-start-form.bpmn',
        definitions('defs-fid-nsf', sequenceProcess('fid-no-start-form', [])),
      ),
    ],
  });
  for (const p of d.processes) keys[p.processDefinitionId] = String(p.processDefinitionKey);
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('forms', () => {
  it("a user task's form schema is the deployed form as a string", async () => {
    const created = await t.client.createProcessInstance({ processDefinitionId: 'fid-start-form' });
    const found = await t.client.searchUserTasks(
      { filter: { processInstanceKey: k(created.processInstanceKey) } },
      consistent((x) => x.items.length === 1),
    );
    const res = await t.raw(`/user-tasks/${found.items[0]!.userTaskKey}/form`);
    expect(res.status).toBe(200);
    const form = (await res.json()) as { schema: unknown };
    expect(typeof form?.schema).toBe('string');
    expect(JSON.parse(String(form?.schema))).toEqual(JSON.parse(FORM));
    await t.client.cancelProcessInstance({ processInstanceKey: k(created.processInstanceKey) });
  });

  it('a start event with a linked form: hasStartForm, and the start-form endpoint returns the form', async () => {
    const defs = await t.client.searchProcessDefinitions(
      { filter: { processDefinitionId: { $like: 'fid-*' } }, sort: [{ field: 'processDefinitionId' }] },
      consistent((x) => x.items.length === 2),
    );
    expect(defs.items?.map((d) => [d.processDefinitionId, d.hasStartForm])).toEqual([
      ['fid-no-start-form', false],
      ['fid-start-form', true],
    ]);
    const res = await t.raw(`/process-definitions/${keys['fid-start-form']}/form`);
    expect(res.status).toBe(200);
    const form = (await res.json()) as { formId: string; schema: unknown };
    expect(form?.formId).toBe('fid-request-form');
    expect(JSON.parse(String(form?.schema)).components[0].key).toBe('title');
    const none = await t.raw(`/process-definitions/${keys['fid-no-start-form']}/form`);
    expect(none.status).toBe(204);
  });
});

describe('diagrams', () => {
  it('a deployment whose diagram references a missing element is accepted; a missing flow target is not', async () => {
    const di = `<bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="fid-di">
  <bpmndi:BPMNShape id="ghost_di" bpmnElement="deletedTask"><dc:Bounds x="100" y="100" width="100" height="80" /></bpmndi:BPMNShape>
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const stale = definitions('defs-fid-di', `${sequenceProcess('fid-di', [])}\n${di}`);
    const d = await t.client.createDeployment({ resources: [bpmnFile('fid-di.bpmn', stale)] });
    expect(d.processes[0]?.processDefinitionId).toBe('fid-di');
    const broken = definitions(
      'defs-fid-broken',
      `<bpmn:process id="fid-broken" isExecutable="true"><bpmn:startEvent id="s" />
  <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="nowhere" /></bpmn:process>`,
    );
    expect(
      await statusOf(t.client.createDeployment({ resources: [bpmnFile('fid-broken.bpmn', broken)] })),
    ).toBe(400);
  });
});

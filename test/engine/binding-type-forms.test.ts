// bindingType of linked forms (issue #14 §1.3), over /v2 with the official client at strict validation.
// Camunda 8.8, https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/
// and https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#camunda-forms — a linked form
// (zeebe:formDefinition formId) resolves to the latest version by default, to the version deployed with the
// process ('deployment'), or to the latest version with a version tag ('versionTag', the form's `versionTag`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, resourceFile } from '../conformance/fidelity.ts';
import { chain, definitions, k, start, startTarget, type Target } from './signal-support.ts';

let t: Target;

const form = (tag: string) =>
  JSON.stringify({
    id: 'bt-form',
    type: 'default',
    versionTag: tag,
    components: [{ type: 'textfield', key: tag }],
  });

const withTask = (id: string, binding: string) =>
  definitions(
    `defs-${id}`,
    `<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formId="bt-form" ${binding} /></bpmn:extensionElements></bpmn:startEvent>
  <bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="bt-form" ${binding} /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  ${chain('start', 'task', 'end')}
</bpmn:process>`,
  );

const keys: Record<string, string> = {};
const formKeys: Record<string, string> = {};

beforeAll(async () => {
  t = await startTarget();
  const first = await t.client.createDeployment({
    resources: [
      bpmnFile('bt-form-deployment.bpmn', withTask('bt-form-deployment', 'bindingType="deployment"')),
      bpmnFile('bt-form-latest.bpmn', withTask('bt-form-latest', '')),
      bpmnFile('bt-form-tag.bpmn', withTask('bt-form-tag', 'bindingType="versionTag" versionTag="f1"')),
      bpmnFile('bt-form-no-tag.bpmn', withTask('bt-form-no-tag', 'bindingType="versionTag" versionTag="f9"')),
      resourceFile('bt-form.form', form('f1'), 'application/json'),
    ],
  });
  const second = await t.client.createDeployment({
    resources: [resourceFile('bt-form.form', form('f2'), 'application/json')],
  });
  for (const d of [...first.deployments, ...second.deployments]) {
    if (d.processDefinition)
      keys[d.processDefinition.processDefinitionId] = String(d.processDefinition.processDefinitionKey);
    if (d.form) formKeys[String(d.form.version)] = String(d.form.formKey);
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** The form key of the instance's user task form. */
async function taskFormKey(processId: string): Promise<string> {
  const pi = await start(t, processId);
  const tasks = await t.client.searchUserTasks(
    { filter: { processInstanceKey: k(pi) } },
    consistent((x) => x.items.length === 1),
  );
  // raw GET: Camunda 8.8 answers the form's schema as a JSON string, which the client's strict response schema
  // (a record) refuses — as test/conformance/zeebe-resources.test.ts reads the start form
  const res = await t.raw(`/user-tasks/${tasks.items[0]!.userTaskKey}/form`);
  return String(((await res.json()) as { formKey: string }).formKey);
}

async function startFormKey(processId: string): Promise<string | null> {
  const res = await t.raw(`/process-definitions/${keys[processId]}/form`);
  return res.status === 200 ? String(((await res.json()) as { formKey: string }).formKey) : null;
}

describe('linked form bindingType', () => {
  it("user task forms: 'deployment' keeps the form deployed with the process, 'latest' takes the new one, 'versionTag' the tagged one", async () => {
    expect(await taskFormKey('bt-form-deployment')).toBe(formKeys['1']);
    expect(await taskFormKey('bt-form-latest')).toBe(formKeys['2']);
    expect(await taskFormKey('bt-form-tag')).toBe(formKeys['1']);
  });

  it('start forms resolve the same way', async () => {
    expect(await startFormKey('bt-form-deployment')).toBe(formKeys['1']);
    expect(await startFormKey('bt-form-latest')).toBe(formKeys['2']);
    expect(await startFormKey('bt-form-tag')).toBe(formKeys['1']);
  });

  it('a version tag no form carries is a FORM_NOT_FOUND incident at the user task', async () => {
    const pi = await start(t, 'bt-form-no-tag');
    const r = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pi) } },
      consistent((x) => x.items.length === 1),
    );
    expect(r.items?.[0]?.errorType).toBe('FORM_NOT_FOUND');
    expect(r.items?.[0]?.errorMessage).toContain("with id 'bt-form' and version tag 'f9'");
  });
});

// bindingType (issue #14 §1.3), over /v2 with the official client at strict validation.
// Camunda 8.8, https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/
// and https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/#defining-the-called-process —
// 'latest' (default) resolves the latest version, 'deployment' the version deployed together with the calling
// process, 'versionTag' the latest version carrying the tag; when there is none, an incident with Zeebe's message
// (CallActivityProcessor). Business rule tasks resolve their decision the same way
// (https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/); a decision's version tag is the
// zeebe:versionTag of its DMN decision element.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, resourceFile } from '../conformance/fidelity.ts';
import {
  chain,
  definitions,
  deployXml,
  k,
  refusal,
  start,
  startTarget,
  type Target,
  variables,
} from './signal-support.ts';

let t: Target;

const child = (tag: string, mark: string) =>
  definitions(
    `defs-bt-child-${mark}`,
    `<bpmn:process id="bt-child" isExecutable="true">
  <bpmn:extensionElements><zeebe:versionTag value="${tag}" /></bpmn:extensionElements>
  <bpmn:startEvent id="c-start" /><bpmn:endEvent id="c-end" name="${mark}" />
  ${chain('c-start', 'c-end')}
</bpmn:process>`,
  );

const caller = (id: string, binding: string) =>
  definitions(
    `defs-${id}`,
    `<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="bt-child" ${binding} /></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:endEvent id="end" />
  ${chain('start', 'call', 'end')}
</bpmn:process>`,
  );

const rule = (id: string, binding: string) =>
  definitions(
    `defs-${id}`,
    `<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="bt-fee" resultVariable="fee" ${binding} /></bpmn:extensionElements></bpmn:businessRuleTask>
  <bpmn:endEvent id="end" />
  ${chain('start', 'decide', 'end')}
</bpmn:process>`,
  );

const fee = (value: string, tag: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bt-fee-drg" name="fees" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="bt-fee" name="Fee"><extensionElements><zeebe:versionTag value="${tag}" /></extensionElements><literalExpression id="bt-fee-expr"><text>"${value}"</text></literalExpression></decision>
</definitions>`;

/** The version of the child instance a parent instance called. */
async function calledVersion(parent: string): Promise<number> {
  const r = await t.client.searchProcessInstances(
    { filter: { parentProcessInstanceKey: k(parent) } },
    consistent((x) => x.items.length === 1),
  );
  return Number(r.items[0]?.processDefinitionVersion);
}

beforeAll(async () => {
  t = await startTarget();
  // one deployment: the callers, the rule tasks, child v1 (tag v1.0) and decision v1
  await t.client.createDeployment({
    resources: [
      bpmnFile('bt-child.bpmn', child('v1.0', 'one')),
      bpmnFile('bt-by-deployment.bpmn', caller('bt-by-deployment', 'bindingType="deployment"')),
      bpmnFile('bt-by-latest.bpmn', caller('bt-by-latest', '')),
      bpmnFile('bt-by-tag.bpmn', caller('bt-by-tag', 'bindingType="versionTag" versionTag="v1.0"')),
      bpmnFile(
        'bt-by-missing-tag.bpmn',
        caller('bt-by-missing-tag', 'bindingType="versionTag" versionTag="v9"'),
      ),
      bpmnFile('bt-rule-deployment.bpmn', rule('bt-rule-deployment', 'bindingType="deployment"')),
      bpmnFile('bt-rule-latest.bpmn', rule('bt-rule-latest', 'bindingType="latest"')),
      bpmnFile('bt-rule-tag.bpmn', rule('bt-rule-tag', 'bindingType="versionTag" versionTag="fee-1"')),
      bpmnFile('bt-rule-no-tag.bpmn', rule('bt-rule-no-tag', 'bindingType="versionTag" versionTag="fee-9"')),
      resourceFile('bt-fee.dmn', fee('first', 'fee-1'), 'application/xml'),
    ],
  });
  // later deployments: child v2 (tag v2.0) and decision v2, each alone
  await deployXml(t, 'bt-child.bpmn', child('v2.0', 'two'));
  await t.client.createDeployment({
    resources: [resourceFile('bt-fee.dmn', fee('second', 'fee-2'), 'application/xml')],
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('call activity bindingType', () => {
  it("'deployment' calls the version deployed with the caller, 'latest' the newest", async () => {
    expect(await calledVersion(await start(t, 'bt-by-deployment'))).toBe(1);
    expect(await calledVersion(await start(t, 'bt-by-latest'))).toBe(2);
  });

  it("'deployment' also binds to an unchanged definition the caller's deployment contained", async () => {
    // a deployment with child v2 unchanged (it keeps version 2) and a new caller; then child v3 alone
    await t.client.createDeployment({
      resources: [
        bpmnFile('bt-child.bpmn', child('v2.0', 'two')),
        bpmnFile('bt-dup.bpmn', caller('bt-dup', 'bindingType="deployment"')),
      ],
    });
    await deployXml(t, 'bt-child.bpmn', child('v3.0', 'three'));
    expect(await calledVersion(await start(t, 'bt-dup'))).toBe(2);
    expect(await calledVersion(await start(t, 'bt-by-latest'))).toBe(3);
  });

  it("'versionTag' calls the version with the tag, though a newer one exists", async () => {
    expect(await calledVersion(await start(t, 'bt-by-tag'))).toBe(1);
  });

  it('a version tag no version carries is an incident with Zeebe’s message', async () => {
    const pi = await start(t, 'bt-by-missing-tag');
    const r = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pi) } },
      consistent((x) => x.items.length === 1),
    );
    expect(r.items?.[0]?.errorType).toBe('CALLED_ELEMENT_ERROR');
    expect(r.items?.[0]?.errorMessage).toBe(
      "Expected to call process with BPMN process id 'bt-child' and version tag 'v9', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.",
    );
  });

  it("'versionTag' without a version tag is refused at deployment", async () => {
    const r = await refusal(t, 'bt-no-tag.bpmn', caller('bt-no-tag', 'bindingType="versionTag"'));
    expect(r.status).toBe(400);
    expect(r.detail).toContain("'versionTag' must be present and not empty");
  });
});

describe('business rule task bindingType', () => {
  it("'versionTag' evaluates the decision with the tag; a tag no version carries is an incident", async () => {
    expect((await variables(t, await start(t, 'bt-rule-tag'))).fee).toBe('first');
    const pi = await start(t, 'bt-rule-no-tag');
    const r = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pi) } },
      consistent((x) => x.items.length === 1),
    );
    expect(r.items?.[0]?.errorType).toBe('CALLED_DECISION_ERROR');
    expect(r.items?.[0]?.errorMessage).toContain("decision with id 'bt-fee' and version tag 'fee-9'");
  });

  it("redeploying a decision does not change a process bound by 'deployment'; 'latest' takes the new one", async () => {
    const bound = await start(t, 'bt-rule-deployment');
    const latest = await start(t, 'bt-rule-latest');
    expect((await variables(t, bound)).fee).toBe('first');
    expect((await variables(t, latest)).fee).toBe('second');
  });
});

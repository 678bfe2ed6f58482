// Deployed decisions over /v2 with the official client at strict validation (issue 15 §1):
// - GET /decision-definitions/{key} and /xml:
//   https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-definition/
//   …/specifications/get-decision-definition-xml/ ("Returns decision definition as XML")
// - decision requirements search, get and XML: …/specifications/search-decision-requirements/,
//   …/specifications/get-decision-requirements/, …/specifications/get-decision-requirements-xml/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistent, k, resourceFile } from '../conformance/fidelity.ts';
import { startTarget, statusOf, type Target } from '../conformance/target.ts';

let t: Target;
const none = consistent();
let riskKey: string;
let drgKeys: string[];

/** A DRG of one decision table on `amount`, with a name or without. */
function dmn(drgId: string, decisionId: string, drgName?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${drgId}"${drgName ? ` name="${drgName}"` : ''} namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="${decisionId}" name="Decision ${decisionId}">
    <decisionTable id="${decisionId}-table">
      <input id="${decisionId}-in"><inputExpression id="${decisionId}-ie" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="${decisionId}-out" name="level" typeRef="string" />
      <rule id="${decisionId}-r1"><inputEntry id="${decisionId}-e1"><text>&gt;= 0</text></inputEntry><outputEntry id="${decisionId}-o1"><text>"low"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;
}
const dmnFile = (name: string, xml: string) => resourceFile(name, xml, 'application/xml');

beforeAll(async () => {
  t = await startTarget();
  const first = await t.client.createDeployment({
    resources: [
      dmnFile('risk.dmn', dmn('risk-drg', 'risk', 'Risk rules')),
      dmnFile('plain.dmn', dmn('plain-drg', 'plain')),
    ],
  });
  // a second version of the risk DRG
  const second = await t.client.createDeployment({
    resources: [dmnFile('risk.dmn', dmn('risk-drg', 'risk', 'Risk rules').replace('"low"', '"none"'))],
  });
  riskKey = String(
    first.decisions.find((d) => String(d.decisionDefinitionId) === 'risk')!.decisionDefinitionKey,
  );
  drgKeys = [...first.decisionRequirements, ...second.decisionRequirements].map((d) =>
    String(d.decisionRequirementsKey),
  );
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /decision-definitions/{key} and /xml', () => {
  it('returns the decision and the DMN it was deployed in', async () => {
    const d = await t.client.getDecisionDefinition({ decisionDefinitionKey: k(riskKey) }, none);
    expect(d).toMatchObject({
      decisionDefinitionId: 'risk',
      name: 'Decision risk',
      version: 1,
      decisionRequirementsId: 'risk-drg',
      decisionRequirementsKey: drgKeys[0],
    });
    const xml = String(await t.client.getDecisionDefinitionXml({ decisionDefinitionKey: k(riskKey) }, none));
    expect(xml).toContain('<decision id="risk"');
    expect(xml).toContain('"low"');
    expect(xml).not.toContain('"none"');
  });

  it('answers 404 for an unknown key and 400 for a key that is no number', async () => {
    expect(
      await statusOf(t.client.getDecisionDefinition({ decisionDefinitionKey: k('2251799813999999') }, none)),
    ).toBe(404);
    expect(
      await statusOf(
        t.client.getDecisionDefinitionXml({ decisionDefinitionKey: k('2251799813999999') }, none),
      ),
    ).toBe(404);
    expect((await t.raw('/decision-definitions/abc')).status).toBe(400);
  });
});

describe('decision requirements', () => {
  it('searches by id, sorts by version and names an unnamed DRG by its id', async () => {
    const risk = await t.client.searchDecisionRequirements(
      { filter: { decisionRequirementsId: 'risk-drg' }, sort: [{ field: 'version', order: 'DESC' }] },
      none,
    );
    expect((risk.items ?? []).map((d) => [d.version, d.decisionRequirementsName, d.resourceName])).toEqual([
      [2, 'Risk rules', 'risk.dmn'],
      [1, 'Risk rules', 'risk.dmn'],
    ]);
    expect(Number(risk.page.totalItems)).toBe(2);
    const all = await t.client.searchDecisionRequirements({}, none);
    expect((all.items ?? []).map((d) => d.decisionRequirementsId).sort()).toEqual([
      'plain-drg',
      'risk-drg',
      'risk-drg',
    ]);
    const plain = (all.items ?? []).find((d) => d.decisionRequirementsId === 'plain-drg');
    expect(plain?.decisionRequirementsName).toBe('plain-drg');
  });

  it('refuses an operator on a plain filter field with 400 naming it', async () => {
    const r = await t.raw('/decision-requirements/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { version: { $gt: 1 } } }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { detail: string }).detail).toContain('filter.version');
  });

  it('gets one DRG and its XML by key', async () => {
    const latest = await t.client.getDecisionRequirements({ decisionRequirementsKey: k(drgKeys[2]!) }, none);
    expect(latest).toMatchObject({ decisionRequirementsId: 'risk-drg', version: 2, tenantId: '<default>' });
    const xml = String(
      await t.client.getDecisionRequirementsXml({ decisionRequirementsKey: k(drgKeys[2]!) }, none),
    );
    expect(xml).toContain('"none"');
    expect(
      await statusOf(
        t.client.getDecisionRequirements({ decisionRequirementsKey: k('2251799813999999') }, none),
      ),
    ).toBe(404);
  });
});

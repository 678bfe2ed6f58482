// Zeebe fidelity (issue #14 §1.7): DMN as Camunda 8.8 runs it.
// - PRIORITY and OUTPUT ORDER hit policies rank the matched rules by the output values' order:
//   https://docs.camunda.io/docs/components/modeler/dmn/decision-table-hit-policy/
// - A standalone evaluation that fails answers 200 with failedDecisionDefinitionId and failureMessage:
//   https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/
// - A DMN with a duplicate id is refused at deployment (dmn-moddle would drop the element silently).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceFile } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;

/** A one-input, one-output table on `amount`, rules given as [id, input entry, output entry]. */
function table(
  id: string,
  hitPolicy: string,
  rules: Array<[string, string, string]>,
  ids = rules.map((r) => r[0]),
) {
  const body = rules
    .map(
      ([, input, output], i) =>
        `<rule id="${ids[i]}"><inputEntry id="${id}-in-${i}"><text>${input}</text></inputEntry><outputEntry id="${id}-out-${i}"><text>${output}</text></outputEntry></rule>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${id}-drg" name="${id}" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="${id}" name="${id}">
    <decisionTable id="${id}-table" hitPolicy="${hitPolicy}">
      <input id="${id}-amount" label="Amount"><inputExpression id="${id}-ie" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="${id}-level" name="level" typeRef="string"><outputValues id="${id}-values"><text>"high","medium","low"</text></outputValues></output>
      ${body}
    </decisionTable>
  </decision>
</definitions>`;
}

const RULES: Array<[string, string, string]> = [
  ['r-low', '&gt;= 0', '"low"'],
  ['r-high', '&gt;= 1000', '"high"'],
  ['r-medium', '&gt;= 500', '"medium"'],
];
const dmn = (name: string, xml: string) => resourceFile(name, xml, 'application/xml');

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({
    resources: [
      dmn('fid-priority.dmn', table('fid-priority', 'PRIORITY', RULES)),
      dmn('fid-output-order.dmn', table('fid-output-order', 'OUTPUT ORDER', RULES)),
      dmn('fid-unique.dmn', table('fid-unique', 'UNIQUE', RULES)),
    ],
  });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Raw HTTP: on success Camunda 8.8 answers failedDecisionDefinitionId "", which the 8.8.4 strict client refuses. */
async function evaluate(decisionDefinitionId: string, amount: number) {
  const res = await t.raw('/decision-definitions/evaluation', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decisionDefinitionId, variables: { amount } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('hit policies', () => {
  it('PRIORITY returns the matched output highest in the output values, not the first rule', async () => {
    expect(JSON.parse(String((await evaluate('fid-priority', 1500)).body.output))).toBe('high');
    expect(JSON.parse(String((await evaluate('fid-priority', 700)).body.output))).toBe('medium');
    expect(JSON.parse(String((await evaluate('fid-priority', 10)).body.output))).toBe('low');
  });

  it('OUTPUT ORDER returns every matched output in the order of the output values', async () => {
    expect(JSON.parse(String((await evaluate('fid-output-order', 1500)).body.output))).toEqual([
      'high',
      'medium',
      'low',
    ]);
    expect(JSON.parse(String((await evaluate('fid-output-order', 700)).body.output))).toEqual([
      'medium',
      'low',
    ]);
  });
});

describe('failures', () => {
  it('a UNIQUE table with two matching rules answers 200 naming the failed decision and why', async () => {
    const r = await evaluate('fid-unique', 700);
    expect(r.status).toBe(200);
    expect(r.body.failedDecisionDefinitionId).toBe('fid-unique');
    expect(String(r.body.failureMessage)).toMatch(/fid-unique/);
    expect(String(r.body.failureMessage).length).toBeGreaterThan(20);
    // one rule matching is no failure
    const ok = await evaluate('fid-unique', 10);
    expect(ok.body.failedDecisionDefinitionId).toBe('');
    expect(JSON.parse(String(ok.body.output))).toBe('low');
  });

  it('a DMN with a duplicate rule id is refused at deployment with 400', async () => {
    const duplicate = table('fid-duplicate', 'COLLECT', RULES, ['r-same', 'r-same', 'r-other']);
    expect(
      await statusOf(t.client.createDeployment({ resources: [dmn('fid-duplicate.dmn', duplicate)] })),
    ).toBe(400);
  });
});

// Camunda 8.8 decision instances (issue #15 §1): every decision of a decision evaluation — by a business rule task
// or POST /decision-definitions/evaluation — is kept with its evaluated inputs and matched rules.
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-instances/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-instance/
// A decision instance's key is `<decisionEvaluationKey>-<n>` (Zeebe's DecisionEvaluationInstanceKeyGenerator: the
// required decisions first, the evaluated one last). @camunda8/orchestration-cluster-api 8.8.4 types that key as a
// plain number (`^-?[0-9]+$`), so its strict validation refuses both Camunda's answers and a GET by a real key: the
// calls carrying such a key go over raw HTTP; the rest through the official client at strict validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, resourceFile, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;

const DRG = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="di-drg" name="DI fees" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="diCategory" name="Category">
    <decisionTable id="di-category-table" hitPolicy="UNIQUE">
      <input id="di-amount" label="Amount"><inputExpression id="di-amount-ie" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="di-category-out" name="category" typeRef="string" />
      <rule id="di-small"><inputEntry id="di-small-in"><text>&lt; 100</text></inputEntry><outputEntry id="di-small-out"><text>"small"</text></outputEntry></rule>
      <rule id="di-large"><inputEntry id="di-large-in"><text>&gt;= 100</text></inputEntry><outputEntry id="di-large-out"><text>"large"</text></outputEntry></rule>
    </decisionTable>
  </decision>
  <decision id="diFee" name="Fee">
    <informationRequirement id="di-req"><requiredDecision href="#diCategory" /></informationRequirement>
    <decisionTable id="di-fee-table" hitPolicy="UNIQUE">
      <input id="di-fee-category" label="Category"><inputExpression id="di-fee-ie" typeRef="string"><text>diCategory</text></inputExpression></input>
      <output id="di-fee-out" name="fee" typeRef="number" />
      <rule id="di-fee-small"><inputEntry id="di-fs-in"><text>"small"</text></inputEntry><outputEntry id="di-fs-out"><text>5</text></outputEntry></rule>
      <rule id="di-fee-large"><inputEntry id="di-fl-in"><text>"large"</text></inputEntry><outputEntry id="di-fl-out"><text>20</text></outputEntry></rule>
    </decisionTable>
  </decision>
  <decision id="diClash" name="Clash">
    <decisionTable id="di-clash-table" hitPolicy="UNIQUE">
      <input id="di-clash-in" label="Amount"><inputExpression id="di-clash-ie" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="di-clash-out" name="clash" typeRef="string" />
      <rule id="di-c1"><inputEntry id="di-c1-in"><text>&gt;= 0</text></inputEntry><outputEntry id="di-c1-out"><text>"a"</text></outputEntry></rule>
      <rule id="di-c2"><inputEntry id="di-c2-in"><text>&gt;= 10</text></inputEntry><outputEntry id="di-c2-out"><text>"b"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

const process = (id: string, decisionId: string) =>
  definitions(
    `defs-${id}`,
    sequenceProcess(id, [
      [
        'decide',
        `<bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="result" /></bpmn:extensionElements></bpmn:businessRuleTask>`,
      ],
    ]),
  );

type Json = Record<string, unknown>;

async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function search(body: unknown): Promise<{ items: Json[]; page: Json }> {
  const r = await post('/decision-instances/search', body);
  expect(r.status).toBe(200);
  return r.body as { items: Json[]; page: Json };
}

async function get(key: string): Promise<{ status: number; body: Json }> {
  const res = await t.raw(`/decision-instances/${key}`);
  return { status: res.status, body: (await res.json()) as Json };
}

let processInstanceKey: string;

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({
    resources: [
      resourceFile('di-fees.dmn', DRG, 'application/xml'),
      bpmnFile('di-process.bpmn', process('di-process', 'diFee')),
      bpmnFile('di-failing.bpmn', process('di-failing', 'diClash')),
    ],
  });
  const pi = await t.client.createProcessInstance({
    processDefinitionId: k('di-process'),
    variables: { amount: 250 },
  });
  processInstanceKey = String(pi.processInstanceKey);
  await t.client.searchProcessInstances(
    { filter: { processInstanceKey: k(processInstanceKey), state: 'COMPLETED' } },
    consistent((x) => x.items.length === 1),
  );
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('a business rule task evaluation', () => {
  it('is kept as one decision instance per decision of the DRG, numbered <evaluationKey>-<n>', async () => {
    const r = await search({
      filter: { processInstanceKey },
      sort: [{ field: 'decisionEvaluationInstanceKey', order: 'ASC' }],
    });
    expect(r.page.totalItems).toBe(2);
    const [category, fee] = r.items as [Json, Json];
    const evaluationKey = String(fee.decisionEvaluationKey);
    expect(category.decisionEvaluationKey).toBe(evaluationKey);
    expect(category.decisionEvaluationInstanceKey).toBe(`${evaluationKey}-1`);
    expect(fee.decisionEvaluationInstanceKey).toBe(`${evaluationKey}-2`);
    expect(category).toMatchObject({
      decisionDefinitionId: 'diCategory',
      decisionDefinitionName: 'Category',
      decisionDefinitionVersion: 1,
      decisionDefinitionType: 'DECISION_TABLE',
      state: 'EVALUATED',
      result: '"large"',
      processInstanceKey,
      tenantId: '<default>',
    });
    expect(fee).toMatchObject({ decisionDefinitionId: 'diFee', result: '20', processInstanceKey });
    expect(typeof fee.elementInstanceKey).toBe('string');
    expect(typeof fee.processDefinitionKey).toBe('string');
    expect(Number.isNaN(Date.parse(String(fee.evaluationDate)))).toBe(false);
    // the search leaves the inputs and rules out, as Camunda's does
    expect(fee.evaluatedInputs).toBeUndefined();
    expect(fee.matchedRules).toBeUndefined();
  });

  it('GET answers its evaluated inputs and matched rules', async () => {
    const r = await search({ filter: { processInstanceKey, decisionDefinitionId: 'diFee' } });
    const key = String(r.items[0]!.decisionEvaluationInstanceKey);
    const one = await get(key);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ decisionEvaluationInstanceKey: key, decisionDefinitionId: 'diFee' });
    expect(one.body.evaluatedInputs).toEqual([
      { inputId: 'di-fee-category', inputName: 'Category', inputValue: '"large"' },
    ]);
    expect(one.body.matchedRules).toEqual([
      {
        ruleId: 'di-fee-large',
        ruleIndex: 2,
        evaluatedOutputs: [{ outputId: 'di-fee-out', outputName: 'fee', outputValue: '20' }],
      },
    ]);
  });
});

describe('a stand-alone evaluation', () => {
  it('is kept without process keys, under the evaluation response key', async () => {
    const evaluation = await post('/decision-definitions/evaluation', {
      decisionDefinitionId: 'diCategory',
      variables: { amount: 7 },
    });
    expect(evaluation.status).toBe(200);
    const evaluationKey = String(evaluation.body.decisionEvaluationKey);
    const r = await search({ filter: { decisionEvaluationKey: evaluationKey } });
    expect(r.items).toHaveLength(1);
    const item = r.items[0]!;
    expect(item).toMatchObject({
      decisionEvaluationInstanceKey: `${evaluationKey}-1`,
      decisionDefinitionId: 'diCategory',
      state: 'EVALUATED',
      result: '"small"',
    });
    expect(item.processInstanceKey).toBeUndefined();
    const one = await get(`${evaluationKey}-1`);
    expect(one.body.matchedRules).toEqual([
      {
        ruleId: 'di-small',
        ruleIndex: 1,
        evaluatedOutputs: [{ outputId: 'di-category-out', outputName: 'category', outputValue: '"small"' }],
      },
    ]);
    expect(one.body.evaluatedInputs).toEqual([
      { inputId: 'di-amount', inputName: 'Amount', inputValue: '7' },
    ]);
  });
});

describe('a failed evaluation', () => {
  it('a stand-alone one is kept FAILED with its evaluation failure', async () => {
    const evaluation = await post('/decision-definitions/evaluation', {
      decisionDefinitionId: 'diClash',
      variables: { amount: 50 },
    });
    expect(evaluation.body.failedDecisionDefinitionId).toBe('diClash');
    const r = await search({
      filter: { decisionEvaluationKey: String(evaluation.body.decisionEvaluationKey) },
    });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      decisionDefinitionId: 'diClash',
      state: 'FAILED',
      evaluationFailure: evaluation.body.failureMessage,
    });
    expect(String(r.items[0]!.evaluationFailure)).toContain('hit policy UNIQUE');
  });

  it("a business rule task's is kept FAILED beside the incident it raises", async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: k('di-failing'),
      variables: { amount: 50 },
    });
    const key = String(pi.processInstanceKey);
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(key) } },
      consistent((x) => x.items.length === 1),
    );
    expect(incidents.items?.[0]?.errorType).toBe('DECISION_EVALUATION_ERROR');
    const r = await search({ filter: { processInstanceKey: key } });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ state: 'FAILED', decisionDefinitionId: 'diClash' });
    expect(String(r.items[0]!.evaluationFailure)).toContain('hit policy UNIQUE');
  });
});

describe('filters, sort and paging', () => {
  it('filters by decisionDefinitionId and state, pages by from and limit', async () => {
    for (const amount of [1, 2, 3]) {
      await post('/decision-definitions/evaluation', {
        decisionDefinitionId: 'diCategory',
        variables: { amount },
      });
    }
    const all = await search({ filter: { decisionDefinitionId: 'diCategory', state: 'EVALUATED' } });
    expect(all.page.totalItems).toBe(5); // the task's, the stand-alone one's and these three
    expect(all.items.every((i) => i.decisionDefinitionId === 'diCategory' && i.state === 'EVALUATED')).toBe(
      true,
    );
    const page = await search({
      filter: { decisionDefinitionId: 'diCategory' },
      sort: [{ field: 'evaluationDate', order: 'DESC' }],
      page: { from: 1, limit: 2 },
    });
    expect(page.page.totalItems).toBe(5);
    expect(page.items).toHaveLength(2);
    const failed = await search({ filter: { state: 'FAILED' } });
    expect(failed.items.every((i) => i.state === 'FAILED')).toBe(true);
    expect(failed.page.totalItems).toBe(2);
  });

  it('the official client searches by filters (an empty answer passes its strict validation)', async () => {
    const r = await t.client.searchDecisionInstances(
      { filter: { decisionDefinitionId: k('no-such-decision'), state: 'EVALUATED' } },
      consistent(),
    );
    expect(r.items).toEqual([]);
  });

  it('refuses an unknown filter field and a state that is not one', async () => {
    expect((await post('/decision-instances/search', { filter: { color: 'red' } })).status).toBe(400);
    const bad = await post('/decision-instances/search', { filter: { state: 'DONE' } });
    expect(bad.status).toBe(400);
    expect(String(bad.body.detail)).toContain('state');
  });
});

describe('GET', () => {
  it('answers 404 for an unknown key and 400 for one that is not a key', async () => {
    expect((await get('999999999-1')).status).toBe(404);
    const bad = await get('abc');
    expect(bad.status).toBe(400);
    expect(String(bad.body.detail)).toContain('decisionEvaluationInstanceKey');
    expect(
      await statusOf(
        t.client.getDecisionInstance({ decisionEvaluationInstanceKey: k('999999999') }, consistent()),
      ),
    ).toBe(404);
  });
});

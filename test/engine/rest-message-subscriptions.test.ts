// POST /v2/message-subscriptions/search with the official client at strict validation (issue 15 §1):
// https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/search-message-subscriptions/
// The engine keeps open subscriptions only (docs/camunda-compatibility.md): a correlated one leaves the search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k } from '../conformance/fidelity.ts';
import { startTarget, type Target } from '../conformance/target.ts';

let t: Target;
const none = consistent();
const instances: Record<string, string> = {};

const MODEL = definitions(
  'subs-defs',
  `<bpmn:message id="m-paid" name="invoice-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
<bpmn:message id="m-signed" name="contract-signed"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
<bpmn:process id="subs-invoice" isExecutable="true">
  <bpmn:startEvent id="s1" />
  <bpmn:intermediateCatchEvent id="waitPaid"><bpmn:messageEventDefinition messageRef="m-paid" /></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="e1" />
  <bpmn:sequenceFlow id="a1" sourceRef="s1" targetRef="waitPaid" />
  <bpmn:sequenceFlow id="a2" sourceRef="waitPaid" targetRef="e1" />
</bpmn:process>
<bpmn:process id="subs-contract" isExecutable="true">
  <bpmn:startEvent id="s2" />
  <bpmn:receiveTask id="waitSigned" messageRef="m-signed" />
  <bpmn:endEvent id="e2" />
  <bpmn:sequenceFlow id="b1" sourceRef="s2" targetRef="waitSigned" />
  <bpmn:sequenceFlow id="b2" sourceRef="waitSigned" targetRef="e2" />
</bpmn:process>`,
);

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({ resources: [bpmnFile('subs.bpmn', MODEL)] });
  for (const [name, processId, orderId] of [
    ['invoiceA', 'subs-invoice', 'A-1'],
    ['invoiceB', 'subs-invoice', 'B-2'],
    ['contractA', 'subs-contract', 'A-1'],
  ] as const) {
    const created = await t.client.createProcessInstance({
      processDefinitionId: processId,
      variables: { orderId },
    });
    instances[name] = String(created.processInstanceKey);
  }
  await t.client.correlateMessage({ name: 'invoice-paid', correlationKey: 'A-1' });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

type Sub = { processInstanceKey?: unknown; elementId?: unknown; correlationKey?: unknown };
const rows = (items: Sub[] | undefined) =>
  (items ?? []).map((s) => [String(s.processInstanceKey), String(s.elementId), String(s.correlationKey)]);

describe('POST /message-subscriptions/search', () => {
  it("lists the open subscriptions in Camunda's shape; a correlated one is gone", async () => {
    const all = await t.client.searchMessageSubscriptions({ sort: [{ field: 'messageName' }] }, none);
    expect(rows(all.items)).toEqual([
      [instances.contractA, 'waitSigned', 'A-1'],
      [instances.invoiceB, 'waitPaid', 'B-2'],
    ]);
    expect(all.items?.[1]).toMatchObject({
      processDefinitionId: 'subs-invoice',
      messageName: 'invoice-paid',
      messageSubscriptionState: 'CREATED',
      tenantId: '<default>',
    });
    expect(Number(all.page.totalItems)).toBe(2);
  });

  it('filters by message name, correlation key, instance and state, with operators', async () => {
    const byName = await t.client.searchMessageSubscriptions(
      { filter: { messageName: { $like: 'contract*' } } },
      none,
    );
    expect(rows(byName.items)).toEqual([[instances.contractA, 'waitSigned', 'A-1']]);
    const byKey = await t.client.searchMessageSubscriptions({ filter: { correlationKey: 'B-2' } }, none);
    expect(rows(byKey.items)).toEqual([[instances.invoiceB, 'waitPaid', 'B-2']]);
    const byInstance = await t.client.searchMessageSubscriptions(
      { filter: { processInstanceKey: k(instances.invoiceA!) } },
      none,
    );
    expect(byInstance.items).toEqual([]);
    const correlated = await t.client.searchMessageSubscriptions(
      { filter: { messageSubscriptionState: 'CORRELATED' } },
      none,
    );
    expect(correlated.items).toEqual([]);
    const sorted = await t.client.searchMessageSubscriptions(
      { sort: [{ field: 'correlationKey', order: 'DESC' }], page: { limit: 1 } },
      none,
    );
    expect(rows(sorted.items)).toEqual([[instances.invoiceB, 'waitPaid', 'B-2']]);
    expect(Number(sorted.page.totalItems)).toBe(2);
  });

  it('refuses an unknown filter field with 400 naming it', async () => {
    const r = await t.raw('/message-subscriptions/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { orderId: 'A-1' } }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { detail: string }).detail).toContain("'orderId'");
  });
});

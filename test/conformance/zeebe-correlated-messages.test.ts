// Camunda 8.8 correlated message subscriptions (issue #14 §3): each message that reached a subscription — published
// or correlated, to an intermediate catch event, a receive task, a boundary event or a message start event — is kept
// with its message, subscription and instance, and searched with filter, sort and page.
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-correlated-message-subscriptions/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, type Target } from './target.ts';

let t: Target;

const message = (id: string, name: string) =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`;

const CATCH = definitions(
  'defs-cm-catch',
  `${message('cm-m-order', 'cm-order')}
${sequenceProcess('cm-catch', [['wait', '<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="cm-m-order" /></bpmn:intermediateCatchEvent>']])}`,
);

const RECEIVE = definitions(
  'defs-cm-receive',
  `${message('cm-m-paid', 'cm-paid')}
${sequenceProcess('cm-receive', [['receive', '<bpmn:receiveTask id="receive" messageRef="cm-m-paid" />']])}`,
);

const START = definitions(
  'defs-cm-start',
  `<bpmn:message id="cm-m-begin" name="cm-begin" />
<bpmn:process id="cm-start" isExecutable="true">
  <bpmn:startEvent id="begin"><bpmn:messageEventDefinition messageRef="cm-m-begin" /></bpmn:startEvent>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f0" sourceRef="begin" targetRef="end" />
</bpmn:process>`,
);

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({
    resources: [
      bpmnFile('cm-catch.bpmn', CATCH),
      bpmnFile('cm-receive.bpmn', RECEIVE),
      bpmnFile('cm-start.bpmn', START),
    ],
  });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

async function start(processId: string, orderId: string): Promise<string> {
  const r = await t.client.createProcessInstance({
    processDefinitionId: k(processId),
    variables: { orderId },
  });
  return String(r.processInstanceKey);
}

async function subscriptionOf(processInstanceKey: string) {
  const r = await t.client.searchMessageSubscriptions(
    { filter: { processInstanceKey: k(processInstanceKey) } },
    consistent((x) => x.items.length === 1),
  );
  return r.items![0]!;
}

async function correlations(filter: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = await t.client.searchCorrelatedMessageSubscriptions(
    { filter, ...extra } as never,
    consistent((x) => x.items.length > 0),
  );
  // the client reads totalItems as a bigint
  return { items: r.items ?? [], page: { totalItems: Number(r.page.totalItems) } };
}

describe('a published message that reaches a catch event', () => {
  it('is listed with its message, subscription, element and instance', async () => {
    const pi = await start('cm-catch', 'O-1');
    const sub = await subscriptionOf(pi);
    const published = await t.client.publishMessage({
      name: 'cm-order',
      correlationKey: 'O-1',
      timeToLive: 0,
    });
    const r = await correlations({ processInstanceKey: pi });
    expect(r.page.totalItems).toBe(1);
    const c = r.items[0]!;
    expect(c).toMatchObject({
      correlationKey: 'O-1',
      elementId: 'wait',
      elementInstanceKey: String(sub.elementInstanceKey),
      messageKey: String(published.messageKey),
      messageName: 'cm-order',
      partitionId: 1,
      processDefinitionId: 'cm-catch',
      processInstanceKey: pi,
      subscriptionKey: String(sub.messageSubscriptionKey),
      tenantId: '<default>',
    });
    expect(typeof c.processDefinitionKey).toBe('string');
    expect(Number.isNaN(Date.parse(String(c.correlationTime)))).toBe(false);
  });

  it('a buffered message is listed when a later instance opens its subscription', async () => {
    const published = await t.client.publishMessage({
      name: 'cm-order',
      correlationKey: 'O-2',
      timeToLive: 60_000,
    });
    const pi = await start('cm-catch', 'O-2');
    const r = await correlations({ processInstanceKey: pi });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ messageKey: String(published.messageKey), elementId: 'wait' });
  });
});

describe('a correlated message', () => {
  it('that reaches a receive task is listed', async () => {
    const pi = await start('cm-receive', 'P-1');
    await subscriptionOf(pi);
    const correlated = await t.client.correlateMessage({ name: 'cm-paid', correlationKey: 'P-1' });
    const r = await correlations({ processInstanceKey: pi });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      elementId: 'receive',
      messageKey: String(correlated.messageKey),
      messageName: 'cm-paid',
    });
  });

  it('that starts an instance at a message start event is listed with the new instance', async () => {
    const correlated = await t.client.correlateMessage({ name: 'cm-begin', correlationKey: 'B-1' });
    const r = await correlations({ messageName: 'cm-begin' });
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      correlationKey: 'B-1',
      elementId: 'begin',
      messageKey: String(correlated.messageKey),
      processDefinitionId: 'cm-start',
      processInstanceKey: String(correlated.processInstanceKey),
    });
  });
});

describe('filters, sort and paging', () => {
  it('filters by messageName and processInstanceKey, sorts and pages', async () => {
    const byName = await correlations({ messageName: 'cm-order' });
    expect(byName.page.totalItems).toBe(2);
    expect(byName.items.every((c) => c.messageName === 'cm-order')).toBe(true);
    const like = await correlations({ messageName: { $like: 'cm-*' } });
    expect(like.page.totalItems).toBe(4);
    const sorted = await correlations(
      {},
      { sort: [{ field: 'correlationKey', order: 'DESC' }], page: { from: 1, limit: 2 } },
    );
    expect(sorted.page.totalItems).toBe(4);
    expect(sorted.items.map((c) => c.correlationKey)).toEqual(['O-2', 'O-1']);
    const none = await t.client.searchCorrelatedMessageSubscriptions(
      { filter: { processInstanceKey: k('1') } },
      consistent(),
    );
    expect(none.items ?? []).toEqual([]);
  });

  it('refuses an unknown filter field with 400 naming it', async () => {
    const res = await t.raw('/correlated-message-subscriptions/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { colour: 'red' } }),
    });
    expect(res.status).toBe(400);
    expect(String(((await res.json()) as { detail?: unknown }).detail)).toContain('colour');
  });
});

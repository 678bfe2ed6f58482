// Zeebe fidelity (issue #14 §1.5): message cardinality and message uniqueness, through the official client.
// Camunda 8.8, https://docs.camunda.io/docs/components/concepts/messages/ — "Message cardinality": a message
// is correlated only once to a process (by BPMN process id, across its versions); subscriptions of different
// processes each get it. "Message uniqueness": a message is rejected when a buffered one has the same name,
// correlation key and message id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;

const waiting = (processId: string) =>
  definitions(
    `defs-${processId}`,
    `<bpmn:message id="msg-${processId}" name="fid-card">
  <bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements>
</bpmn:message>
${sequenceProcess(processId, [['wait', `<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg-${processId}" /></bpmn:intermediateCatchEvent>`]])}`,
  );

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({
    resources: [
      bpmnFile('fid-card-a.bpmn', waiting('fid-card-a')),
      bpmnFile('fid-card-b.bpmn', waiting('fid-card-b')),
    ],
  });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

async function start(processId: string, caseId: string): Promise<string> {
  const r = await t.client.createProcessInstance({ processDefinitionId: processId, variables: { caseId } });
  return String(r.processInstanceKey);
}

/** The instances among `keys` that completed, once `expected` of them have (or the wait ran out). */
async function completed(keys: string[], expected: number): Promise<string[]> {
  const r = await t.client.searchProcessInstances(
    { filter: { processInstanceKey: { $in: keys.map(k) }, state: 'COMPLETED' } },
    consistent((x) => x.items.length >= expected),
  );
  return r.items.map((i: { processInstanceKey: string }) => String(i.processInstanceKey));
}

async function isWaiting(key: string): Promise<boolean> {
  const r = await t.client.searchElementInstances(
    { filter: { processInstanceKey: k(key), elementId: k('wait'), state: 'ACTIVE' } },
    consistent((x) => x.items.length === 1),
  );
  return r.items?.length === 1;
}

describe('message cardinality: once per BPMN process id', () => {
  it('one publication completes one of two instances of a process waiting on the key, and one of another process', async () => {
    // given: two instances of process a and one of process b wait for fid-card / K-1
    const a1 = await start('fid-card-a', 'K-1');
    const a2 = await start('fid-card-a', 'K-1');
    const b1 = await start('fid-card-b', 'K-1');
    await isWaiting(a2);
    // when
    await t.client.publishMessage({ name: 'fid-card', correlationKey: 'K-1', timeToLive: 0 });
    // then: b1 completes, and exactly one of a1, a2
    const done = await completed([a1, a2, b1], 2);
    expect(done).toContain(b1);
    expect(done.filter((key) => key === a1 || key === a2)).toHaveLength(1);
    const left = done.includes(a1) ? a2 : a1;
    expect(await isWaiting(left)).toBe(true);
    await t.client.cancelProcessInstance({ processInstanceKey: k(left) });
  });

  it('a buffered message is taken by the first instance of a process that subscribes, not by later ones', async () => {
    // given: a message buffered for a minute
    await t.client.publishMessage({ name: 'fid-card', correlationKey: 'K-2', timeToLive: 60_000 });
    // when: two instances of process a and one of b open subscriptions afterwards
    const a1 = await start('fid-card-a', 'K-2');
    const a2 = await start('fid-card-a', 'K-2');
    const b1 = await start('fid-card-b', 'K-2');
    // then: the first of a and the one of b took it; the second of a still waits
    const done = await completed([a1, a2, b1], 2);
    expect(done.sort()).toEqual([a1, b1].sort());
    expect(await isWaiting(a2)).toBe(true);
    await t.client.cancelProcessInstance({ processInstanceKey: k(a2) });
  });
});

describe('message uniqueness: name + correlation key + message id', () => {
  it('the same id under another correlation key is a new message; under the same key it is refused with 409', async () => {
    const publish = (correlationKey: string) =>
      t.client.publishMessage({
        name: 'fid-unique',
        correlationKey,
        messageId: 'request-77',
        timeToLive: 60_000,
      });
    expect(await statusOf(publish('U-1'))).toBe('ok');
    expect(await statusOf(publish('U-2'))).toBe('ok');
    expect(await statusOf(publish('U-1'))).toBe(409);
  });

  it('the message published under the second key still correlates to its own subscriber', async () => {
    const key = await start('fid-card-b', 'U-2');
    await t.client.publishMessage({ name: 'fid-card', correlationKey: 'U-2', messageId: 'request-77' });
    expect(await completed([key], 1)).toEqual([key]);
  });
});

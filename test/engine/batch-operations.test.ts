// The batch runner (src/engine/batch-operations.ts) on the engine itself: items applied a chunk at a time with a
// yield between chunks, suspension and cancellation between chunks, and a restart in the middle of a batch that
// neither loses nor repeats an item. The REST shapes are proven over /v2 with the official client in
// test/conformance/zeebe-batch-operations.test.ts.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deploy, openEngine, state, type TestEngine } from './helpers.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function untilFinished(t: TestEngine, key: string) {
  for (let i = 0; i < 200; i++) {
    const b = t.engine.batches.get(key);
    if (b.state !== 'ACTIVE') return b;
    await turn();
  }
  throw new Error('the batch never finished');
}

describe('batch operations on the engine', () => {
  let t: TestEngine;
  let keys: string[];
  beforeEach(async () => {
    t = await openEngine();
    await deploy(t.engine, 'service-task.bpmn');
    keys = [];
    for (let i = 0; i < 120; i++) {
      keys.push(t.engine.createProcessInstance({ processDefinitionId: 'service-task' }).processInstanceKey);
    }
  });
  afterEach(() => t.close());

  test('120 instances are canceled in chunks of 50, yielding between chunks', async () => {
    const { batchOperationKey } = t.engine.batches.create('CANCEL_PROCESS_INSTANCE', {
      processDefinitionId: 'service-task',
    });
    expect(t.engine.batches.get(batchOperationKey)).toMatchObject({
      operationsTotalCount: 120,
      operationsCompletedCount: 0,
    });
    await turn();
    expect(t.engine.batches.get(batchOperationKey).operationsCompletedCount).toBe(50);
    const done = await untilFinished(t, batchOperationKey);
    expect(done).toMatchObject({
      state: 'COMPLETED',
      operationsCompletedCount: 120,
      operationsFailedCount: 0,
    });
    expect(keys.map((k) => state(t.engine, k))).toEqual(keys.map(() => 'TERMINATED'));
  });

  test('a suspended batch applies nothing until it is resumed', async () => {
    const { batchOperationKey } = t.engine.batches.create('CANCEL_PROCESS_INSTANCE', {
      processDefinitionId: 'service-task',
    });
    t.engine.batches.suspend(batchOperationKey);
    for (let i = 0; i < 5; i++) await turn();
    expect(t.engine.batches.get(batchOperationKey)).toMatchObject({
      state: 'SUSPENDED',
      operationsCompletedCount: 0,
    });
    expect(() => t.engine.batches.suspend(batchOperationKey)).toThrow(/suspended/);
    t.engine.batches.resume(batchOperationKey);
    expect((await untilFinished(t, batchOperationKey)).operationsCompletedCount).toBe(120);
  });

  test('a batch canceled after its first chunk leaves the rest untouched and its items CANCELED', async () => {
    const { batchOperationKey } = t.engine.batches.create('CANCEL_PROCESS_INSTANCE', {
      processDefinitionId: 'service-task',
    });
    await turn();
    t.engine.batches.cancel(batchOperationKey);
    for (let i = 0; i < 5; i++) await turn();
    expect(t.engine.batches.get(batchOperationKey)).toMatchObject({
      state: 'CANCELED',
      operationsCompletedCount: 50,
    });
    const items = t.engine.batches.items();
    expect(items.filter((i) => i.state === 'COMPLETED')).toHaveLength(50);
    expect(items.filter((i) => i.state === 'CANCELED')).toHaveLength(70);
    expect(keys.filter((k) => state(t.engine, k) === 'ACTIVE')).toHaveLength(70);
    expect(() => t.engine.batches.resume(batchOperationKey)).toThrow(/canceled/);
  });

  test('a restart in the middle of a batch goes on where it stopped: every instance canceled once', async () => {
    const { batchOperationKey } = t.engine.batches.create('CANCEL_PROCESS_INSTANCE', {
      processDefinitionId: 'service-task',
    });
    await turn();
    const engine = await t.reopen();
    expect(engine.batches.get(batchOperationKey)).toMatchObject({
      state: 'ACTIVE',
      operationsCompletedCount: 50,
    });
    const done = await untilFinished(t, batchOperationKey);
    expect(done).toMatchObject({
      state: 'COMPLETED',
      operationsCompletedCount: 120,
      operationsFailedCount: 0,
    });
    const cancels = engine
      .records({ limit: 100_000 })
      .filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'CANCEL');
    expect(cancels).toHaveLength(120);
    expect(new Set(cancels.map((r) => r.key)).size).toBe(120);
  });

  test('an instance canceled by someone else meanwhile is a FAILED item with the reason', async () => {
    const { batchOperationKey } = t.engine.batches.create('CANCEL_PROCESS_INSTANCE', {
      processDefinitionId: 'service-task',
    });
    t.engine.cancelProcessInstance(keys[119]!);
    const done = await untilFinished(t, batchOperationKey);
    expect(done).toMatchObject({
      state: 'PARTIALLY_COMPLETED',
      operationsCompletedCount: 119,
      operationsFailedCount: 1,
    });
    const failed = t.engine.batches.items().find((i) => i.state === 'FAILED');
    expect(failed?.processInstanceKey).toBe(keys[119]);
    expect(failed?.errorMessage).toContain('no such process was found');
  });
});

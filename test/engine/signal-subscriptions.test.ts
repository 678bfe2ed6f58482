// Signal subscriptions are engine state (issue #14 §2): they survive a restart, and they are deleted when their
// scope ends — Zeebe's SIGNAL_SUBSCRIPTION CREATED / DELETED records, read from the engine's event log.
// https://docs.camunda.io/docs/components/concepts/signals/#signal-subscriptions
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openEngine, state, type TestEngine } from './helpers.ts';
import { chain, definitions, serviceTask } from './signal-support.ts';

const xml = definitions(
  'defs-sig-durable',
  `<bpmn:signal id="s" name="durable-go" />
<bpmn:process id="sig-durable" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${serviceTask('work', 'durable-work')}
  <bpmn:boundaryEvent id="note" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="s" /></bpmn:boundaryEvent>
  <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="s" /></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" /><bpmn:endEvent id="noted" />
  ${chain('start', 'work', 'wait', 'end')}
  ${chain('note', 'noted')}
</bpmn:process>`,
);

/** Open subscriptions of an instance: created minus deleted, by the event log. */
function openSubscriptions(t: TestEngine, pi: string): string[] {
  const open = new Map<string, string>();
  for (const r of t.engine.records({ processInstanceKey: pi, limit: 10_000 })) {
    if (r.valueType !== 'SIGNAL_SUBSCRIPTION') continue;
    if (r.intent === 'CREATED') open.set(r.key, r.elementId!);
    if (r.intent === 'DELETED') open.delete(r.key);
  }
  return [...open.values()];
}

describe('signal subscriptions', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await t.engine.deploy([{ name: 'durable.bpmn', content: xml }]);
  });
  afterEach(() => t.close());

  test('survive a restart of the engine and close with their holder', async () => {
    const { processInstanceKey: pi } = t.engine.createProcessInstance({ processDefinitionId: 'sig-durable' });
    expect(openSubscriptions(t, pi)).toEqual(['note']);
    const engine = await t.reopen();
    engine.broadcastSignal({ signalName: 'durable-go' });
    expect(openSubscriptions(t, pi)).toEqual(['note']);
    const [job] = engine.activateJobs({
      type: 'durable-work',
      worker: 'w',
      maxJobsToActivate: 1,
      timeout: 1000,
    });
    engine.completeJob(job!.jobKey);
    // the task's boundary subscription closed with it; the catch event holds its own now
    expect(openSubscriptions(t, pi)).toEqual(['wait']);
    engine.broadcastSignal({ signalName: 'durable-go' });
    expect(state(engine, pi)).toBe('COMPLETED');
    expect(openSubscriptions(t, pi)).toEqual([]);
  });

  test('are deleted when the instance is cancelled', () => {
    const { processInstanceKey: pi } = t.engine.createProcessInstance({ processDefinitionId: 'sig-durable' });
    t.engine.cancelProcessInstance(pi);
    expect(openSubscriptions(t, pi)).toEqual([]);
  });
});

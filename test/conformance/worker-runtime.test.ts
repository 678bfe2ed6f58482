// The worker runtime through the official client's job worker, against the embedded engine over HTTP:
// complete, fail with a message, BPMN error, refused variables, a throwing handler, graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient } from '../../src/camunda/client.ts';
import { type RunningWorkers, startWorkers } from '../../src/camunda/worker-runtime.ts';
import { VALIDATION } from './target.ts';
import { consistency, definition, k, quiet, until, useWorkerTarget } from './worker-fixture.ts';

const target = useWorkerTarget();

describe('worker runtime', () => {
  let running: RunningWorkers;

  beforeAll(() => {
    const client = createCamundaClient(target.t.config, { validation: VALIDATION });
    running = startWorkers(client, [definition], { logger: quiet, pollTimeoutMs: 500 });
  });

  afterAll(async () => {
    await running.stop(100);
  });

  const start = async (variables: Record<string, unknown>) =>
    String(
      (await target.t.client.createProcessInstance({ processDefinitionId: 'conformance-service', variables }))
        .processInstanceKey,
    );

  const state = (pik: string) =>
    until(
      () => target.t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistency),
      (p) => p.state !== 'ACTIVE' || p.hasIncident,
    );

  it('completes with the handler variables', async () => {
    const pik = await start({ mode: 'complete' });
    expect((await state(pik)).state).toBe('COMPLETED');
    const vars = await target.t.client.searchVariables(
      { filter: { processInstanceKey: k(pik), name: 'handledBy' } },
      consistency,
    );
    expect(vars.items[0]?.value).toBe('"conf.work"');
  });

  it('throws a BPMN error that the boundary event catches', async () => {
    const pik = await start({ mode: 'error' });
    expect((await state(pik)).state).toBe('COMPLETED');
    const handled = await target.t.client.searchElementInstances(
      { filter: { processInstanceKey: k(pik), elementId: k('handled') } },
      consistency,
    );
    expect(handled.items).toHaveLength(1);
  });

  it('a handler that throws fails the job with its message until an incident shows it', async () => {
    const pik = await start({ mode: 'throw' });
    const pi = await state(pik);
    expect(pi.hasIncident).toBe(true);
    const incidents = await target.t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik) } },
      consistency,
    );
    expect(incidents.items?.[0]?.errorMessage).toBe('the registry is down');
  });

  it('refused variables fail the job at once, naming the variable', async () => {
    const pik = await start({ mode: 42 });
    expect((await state(pik)).hasIncident).toBe(true);
    const incidents = await target.t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik) } },
      consistency,
    );
    expect(incidents.items?.[0]?.errorMessage).toBe('Invalid variables: mode must be a string, but was 42');
  });

  it('two handlers for one job type are refused', () => {
    const client = createCamundaClient(target.t.config);
    expect(() => startWorkers(client, [definition, definition], { logger: quiet })).toThrow(/conf.work/);
  });
});

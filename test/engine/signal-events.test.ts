// Signal events (issue #14 §2), over /v2 with the official client at strict validation.
// Camunda 8.8: https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/ (start, intermediate catch and
// throw, boundary, end, event sub-process start; "Signal subscriptions only exist for the latest version of a
// process definition"), https://docs.camunda.io/docs/components/concepts/signals/ (a broadcast triggers every
// subscription of the name), https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/
// (POST /v2/signals/broadcast: signalName, variables, tenantId → signalKey, tenantId).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistent } from '../conformance/fidelity.ts';
import {
  chain,
  completeJob,
  definitions,
  deployXml,
  elementIds,
  instanceState,
  instancesOf,
  k,
  refusal,
  serviceTask,
  start,
  startTarget,
  type Target,
  variables,
} from './signal-support.ts';

let t: Target;

const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;
const def = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}" />`;

const startProcess = (id: string) =>
  `<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="${id}-start">${def('s-new')}</bpmn:startEvent>
  <bpmn:endEvent id="${id}-end" />
  ${chain(`${id}-start`, `${id}-end`)}
</bpmn:process>`;

const models = {
  starts: definitions(
    'defs-sig-start',
    `${signal('s-new', 'fid-new-regulation')}
${startProcess('sig-start-a')}
${startProcess('sig-start-b')}`,
  ),
  catching: definitions(
    'defs-sig-catch',
    `${signal('s-go', 'fid-go')}
<bpmn:process id="sig-catch" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:intermediateCatchEvent id="wait">${def('s-go')}</bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" />
  ${chain('start', 'wait', 'end')}
</bpmn:process>`,
  ),
  boundary: definitions(
    'defs-sig-boundary',
    `${signal('s-stop', 'fid-stop')}${signal('s-note', 'fid-note')}
<bpmn:process id="sig-boundary" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${serviceTask('work', 'sig-work')}
  <bpmn:boundaryEvent id="stop" attachedToRef="work">${def('s-stop')}</bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="note" attachedToRef="work" cancelActivity="false">${def('s-note')}</bpmn:boundaryEvent>
  <bpmn:endEvent id="end" /><bpmn:endEvent id="stopped" /><bpmn:endEvent id="noted" />
  ${chain('start', 'work', 'end')}
  ${chain('stop', 'stopped')}
  ${chain('note', 'noted')}
</bpmn:process>`,
  ),
  subProcess: definitions(
    'defs-sig-esp',
    `${signal('s-remind', 'fid-remind')}${signal('s-cancel', 'fid-cancel')}
<bpmn:process id="sig-esp" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${serviceTask('work', 'sig-esp-work')}
  <bpmn:endEvent id="end" />
  ${chain('start', 'work', 'end')}
  <bpmn:subProcess id="remind" triggeredByEvent="true">
    <bpmn:startEvent id="remindStart" isInterrupting="false">${def('s-remind')}</bpmn:startEvent>
    <bpmn:endEvent id="reminded" />
    ${chain('remindStart', 'reminded')}
  </bpmn:subProcess>
  <bpmn:subProcess id="cancel" triggeredByEvent="true">
    <bpmn:startEvent id="cancelStart">${def('s-cancel')}</bpmn:startEvent>
    <bpmn:endEvent id="cancelled" />
    ${chain('cancelStart', 'cancelled')}
  </bpmn:subProcess>
</bpmn:process>`,
  ),
  gateway: definitions(
    'defs-sig-gw',
    `${signal('s-first', 'fid-first')}
<bpmn:process id="sig-gateway" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:eventBasedGateway id="gw" />
  <bpmn:intermediateCatchEvent id="bySignal">${def('s-first')}</bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="byTimer"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" /><bpmn:endEvent id="late" />
  ${chain('start', 'gw', 'bySignal', 'end')}
  ${chain('gw', 'byTimer', 'late')}
</bpmn:process>`,
  ),
  thrower: definitions(
    'defs-sig-throw',
    `${signal('s-go', 'fid-go')}${signal('s-done', 'fid-thrown-end')}
<bpmn:process id="sig-thrower" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:intermediateThrowEvent id="announce">
    <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;from thrower&quot;" target="origin" /></zeebe:ioMapping></bpmn:extensionElements>
    ${def('s-go')}
  </bpmn:intermediateThrowEvent>
  <bpmn:endEvent id="done">${def('s-done')}</bpmn:endEvent>
  ${chain('start', 'announce', 'done')}
</bpmn:process>
<bpmn:process id="sig-end-listener" isExecutable="true">
  <bpmn:startEvent id="l-start" />
  <bpmn:intermediateCatchEvent id="l-wait">${def('s-done')}</bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="l-end" />
  ${chain('l-start', 'l-wait', 'l-end')}
</bpmn:process>`,
  ),
};

beforeAll(async () => {
  t = await startTarget();
  for (const [name, xml] of Object.entries(models)) await deployXml(t, `${name}.bpmn`, xml);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('POST /v2/signals/broadcast', () => {
  it('answers the signal key and tenant, and a signal start event of each process starts one instance with the variables', async () => {
    const beforeA = await instancesOf(t, 'sig-start-a');
    const beforeB = await instancesOf(t, 'sig-start-b');
    const r = await t.client.broadcastSignal({
      signalName: 'fid-new-regulation',
      variables: { clause: 'G-3' },
    });
    expect(String(r.signalKey)).toMatch(/^\d+$/);
    expect(r.tenantId).toBe('<default>');
    const a = (await instancesOf(t, 'sig-start-a')).filter((key) => !beforeA.includes(key));
    const b = (await instancesOf(t, 'sig-start-b')).filter((key) => !beforeB.includes(key));
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(await instanceState(t, a[0]!)).toBe('COMPLETED');
    expect(await variables(t, b[0]!)).toEqual({ clause: 'G-3' });
  });

  it('a broadcast without a signal name is 400 naming signalName; a cross-site one is 403 and starts nothing', async () => {
    const before = await instancesOf(t, 'sig-start-a');
    const json = { 'content-type': 'application/json' };
    const bad = await t.raw('/signals/broadcast', { method: 'POST', headers: json, body: '{}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('signalName');
    const crossSite = await t.raw('/signals/broadcast', {
      method: 'POST',
      headers: { ...json, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ signalName: 'fid-new-regulation' }),
    });
    expect(crossSite.status).toBe(403);
    expect(await instancesOf(t, 'sig-start-a')).toEqual(before);
  });

  it('a signal nobody subscribes to is accepted and changes nothing', async () => {
    const r = await t.client.broadcastSignal({ signalName: 'fid-nobody-listens' });
    expect(String(r.signalKey)).toMatch(/^\d+$/);
  });

  it('a start event signal name may be an expression, evaluated at deployment; one that gives no string is refused', async () => {
    const named = (id: string, name: string) =>
      definitions(
        `defs-${id}`,
        `<bpmn:signal id="s-${id}" name="${name}" />
<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="start">${def(`s-${id}`)}</bpmn:startEvent>
  <bpmn:endEvent id="end" />
  ${chain('start', 'end')}
</bpmn:process>`,
      );
    await deployXml(t, 'sig-expr.bpmn', named('sig-expr', '=&quot;fid-&quot; + &quot;computed&quot;'));
    await t.client.broadcastSignal({ signalName: 'fid-computed' });
    expect(await instancesOf(t, 'sig-expr')).toHaveLength(1);
    const r = await refusal(t, 'sig-null.bpmn', named('sig-null', '=nothing.here'));
    expect(r.status).toBe(400);
    expect(r.detail).toContain("signal name of start event 'start' in process 'sig-null'");
  });

  it('a new version takes over the start subscription: the broadcast starts the latest version only', async () => {
    const v2 = models.starts.replaceAll('-end" />', '-end" name="v2" />');
    const d = await deployXml(t, 'starts.bpmn', v2);
    expect(d.deployments.map((x) => x.processDefinition?.processDefinitionVersion)).toEqual([2, 2]);
    const before = await instancesOf(t, 'sig-start-a');
    await t.client.broadcastSignal({ signalName: 'fid-new-regulation' });
    const started = (await instancesOf(t, 'sig-start-a')).filter((key) => !before.includes(key));
    expect(started).toHaveLength(1);
    const got = await t.client.getProcessInstance({ processInstanceKey: k(started[0]!) }, consistent());
    expect(got.processDefinitionVersion).toBe(2);
  });
});

describe('signal catch events', () => {
  it('every instance waiting at an intermediate catch event goes on, with the signal variables', async () => {
    const one = await start(t, 'sig-catch');
    const two = await start(t, 'sig-catch');
    expect(await elementIds(t, one, 'ACTIVE')).toEqual(['sig-catch', 'wait']);
    await t.client.broadcastSignal({ signalName: 'fid-go', variables: { go: true } });
    expect(await instanceState(t, one)).toBe('COMPLETED');
    expect(await instanceState(t, two)).toBe('COMPLETED');
    expect(await variables(t, two)).toEqual({ go: true });
  });

  it('a non-interrupting boundary event fires at each broadcast while the task goes on; an interrupting one ends the task', async () => {
    const pi = await start(t, 'sig-boundary');
    await t.client.broadcastSignal({ signalName: 'fid-note' });
    await t.client.broadcastSignal({ signalName: 'fid-note' });
    expect(await elementIds(t, pi, 'ACTIVE')).toEqual(['sig-boundary', 'work']);
    expect((await elementIds(t, pi, 'COMPLETED')).filter((id) => id === 'noted')).toHaveLength(2);
    await t.client.broadcastSignal({ signalName: 'fid-stop' });
    expect(await elementIds(t, pi, 'TERMINATED')).toEqual(['work']);
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    expect(await elementIds(t, pi, 'COMPLETED')).toContain('stopped');
  });

  it('the boundary subscriptions close with their task: a later broadcast does not reach a completed task', async () => {
    const pi = await start(t, 'sig-boundary');
    await completeJob(t, 'sig-work');
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    await t.client.broadcastSignal({ signalName: 'fid-stop' });
    await t.client.broadcastSignal({ signalName: 'fid-note' });
    expect(await elementIds(t, pi, 'COMPLETED')).toEqual(['sig-boundary', 'start', 'work', 'end']);
  });

  it('a non-interrupting event sub-process runs beside the work; an interrupting one ends it', async () => {
    const pi = await start(t, 'sig-esp');
    await t.client.broadcastSignal({ signalName: 'fid-remind' });
    expect(await elementIds(t, pi, 'ACTIVE')).toEqual(['sig-esp', 'work']);
    expect(await elementIds(t, pi, 'COMPLETED')).toEqual(
      expect.arrayContaining(['remind', 'remindStart', 'reminded']),
    );
    await t.client.broadcastSignal({ signalName: 'fid-cancel' });
    expect(await elementIds(t, pi, 'TERMINATED')).toEqual(['work']);
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    expect(await elementIds(t, pi, 'COMPLETED')).toEqual(expect.arrayContaining(['cancel', 'cancelled']));
  });
});

describe('signal catch events after an event-based gateway', () => {
  it('the signal wins the race: its flow is taken and the timer is cancelled', async () => {
    const pi = await start(t, 'sig-gateway');
    expect(await elementIds(t, pi, 'ACTIVE')).toEqual(['sig-gateway', 'gw']);
    await t.client.broadcastSignal({ signalName: 'fid-first' });
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    expect(await elementIds(t, pi, 'COMPLETED')).toEqual(['sig-gateway', 'start', 'gw', 'bySignal', 'end']);
  });
});

describe('signal throw events', () => {
  it('an intermediate throw event broadcasts with its input mappings as variables; an end event broadcasts too', async () => {
    const waiting = await start(t, 'sig-catch');
    const listener = await start(t, 'sig-end-listener');
    const thrower = await start(t, 'sig-thrower');
    expect(await instanceState(t, thrower)).toBe('COMPLETED');
    expect(await instanceState(t, waiting)).toBe('COMPLETED');
    expect(await variables(t, waiting)).toEqual({ origin: 'from thrower' });
    expect(await instanceState(t, listener)).toBe('COMPLETED');
  });
});

// Link events (issue #14 §2), over /v2 with the official client at strict validation.
// Camunda 8.8, https://docs.camunda.io/docs/components/modeler/bpmn/link-events/ — a link throw event continues
// at the link catch event of the same name in the same scope; Zeebe's deployment refuses a throw event without
// its catch event ("Intermediate throw and catch link event definitions must appear in pairs.") and two catch
// events of one name (ZeebeLinkEventValidator).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chain,
  completeJob,
  definitions,
  deployXml,
  elementIds,
  instanceState,
  refusal,
  serviceTask,
  start,
  startTarget,
  type Target,
} from './signal-support.ts';

let t: Target;

const throwLink = (id: string, name: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateThrowEvent>`;
const catchLink = (id: string, name: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateCatchEvent>`;

const linked = definitions(
  'defs-link',
  `<bpmn:process id="link-process" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${throwLink('goToReview', 'review')}
  ${catchLink('review', 'review')}
  ${serviceTask('check', 'link-check')}
  <bpmn:endEvent id="end" />
  ${chain('start', 'goToReview')}
  ${chain('review', 'check', 'end')}
  <bpmn:subProcess id="sub">
    <bpmn:startEvent id="subStart" />
    ${throwLink('subThrow', 'review')}
    ${catchLink('subCatch', 'review')}
    <bpmn:endEvent id="subEnd" />
    ${chain('subStart', 'subThrow')}
    ${chain('subCatch', 'subEnd')}
  </bpmn:subProcess>
  ${chain('check', 'sub')}
</bpmn:process>`.replace(`${chain('check', 'end')}`, ''),
);

const join = definitions(
  'defs-link-join',
  `<bpmn:process id="link-join" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:parallelGateway id="fork" />
  ${serviceTask('a', 'link-join-a')}
  ${throwLink('toJoin', 'join')}
  ${catchLink('fromA', 'join')}
  <bpmn:inclusiveGateway id="joinGw" />
  <bpmn:endEvent id="end" />
  ${chain('start', 'fork', 'a', 'toJoin')}
  ${chain('fromA', 'joinGw', 'end')}
  ${chain('fork', 'joinGw')}
</bpmn:process>`,
);

beforeAll(async () => {
  t = await startTarget();
  await deployXml(t, 'link.bpmn', linked);
  await deployXml(t, 'link-join.bpmn', join);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('link events', () => {
  it('the token jumps from the throw event to the catch event of the same name, in its own scope', async () => {
    const pi = await start(t, 'link-process');
    // the throw event completed and the catch event passed: the task after it waits
    expect(await elementIds(t, pi, 'ACTIVE')).toEqual(['link-process', 'check']);
    expect(await elementIds(t, pi, 'COMPLETED')).toEqual(['start', 'goToReview', 'review']);
    await completeJob(t, 'link-check');
    // inside the sub-process the same link name leads to the sub-process's own catch event
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    const done = await elementIds(t, pi, 'COMPLETED');
    expect(done).toEqual(expect.arrayContaining(['sub', 'subStart', 'subThrow', 'subCatch', 'subEnd']));
    expect(done.filter((id) => id === 'review')).toHaveLength(1);
  });

  it('an inclusive join waits for a token that can still reach it through a link', async () => {
    const pi = await start(t, 'link-join');
    expect(await elementIds(t, pi, 'ACTIVE')).toEqual(['link-join', 'a']);
    expect(await elementIds(t, pi, 'COMPLETED')).not.toContain('joinGw');
    await completeJob(t, 'link-join-a');
    expect(await instanceState(t, pi)).toBe('COMPLETED');
    expect((await elementIds(t, pi, 'COMPLETED')).filter((id) => id === 'joinGw')).toHaveLength(1);
  });

  it('a throw event without a catch event of its name is refused at deployment, naming the rule', async () => {
    const xml = definitions(
      'defs-link-unpaired',
      `<bpmn:process id="link-unpaired" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${throwLink('goThere', 'there')}
  ${catchLink('elsewhere', 'elsewhere')}
  <bpmn:endEvent id="end" />
  ${chain('start', 'goThere')}
  ${chain('elsewhere', 'end')}
</bpmn:process>`,
    );
    const r = await refusal(t, 'link-unpaired.bpmn', xml);
    expect(r.status).toBe(400);
    expect(r.detail).toContain('Intermediate throw and catch link event definitions must appear in pairs.');
  });

  it('a throw event whose catch event is in another scope is refused', async () => {
    const xml = definitions(
      'defs-link-scope',
      `<bpmn:process id="link-scope" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${throwLink('goIn', 'inside')}
  <bpmn:subProcess id="sub">
    <bpmn:startEvent id="subStart" />
    ${catchLink('inside', 'inside')}
    <bpmn:endEvent id="subEnd" />
    ${chain('subStart', 'subEnd')}
    ${chain('inside', 'subEnd').replace('f-inside-subEnd', 'f2')}
  </bpmn:subProcess>
  <bpmn:endEvent id="end" />
  ${chain('start', 'goIn')}
</bpmn:process>`,
    );
    const r = await refusal(t, 'link-scope.bpmn', xml);
    expect(r.status).toBe(400);
    expect(r.detail).toContain('must appear in pairs');
  });

  it('a link catch event after an event-based gateway is refused, as Zeebe refuses it', async () => {
    const xml = definitions(
      'defs-link-gw',
      `<bpmn:process id="link-gw" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:eventBasedGateway id="gw" />
  ${catchLink('viaLink', 'gw-link')}
  <bpmn:intermediateCatchEvent id="byTimer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  ${throwLink('goGw', 'gw-link')}
  <bpmn:endEvent id="end" />
  ${chain('start', 'gw', 'viaLink', 'end')}
  ${chain('gw', 'byTimer', 'goGw')}
</bpmn:process>`,
    );
    const r = await refusal(t, 'link-gw.bpmn', xml);
    expect(r.status).toBe(400);
    expect(r.detail).toContain("Event-based gateway 'gw'");
  });

  it('two catch events of one link name are refused', async () => {
    const xml = definitions(
      'defs-link-twice',
      `<bpmn:process id="link-twice" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${throwLink('go', 'twice')}
  ${catchLink('one', 'twice')}
  ${catchLink('two', 'twice')}
  <bpmn:endEvent id="end" />
  ${chain('start', 'go')}
  ${chain('one', 'end')}
  ${chain('two', 'end').replace('f-two-end', 'f3')}
</bpmn:process>`,
    );
    const r = await refusal(t, 'link-twice.bpmn', xml);
    expect(r.status).toBe(400);
    expect(r.detail).toContain(
      "Multiple intermediate catch link event definitions with the same name 'twice'",
    );
  });
});

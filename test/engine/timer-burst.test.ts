// A burst of timers due at the same instant (issue 17): they fire in batches that share one transaction,
// each timer's work in its own savepoint. Every timer fires exactly once; a timer whose path fails does not
// undo the others of its batch (a step that cannot go on becomes an incident, as one at a time); the
// scheduler's own passes leave the event loop to other work between batches; a SIGKILL in the middle of the
// burst loses nothing and fires nothing twice (timer-burst-child.ts). Zeebe fires each due timer as a
// TIMER TRIGGER command of its own (docs.camunda.io/docs/next/components/modeler/bpmn/timer-events/, 8.8: "When
// the timer is triggered, the catch event is completed and the process instance continues"); a batch changes
// how many commits carry them, not what each does.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { openEngine, T0, type TestEngine } from './helpers.ts';

const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

/** Waits for a timer, then an exclusive gateway without a default: `ok = false` has no way out (an incident). */
const BURST_MODEL = bpmn(
  'burst',
  `<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDate>=due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g"/><bpmn:exclusiveGateway id="g"/>
  <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:endEvent id="e"/>`,
);

const DUE = new Date(T0 + 60_000).toISOString();

function createBurst(engine: Engine, count: number, failing: (i: number) => boolean = () => false) {
  const keys: string[] = [];
  for (let i = 0; i < count; i++)
    keys.push(
      engine.createProcessInstance({
        processDefinitionId: 'burst',
        variables: { due: DUE, ok: !failing(i) },
      }).processInstanceKey,
    );
  return keys;
}

/** How many times each timer was triggered, by the event log. */
function triggersPerTimer(engine: Engine): Map<string, number> {
  const counts = new Map<string, number>();
  let after = 0;
  for (;;) {
    const page = engine.records({ afterPosition: after, limit: 1000 });
    if (page.length === 0) return counts;
    for (const r of page)
      if (r.valueType === 'TIMER' && r.intent === 'TRIGGERED')
        counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
    after = page[page.length - 1]!.position;
  }
}

function states(engine: Engine, keys: string[]) {
  const byState = new Map<string, number>();
  for (const key of keys) {
    const s = engine.getProcessInstance(key).state;
    byState.set(s, (byState.get(s) ?? 0) + 1);
  }
  return Object.fromEntries(byState);
}

describe('a burst of timers due at the same instant', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
    await t.engine.deploy([{ name: 'burst.bpmn', content: BURST_MODEL }]);
  });
  afterEach(() => t.close());

  test('1,200 timers due at once fire exactly once each, several per commit', () => {
    // given
    const keys = createBurst(t.engine, 1200);
    const batches: number[] = [];
    t.engine.onTimersFired((n) => batches.push(n));
    // when
    t.engine.advanceClock(60_000);
    // then
    expect(states(t.engine, keys)).toEqual({ COMPLETED: 1200 });
    const triggers = triggersPerTimer(t.engine);
    expect(triggers.size).toBe(1200);
    expect([...triggers.values()].every((n) => n === 1)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(batches.length).toBeLessThan(1200 / 10);
    expect(Math.max(...batches)).toBeLessThanOrEqual(500);
  });

  test('a timer whose path fails becomes an incident and does not undo the others of its batch', () => {
    // given: every fifth instance has no way out of its gateway
    const keys = createBurst(t.engine, 300, (i) => i % 5 === 0);
    // when
    t.engine.advanceClock(60_000);
    // then
    expect(states(t.engine, keys)).toEqual({ COMPLETED: 240, ACTIVE: 60 });
    const incidents = t.engine.searchIncidents({ page: { limit: 100 } }).items;
    expect(incidents).toHaveLength(60);
    expect(new Set(incidents.map((i) => i.elementId))).toEqual(new Set(['g']));
    expect([...triggersPerTimer(t.engine).values()].filter((n) => n === 1)).toHaveLength(300);
  });

  test('a timer that cannot fire at all is rolled back alone: no trace of it, the others of its batch fire', async () => {
    // given: 200 timers due, and among them one whose process definition is gone from the file
    const keys = createBurst(t.engine, 200);
    t.engine.close();
    const db = new Database(t.file);
    db.prepare(
      `INSERT INTO timers (key, element_instance_key, process_instance_key, process_definition_key, element_id,
        due_date, repetitions, kind, value, interrupting) VALUES (?, NULL, NULL, ?, 'start', ?, 0, 'date', ?, 1)`,
    ).run(1, 987_654_321, T0 + 30_000, DUE);
    db.close();
    const engine = await t.reopen();
    // when
    engine.advanceClock(60_000);
    // then
    expect(states(engine, keys)).toEqual({ COMPLETED: 200 });
    const triggers = triggersPerTimer(engine);
    expect(triggers.has('1')).toBe(false);
    expect(triggers.size).toBe(200);
    expect(engine.read((it) => it.state.timers.get(1))).toBeUndefined();
  });

  test("savepoint journals stay in memory (a timer's savepoint spilled to a temporary file: half a burst's CPU)", () => {
    expect(t.engine.read((it) => it.db.sqlite.pragma('temp_store', { simple: true }))).toBe(2);
  });

  test("the scheduler's own passes leave the event loop to other work between batches", async () => {
    // given: 1,500 timers overdue in a file opened without its scheduler
    const keys = createBurst(t.engine, 1500);
    t.engine.close();
    const clock = new EngineClock();
    clock.pin(T0 + 60_000);
    const engine = await Engine.open({ file: t.file, clock, synchronous: 'NORMAL', scheduler: false });
    t.engine = engine;
    let fired = 0;
    engine.onTimersFired((n) => {
      fired += n;
    });
    // when: the scheduler starts, and another command asks in the next turn of the event loop
    engine.startScheduler();
    const between = await new Promise<{ fired: number; created: string }>((resolve) =>
      setImmediate(() =>
        resolve({
          fired,
          created: engine.createProcessInstance({
            processDefinitionId: 'burst',
            variables: { due: new Date(T0 + 3_600_000).toISOString(), ok: true },
          }).processInstanceKey,
        }),
      ),
    );
    while (fired < 1500) await new Promise((r) => setTimeout(r, 10));
    // then: the command ran while timers were still due, and every timer fired once
    expect(between.fired).toBeGreaterThan(0);
    expect(between.fired).toBeLessThan(1500);
    expect(engine.getProcessInstance(between.created).state).toBe('ACTIVE');
    expect(states(engine, keys)).toEqual({ COMPLETED: 1500 });
    expect([...triggersPerTimer(engine).values()].every((n) => n === 1)).toBe(true);
  });
});

const CHILD = join(import.meta.dirname, 'timer-burst-child.ts');

function startChild(file: string): { child: ChildProcess; firing: Promise<void>; done: Promise<boolean> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onFiring = () => {};
  const firing = new Promise<void>((r) => {
    onFiring = r;
  });
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.includes('FIRED')) onFiring();
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const done = new Promise<boolean>((resolve) => {
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`burst child failed (${code}): ${err}\n`);
      onFiring();
      resolve(out.includes('DONE'));
    });
  });
  return { child, firing, done };
}

test('SIGKILL in the middle of a burst: after the restarts every timer has fired exactly once', async () => {
  // given: 2,000 timers that were due an hour ago, in a file with FULL durability
  const t = await openEngine();
  try {
    t.engine.close();
    const clock = new EngineClock();
    const past = Date.now() - 7_200_000;
    clock.pin(past);
    const setup = await Engine.open({ file: t.file, clock, synchronous: 'FULL' });
    await setup.deploy([{ name: 'burst.bpmn', content: BURST_MODEL }]);
    const keys: string[] = [];
    const due = new Date(past + 3_600_000).toISOString();
    for (let i = 0; i < 2000; i++)
      keys.push(
        setup.createProcessInstance({ processDefinitionId: 'burst', variables: { due, ok: true } })
          .processInstanceKey,
      );
    setup.close();
    // when: the engine opens on the real clock and fires them; it is killed at random moments while it does
    const { random } = seededRandom('timer burst');
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const { child, firing, done } = startChild(t.file);
      await firing;
      await new Promise((r) => setTimeout(r, random() * 60));
      if (child.exitCode !== null) break;
      child.kill('SIGKILL');
      await done;
      kills++;
    }
    const last = startChild(t.file);
    const finished = await Promise.race([
      last.done,
      new Promise<boolean>((r) => setTimeout(() => r(false), 120_000)),
    ]);
    if (!finished) last.child.kill('SIGKILL');
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThan(0);
    // then
    const engine = await Engine.open({ file: t.file, scheduler: false });
    try {
      expect(states(engine, keys)).toEqual({ COMPLETED: 2000 });
      const triggers = triggersPerTimer(engine);
      expect(triggers.size).toBe(2000);
      expect([...triggers.values()].every((n) => n === 1)).toBe(true);
      const ends = new Map<string, number>();
      let after = 0;
      for (;;) {
        const page = engine.records({ afterPosition: after, limit: 1000 });
        if (page.length === 0) break;
        for (const r of page)
          if (r.elementId === 'e' && r.intent === 'ELEMENT_COMPLETED')
            ends.set(r.processInstanceKey!, (ends.get(r.processInstanceKey!) ?? 0) + 1);
        after = page[page.length - 1]!.position;
      }
      expect(ends.size).toBe(2000);
      expect([...ends.values()].every((n) => n === 1)).toBe(true);
    } finally {
      engine.close();
    }
  } finally {
    t.close();
  }
}, 180_000);

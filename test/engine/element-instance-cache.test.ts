// The element-instance rows a transaction reads are cached for it (issue 17: a timer's path read the same rows
// about nine times, state/elementInstances.ts). The cache must never show what SQLite does not hold: a savepoint
// rolled back — a timer of a batch, a command of a group commit — drops it, so that the next timer or command
// reads the rows as they are; a write of element_instances by another module drops it; it ends with its
// transaction; a caller gets a copy it may change, as each read used to return a row of its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import type { Db } from '../../src/engine/state/db.ts';
import { ElementInstanceState } from '../../src/engine/state/elementInstances.ts';
import { THREE_TASKS } from './group-commit-model.ts';
import { openEngine, schemaDb, T0, type TestEngine } from './helpers.ts';

const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

const timer = (id: string) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeDate>=due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;

/** A task with two interrupting boundary timers due at the same instant, each leading to its own end event. */
const TWO_TIMERS = bpmn(
  'two-timers',
  `<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
  <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>
  ${timer('b1')}${timer('b2')}
  <bpmn:sequenceFlow id="f2" sourceRef="b1" targetRef="e1"/><bpmn:endEvent id="e1"/>
  <bpmn:sequenceFlow id="f3" sourceRef="b2" targetRef="e2"/><bpmn:endEvent id="e2"/>`,
);

let t: TestEngine | null = null;
afterEach(() => {
  t?.close();
  t = null;
});

function elementRecords(engine: TestEngine['engine'], processInstanceKey: string) {
  return engine
    .records({ limit: 100_000 })
    .filter((r) => String(r.processInstanceKey) === processInstanceKey);
}

describe('the element-instance cache of a transaction', () => {
  test('a timer of a batch rolled back after changing rows: the next timer of the batch reads them as they are', async () => {
    // given: one task with two boundary timers due together; the first timer's path fails (a SQLite error, not an
    // incident) after it has terminated the task, so its savepoint rolls back and the task is active again
    t = await openEngine();
    const engine = t.engine;
    await engine.deploy([{ name: 'two.bpmn', content: TWO_TIMERS }]);
    const due = new Date(T0 + 60_000).toISOString();
    const pi = engine.createProcessInstance({ processDefinitionId: 'two-timers', variables: { due } });
    engine.read((it) =>
      it.db.sqlite.exec(
        `CREATE TEMP TRIGGER poison BEFORE INSERT ON main.element_instances WHEN NEW.element_id = 'e1'
         BEGIN SELECT RAISE(ABORT, 'poisoned path'); END`,
      ),
    );
    // when: both fire in one batch
    engine.advanceClock(60_000);
    // then: the second timer found the task active (not the rolled-back TERMINATED) and interrupted it
    expect(engine.getProcessInstance(pi.processInstanceKey).state).toBe('COMPLETED');
    const log = elementRecords(engine, pi.processInstanceKey);
    const completed = log.filter((r) => r.intent === 'ELEMENT_COMPLETED').map((r) => r.elementId);
    expect(completed).toContain('e2');
    expect(completed).not.toContain('e1');
    expect(completed).not.toContain('b1');
    // the rolled-back timer left no record: one trigger in the event log, the second timer's
    expect(log.filter((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')).toHaveLength(1);
  });

  test('a command of a group commit rolled back after changing rows: the next command of the batch reads them as they are', async () => {
    // given: a job of the first task; its first completion fails (a SQLite error) once the task has completed
    // and its path has reached the second task
    t = await openEngine();
    const engine = t.engine;
    await engine.deploy([{ name: 'three.bpmn', content: THREE_TASKS }]);
    const pi = engine.createProcessInstance({ processDefinitionId: 'three', variables: {} });
    const [job] = engine.activateJobs({ type: 'step', worker: 'w', maxJobsToActivate: 1, timeout: 60_000 });
    engine.read((it) =>
      it.db.sqlite.exec(
        `CREATE TEMP TRIGGER poison BEFORE INSERT ON main.element_instances
         WHEN NEW.element_id = 't2' AND EXISTS (SELECT 1 FROM main.variables WHERE value LIKE '%poison%')
         BEGIN SELECT RAISE(ABORT, 'poisoned path'); END`,
      ),
    );
    // when: two completions of the same job in one batch, the first poisoned
    const settled = await Promise.allSettled([
      engine.submit(() => engine.completeJob(job!.jobKey, { mark: 'poison' })),
      engine.submit(() => engine.completeJob(job!.jobKey, { mark: 'fine' })),
    ]);
    // then: the first rolled back alone; the second completed the task (active again, not COMPLETED from the cache)
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(engine.getVariables(pi.processInstanceKey).mark).toBe('fine');
    const next = engine.activateJobs({ type: 'step', worker: 'w', maxJobsToActivate: 10, timeout: 60_000 });
    expect(next.map((j) => j.elementId)).toEqual(['t2']);
    const log = elementRecords(engine, pi.processInstanceKey);
    expect(log.filter((r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId === 't1')).toHaveLength(1);
  });
});

describe('ElementInstanceState over a Db', () => {
  let db: Db | null = null;
  afterEach(() => {
    db?.close();
    db = null;
  });

  async function withRow() {
    db = await schemaDb();
    const state = new ElementInstanceState(db);
    const row = {
      key: 7,
      processInstanceKey: 1,
      definitionKey: 2,
      elementId: 'a',
      type: 'SERVICE_TASK',
      flowScopeKey: null,
      startDate: T0,
      data: null,
    };
    db.transaction()(() => state.insert(row));
    return { state, db, file: db.sqlite.name };
  }

  test('a savepoint rolled back drops what it wrote', async () => {
    const { state, db } = await withRow();
    db.transaction()(() => {
      expect(state.get(7)?.state).toBe('ACTIVATING');
      expect(() =>
        db.transaction()(() => {
          state.setState(7, 'COMPLETED', T0);
          expect(state.get(7)?.state).toBe('COMPLETED');
          throw new Error('roll back');
        }),
      ).toThrow('roll back');
      expect(state.get(7)?.state).toBe('ACTIVATING');
    });
  });

  test("another module's write of element_instances drops the cache, before and after it runs", async () => {
    const { state, db } = await withRow();
    db.transaction()(() => {
      expect(state.get(7)?.element_id).toBe('a');
      db.q('UPDATE element_instances SET element_id = ? WHERE key = ?').run('b', 7);
      expect(state.get(7)?.element_id).toBe('b');
      // a read between handing out the statement and running it does not survive the write
      const update = db.q('UPDATE element_instances SET element_id = ? WHERE key = ?');
      expect(state.get(7)?.element_id).toBe('b');
      update.run('c', 7);
      expect(state.get(7)?.element_id).toBe('c');
    });
  });

  test('nothing is read from the cache once its transaction has ended', async () => {
    const { state, db, file } = await withRow();
    db.transaction()(() => expect(state.get(7)?.state).toBe('ACTIVATING'));
    const other = new Database(file);
    other.prepare("UPDATE element_instances SET state = 'ACTIVATED' WHERE key = 7").run();
    other.close();
    db.transaction()(() => expect(state.get(7)?.state).toBe('ACTIVATED'));
    expect(state.get(7)?.state).toBe('ACTIVATED');
  });

  test('a caller gets a copy: changing it changes nothing cached', async () => {
    const { state, db } = await withRow();
    db.transaction()(() => {
      const row = state.get(7)!;
      row.state = 'TERMINATED';
      expect(state.get(7)?.state).toBe('ACTIVATING');
    });
  });
});

test('every transaction and savepoint of the engine goes through Db.transaction (which drops the cache on rollback)', () => {
  const root = join(import.meta.dirname, '..', '..', 'src', 'engine');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  const offenders = files(root).filter(
    (f) =>
      !f.endsWith(join('state', 'db.ts')) &&
      /\bsqlite\s*\.\s*transaction\s*\(|\b(?:BEGIN|SAVEPOINT|ROLLBACK)\b/.test(
        readFileSync(f, 'utf8').replace(/\/\/.*$/gm, ''),
      ),
  );
  expect(offenders).toEqual([]);
});

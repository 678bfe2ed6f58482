// Shared test helpers: a fresh engine on a temporary SQLite file with a pinned clock, and fixtures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { Db } from '../../src/engine/state/db.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'engine');
export const T0 = Date.parse('2026-03-02T01:00:00.000Z');

export function fixture(name: string): { name: string; content: string } {
  return { name, content: readFileSync(join(FIXTURES, name), 'utf8') };
}

export interface TestEngine {
  engine: Engine;
  file: string;
  dir: string;
  reopen(): Promise<Engine>;
  close(): void;
}

/** An engine on a fresh file, clock pinned at T0. */
/** A fresh engine file with its schema, the engine closed and the file opened again as a bare Db (the state layer alone). */
export async function schemaDb(): Promise<Db> {
  const h = await openEngine();
  h.engine.close();
  return new Db({ file: h.file });
}

export async function openEngine(): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-'));
  const file = join(dir, 'engine.db');
  const clock = new EngineClock();
  clock.pin(T0);
  const t: TestEngine = {
    engine: await Engine.open({ file, clock, synchronous: 'NORMAL' }),
    file,
    dir,
    async reopen() {
      const at = t.engine.clock.now();
      t.engine.close();
      const c = new EngineClock();
      c.pin(at);
      t.engine = await Engine.open({ file, clock: c, synchronous: 'NORMAL' });
      return t.engine;
    },
    close() {
      t.engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

export async function deploy(engine: Engine, ...names: string[]) {
  return engine.deploy(names.map(fixture));
}

/** Activates and returns the jobs of a type. */
export function jobs(engine: Engine, type: string, max = 100) {
  return engine.activateJobs({ type, worker: 'test', maxJobsToActivate: max, timeout: 60_000 });
}

/** Activates exactly one job of the type and completes it with the variables. */
export function completeOne(engine: Engine, type: string, variables: Record<string, unknown> = {}) {
  const [job] = jobs(engine, type, 1);
  if (!job) throw new Error(`no job of type ${type}`);
  engine.completeJob(job.jobKey, variables);
  return job;
}

export function state(engine: Engine, processInstanceKey: string) {
  return engine.getProcessInstance(processInstanceKey).state;
}

/** Element ids of the instance's element instances in a state, in creation order. */
export function elements(
  engine: Engine,
  processInstanceKey: string,
  st?: 'ACTIVE' | 'COMPLETED' | 'TERMINATED',
) {
  return engine
    .searchElementInstances({
      filter: { processInstanceKey, ...(st ? { state: st } : {}) },
      page: { limit: 1000 },
    })
    .items.map((e) => e.elementId);
}

export function incidents(engine: Engine, processInstanceKey?: string) {
  return engine.searchIncidents({
    filter: { state: 'ACTIVE', ...(processInstanceKey ? { processInstanceKey } : {}) },
  }).items;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

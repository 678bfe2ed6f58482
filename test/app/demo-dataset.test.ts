// `npm run demo`'s data set: a year of the city's work played on the real models with the real workers, ending in
// every stage, with late annual plans and one incident — what a newcomer sees after `npm run demo && npm start`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDataset, type DemoSummary } from '../../src/demo/dataset.ts';
import type { StartProcess } from '../../src/demo/plan.ts';
import { loadRegulation } from '../../src/domain/index.ts';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { readDeployableResources } from '../../src/modeling/catalogue.ts';
import { DocumentStorage } from '../../src/store/documents.ts';
import { Store } from '../../src/store/store.ts';
import { createWorkers } from '../../workers/all.ts';

const until = Date.parse('2026-11-27T10:00:00+08:00');
let dir: string;
let engine: Engine;
let store: Store;
let summary: DemoSummary;
const progress: number[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunfu-demo-'));
  store = await Store.open({ databaseUrl: null, dataDir: dir });
  const clock = new EngineClock();
  clock.pin(until - 420 * 86_400_000);
  engine = await Engine.open({ file: join(dir, 'engine.sqlite'), clock, synchronous: 'NORMAL' });
  await engine.deploy(readDeployableResources());
  const regulation = loadRegulation();
  const workers = (provided: { startProcess: StartProcess }) =>
    createWorkers({
      ...provided,
      regulation,
      now: () => engine.clock.now(),
      store,
      documents: new DocumentStorage(join(dir, 'documents')),
    });
  summary = await buildDemoDataset({
    engine,
    store,
    regulation,
    workers,
    until,
    onProgress: (done) => progress.push(done),
  });
}, 60_000);

afterAll(async () => {
  engine.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo data set', () => {
  it('has the city’s 50 Units and 32 projects, with a progress report for every step', () => {
    expect(summary.units).toBe(50);
    expect(summary.projects).toBe(32);
    expect(progress).toHaveLength(summary.actions);
    expect(progress.at(-1)).toBe(summary.actions);
  });

  it('ends with projects in every stage of the lifecycle', async () => {
    const rows = await store.db.selectFrom('projects').select('stage').execute();
    const stages = new Set(rows.map((r) => r.stage));
    for (const s of [
      'initiation',
      'procurement',
      'implementation',
      'acceptance',
      'closed',
      'rejected',
      'terminated',
    ]) {
      expect(stages, s).toContain(s);
    }
  });

  it('has last year’s campaign with four late filings, and this year’s still open for some Units', async () => {
    const plans = await store.db.selectFrom('annualPlans').select(['planYear', 'onTime']).execute();
    expect(plans.filter((p) => p.planYear === 2026 && !p.onTime)).toHaveLength(4);
    expect(plans.filter((p) => p.planYear === 2026 && p.onTime)).toHaveLength(46);
    expect(plans.filter((p) => p.planYear === 2027)).toHaveLength(40);
    const open = engine.searchUserTasks({
      filter: { state: 'CREATED', elementId: 'Task_FileAnnualPlan' },
      page: { limit: 100 },
    });
    expect(open.page.totalItems).toBe(10);
  });

  it('has one incident for an administrator, saying why', () => {
    const incidents = engine.searchIncidents({ filter: { state: 'ACTIVE' }, page: { limit: 10 } }).items;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.errorMessage).toContain('同时包含公共类与专业类服务');
  });

  it('skips only the steps of paths that were not taken (监理 and testing below their thresholds)', () => {
    for (const s of summary.skipped)
      expect(s).toMatch(/Task_(EngageSupervisor|ThirdPartyTest|SupervisorConfirmCompletion)$/);
  });

  it('has tasks waiting in the reviewers’ inboxes', () => {
    const waiting = engine.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 1000 } }).items;
    const groups = new Set(waiting.flatMap((t) => t.candidateGroups ?? []));
    expect(groups).toContain('bureau-reviewer');
  });

  it('has 公共类 projects the Bureau formed from the Units’ needs, and this autumn’s collection still open', async () => {
    const rows = await store.db
      .selectFrom('projects')
      .select(['name', 'unitId', 'category', 'stage'])
      .where('category', '=', 'public')
      .execute();
    expect(rows.map((r) => [r.name, r.unitId, r.stage])).toEqual(
      expect.arrayContaining([
        ['全市政务云扩容（2026）', 'gongan', 'implementation'],
        ['教育公共支撑平台', 'jiaoyu', 'implementation'],
      ]),
    );
    const open = engine.searchUserTasks({
      filter: { state: 'CREATED', elementId: 'Task_StateUnitNeeds' },
      page: { limit: 10 },
    }).items;
    expect(open.map((t) => t.candidateGroups)).toEqual([['unit-ziranziyuan']]);
  });

  it('gives each project to the Unit whose business it is, and its 初核 sees the plan the campaign board lists', async () => {
    const projects = await store.db
      .selectFrom('projects')
      .select(['id', 'name', 'unitId', 'planYear'])
      .where('category', '=', 'professional')
      .execute();
    const byName = new Map(projects.map((p) => [p.name, p.unitId]));
    expect(byName.get('智慧警务综合指挥平台')).toBe('gongan');
    expect(byName.get('医疗保障智能监管系统')).toBe('yibao');
    expect(byName.get('气象灾害预警发布系统')).toBe('qixiang');
    const plans = await store.db
      .selectFrom('annualPlans')
      .select(['unitId', 'planYear', 'filingNumber'])
      .execute();
    const lifecycles = engine.searchProcessInstances({
      filter: { processDefinitionId: 'project-lifecycle' },
      page: { limit: 100 },
    }).items;
    const seen = new Map(
      lifecycles.map((pi) => {
        const v = engine.getVariables(pi.processInstanceKey);
        return [v.projectId as string, v.annualPlanFilingNumber as string | null];
      }),
    );
    for (const p of projects) {
      const plan = plans.find((x) => x.unitId === p.unitId && x.planYear === p.planYear);
      expect(plan, `${p.name}: ${p.unitId}'s ${p.planYear} plan`).toBeDefined();
      expect(seen.get(p.id), p.name).toBe(plan!.filingNumber);
    }
  });
});

// yunfu.start-public-project (PUB-1, G-5) on the real store: a consolidated project enters the 项目库 once and its
// lifecycle starts once, however often the job runs — also when the start failed after the row and the intent were
// written — and lines that are not all 公共类 go back to the Bureau as a BPMN error with the reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRegulation } from '../../src/domain/index.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { DocumentStorage } from '../../src/store/documents.ts';
import { findProject } from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import {
  findSubmissionIntent,
  settleSubmissionIntent,
  submissionIntentsOf,
} from '../../src/store/submission-intents.ts';
import { upsertUnit } from '../../src/store/units.ts';
import { createWorkers } from '../../workers/all.ts';
import type { StoreWorkerDeps } from '../../workers/deps.ts';
import { postgresDatabase, sqliteDatabase } from '../store/databases.ts';
import { completed, runJob } from './support.ts';

const regulation = loadRegulation();

describe.each([sqliteDatabase, postgresDatabase])('yunfu.start-public-project on $name', (database) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let starts: Array<{ processId: string; variables: Record<string, unknown> }>;
  let failNextStart: boolean;
  let deps: StoreWorkerDeps;
  let bureau: string;
  const worker = () => createWorkers(deps).find((w) => w.type === 'yunfu.start-public-project')!;
  const vars = (over: Record<string, unknown> = {}) => ({
    tenantId: 'yunfu',
    needsCollectionId: 'PN-2027-01',
    openedBy: bureau,
    planYear: 2027,
    leadUnitId: 'gongan',
    projectName: '全市政务云扩容',
    planSummary: '扩容政务云',
    hasDataCatalogue: true,
    supportsIpv6: true,
    serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 800_000 }],
    unitNeeds: [
      {
        unitId: 'gongan',
        unitName: '云浮市公安局',
        hasNeed: true,
        needDescription: '云',
        estimatedAmount: 1,
      },
      {
        unitId: 'jiaoyu',
        unitName: '云浮市教育局',
        hasNeed: true,
        needDescription: '平台',
        estimatedAmount: 2,
      },
    ],
    ...over,
  });

  beforeEach(async () => {
    const db = await database.open();
    store = db.store;
    cleanup = db.cleanup;
    starts = [];
    failNextStart = false;
    deps = {
      regulation,
      now: () => Date.parse('2026-12-14T10:00:00+08:00'),
      store,
      documents: new DocumentStorage(`${db.dataDir}/documents`),
      startProcess: async (processId, variables) => {
        if (failNextStart) {
          failNextStart = false;
          throw new Error('engine unreachable');
        }
        starts.push({ processId, variables });
        return { processInstanceKey: `22517998136${starts.length}` };
      },
    };
    await store.transaction(async (tx) => {
      await upsertUnit(tx, {
        tenantId: 'yunfu',
        id: 'gongan',
        name: '云浮市公安局',
        responsibleSection: 'x',
      });
      const account = await createAccount(tx, {
        tenantId: 'yunfu',
        username: 'admin',
        displayName: '管理员',
        passwordHash: 'x',
        roles: ['bureau-admin'],
      });
      bureau = account.id;
    });
  });
  afterEach(async () => {
    await cleanup();
  });

  it('registers the project (公共类, the Unit whose need it answers) and starts its lifecycle once, however often the job runs', async () => {
    const first = completed(await runJob(worker(), vars(), {}, '77'));
    const again = completed(await runJob(worker(), vars(), {}, '77'));
    expect(again).toEqual(first);
    expect(starts).toHaveLength(1);
    expect(starts[0]!.processId).toBe('project-lifecycle');
    expect(starts[0]!.variables).toMatchObject({
      projectId: first.projectId,
      initiationRoute: 'public',
      unitId: 'gongan',
      totalInvestment: 800_000,
      softwareDevCost: 0,
      hasDataCatalogue: true,
      supportsIpv6: true,
      needsCollectionId: 'PN-2027-01',
      unitNeeds: [expect.objectContaining({ unitId: 'gongan' })],
    });
    const project = await findProject(store.db, 'yunfu', String(first.projectId));
    expect(project).toMatchObject({
      stage: 'submitted',
      category: 'public',
      unitId: 'gongan',
      processInstanceKey: '225179981361',
      createdBy: bureau,
    });
    const intent = await findSubmissionIntent(store.db, String(starts[0]!.variables.submissionId));
    expect(intent?.state).toBe('started');
  });

  it('a start that failed after the row and the intent were written is retried by the job, and starts once', async () => {
    failNextStart = true;
    await expect(runJob(worker(), vars(), {}, '78')).rejects.toThrow('engine unreachable');
    expect(starts).toHaveLength(0);
    const done = completed(await runJob(worker(), vars(), {}, '78'));
    expect(starts).toHaveLength(1);
    expect((await findProject(store.db, 'yunfu', String(done.projectId)))?.stage).toBe('submitted');
  });

  it('when the start-up reconciler abandoned the intent (no instance found), the job starts with a fresh one', async () => {
    failNextStart = true;
    await expect(runJob(worker(), vars(), {}, '79')).rejects.toThrow('engine unreachable');
    const [row] = await store.db.selectFrom('projects').select('id').execute();
    const [left] = await submissionIntentsOf(store.db, 'yunfu', row!.id);
    expect(left?.state).toBe('pending');
    await store.transaction((tx) =>
      settleSubmissionIntent(tx, { id: left!.id, state: 'abandoned', at: '2026-12-14T03:00:00Z' }),
    );
    completed(await runJob(worker(), vars(), {}, '79'));
    expect(starts).toHaveLength(1);
    expect(starts[0]!.variables.submissionId).not.toBe(left!.id);
    expect((await findProject(store.db, 'yunfu', row!.id))?.processInstanceKey).toBe('225179981361');
    completed(await runJob(worker(), vars(), {}, '79'));
    expect(starts).toHaveLength(1);
  });

  it('lines that are not all 公共类 go back to the Bureau with the reason, and nothing is written', async () => {
    const outcome = await runJob(
      worker(),
      vars({
        serviceLines: [{ serviceType: 'software-development', subType: 'professional-software', amount: 1 }],
      }),
    );
    expect(outcome).toMatchObject({ kind: 'bpmnError', code: 'yunfu.not-public' });
    expect(
      String(
        (outcome as unknown as { variables: { consolidationIssue: string } }).variables.consolidationIssue,
      ),
    ).toContain('专业类');
    expect(starts).toEqual([]);
    expect(await store.db.selectFrom('projects').select('id').execute()).toEqual([]);
  });
});

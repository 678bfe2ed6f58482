import { describe, expect, it } from 'vitest';
import { loadRegulation } from '../../src/domain/index.ts';
import { checkApplicationWorker } from '../../workers/check-application.ts';
import { classifyProjectWorker } from '../../workers/classify-project.ts';
import { computeDueDateWorker } from '../../workers/compute-due-date.ts';
import { completed, runJob } from './support.ts';

const regulation = loadRegulation();
const at = (iso: string) => () => Date.parse(iso);
const professionalLines = [
  { serviceType: 'software-development', subType: 'professional-software', amount: 600_000 },
  { serviceType: 'third-party', subType: 'supervision', amount: 50_000, relatedTo: 'professional-software' },
];
const application = {
  classified: false,
  fundingSource: 'city-fiscal',
  hasDataCatalogue: true,
  supportsIpv6: true,
  projectName: '不动产登记信息平台',
  serviceLines: professionalLines,
};

describe('yunfu.check-application (G-9, G-3, PRO-1)', () => {
  it('passes a complete application and still writes every output', async () => {
    expect(completed(await runJob(checkApplicationWorker, application))).toEqual({
      applicationComplete: true,
      missingItems: [],
      refusalReason: null,
      classified: false,
    });
  });

  it('G-9 refuses a 涉密 application with the reason', async () => {
    const out = completed(await runJob(checkApplicationWorker, { ...application, classified: true }));
    expect(out.refusalReason).toMatch(/涉密/);
    expect(out.applicationComplete).toBe(false);
    expect(out.classified).toBe(true);
  });

  it('PRO-1 lists what is missing', async () => {
    const out = completed(await runJob(checkApplicationWorker, { ...application, hasDataCatalogue: false }));
    expect(out).toMatchObject({ applicationComplete: false, refusalReason: null });
    expect(out.missingItems).toEqual(['缺少政务数据共享资源目录（PRO-1）']);
  });
});

describe('yunfu.classify-project (G-5, G-6, SU-4)', () => {
  it('classifies a professional project, owned by the Unit, with the edition in force at initiation', async () => {
    const worker = classifyProjectWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    const out = completed(await runJob(worker, { serviceLines: professionalLines, unitId: 'ziranziyuan' }));
    expect(out).toMatchObject({
      category: 'professional',
      ownerGroup: 'unit-ziranziyuan',
      totalInvestment: 650_000,
      softwareDevCost: 600_000,
      initiatedAt: '2026-11-27T02:00:00.000Z',
    });
    // initiated in November 2026: the edition in force is 云府办〔2024〕8号
    expect(out.rules).toMatchObject({
      edition: 'yunfu-2024',
      supervisionThreshold: 1_000_000,
      testingThreshold: 500_000,
    });
  });

  it('keeps the edition a project already has (SU-4)', async () => {
    const worker = classifyProjectWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    const kept = {
      ...regulation.rules.rulesVariable(regulation.rules.byId('yunfu-v1')),
      supervisionThreshold: 1,
    };
    const out = completed(
      await runJob(worker, { serviceLines: professionalLines, unitId: 'x', rules: { ...kept } }),
    );
    // the stored edition is looked up again by its id: the project's edition, not whatever the variable says
    expect(out.rules).toMatchObject({ edition: 'yunfu-v1', supervisionThreshold: 1_000_000 });
  });

  it('fails with no retries and the reason when the lines mix both categories', async () => {
    const worker = classifyProjectWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    const outcome = await runJob(worker, {
      serviceLines: [
        ...professionalLines,
        { serviceType: 'infrastructure', subType: 'government-cloud', amount: 1 },
      ],
      unitId: 'x',
    });
    expect(outcome).toMatchObject({ kind: 'fail', retries: 0 });
    expect(outcome.kind === 'fail' && outcome.message).toMatch(/同时包含公共类与专业类/);
  });

  it('names a missing unitId for a professional project', async () => {
    const worker = classifyProjectWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    await expect(runJob(worker, { serviceLines: professionalLines })).rejects.toThrow(/variable 'unitId'/);
  });

  it('classifies a public project without a Unit: the Bureau owns it', async () => {
    const worker = classifyProjectWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    const out = completed(
      await runJob(worker, {
        serviceLines: [{ serviceType: 'infrastructure', subType: 'government-cloud', amount: 1 }],
      }),
    );
    expect(out).toMatchObject({ category: 'public', ownerGroup: 'bureau-admin' });
  });
});

describe('yunfu.compute-due-date (working days, Asia/Shanghai)', () => {
  it('computes 初核 in 5 working days across the National Day holiday', async () => {
    const worker = computeDueDateWorker({ regulation, now: at('2026-09-29T10:00:00+08:00') });
    const out = completed(
      await runJob(worker, {}, { deadline: 'initialCheck', resultVariable: 'initialCheckDue' }),
    );
    // 30 Sep, (1-7 Oct holiday), 8 Oct, 9 Oct, 10 Oct (make-up Saturday), 12 Oct
    expect(out).toEqual({ initialCheckDue: '2026-10-12T18:00:00+08:00', initialCheckDueProvisional: false });
  });

  it("uses the project's rule edition when the process carries one", async () => {
    const worker = computeDueDateWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    const rules = { ...regulation.rules.rulesVariable(regulation.rules.byId('yunfu-v1')) };
    rules.deadlines = { ...rules.deadlines, initialCheck: 1 };
    const out = completed(
      await runJob(worker, { rules }, { deadline: 'initialCheck', resultVariable: 'initialCheckDue' }),
    );
    expect(out.initialCheckDue).toBe('2026-11-30T18:00:00+08:00');
  });

  it('marks a due date in a year without a holiday schedule as provisional', async () => {
    const worker = computeDueDateWorker({ regulation, now: at('2026-12-24T10:00:00+08:00') });
    const out = completed(
      await runJob(worker, {}, { deadline: 'costReview', resultVariable: 'costReviewDue' }),
    );
    expect(out.costReviewDueProvisional).toBe(true);
  });

  it('refuses an unknown deadline or a missing header, naming it', async () => {
    const worker = computeDueDateWorker({ regulation, now: at('2026-11-27T10:00:00+08:00') });
    await expect(runJob(worker, {}, { deadline: 'nap', resultVariable: 'napDue' })).rejects.toThrow(
      /'deadline'='nap'/,
    );
    await expect(runJob(worker, {}, { deadline: 'initialCheck' })).rejects.toThrow(
      /'resultVariable' is missing/,
    );
  });
});

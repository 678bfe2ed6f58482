// The workers that write business records, on the real store (SQLite and PostgreSQL): what they write, that a job
// run twice writes once, and that a bad header or variable fails the job with its name.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRegulation } from '../../src/domain/index.ts';
import { readCatalogue } from '../../src/modeling/catalogue.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { verifyArchive } from '../../src/store/audit-export.ts';
import { DocumentStorage, insertDocument, listDocuments } from '../../src/store/documents.ts';
import { listFilings } from '../../src/store/filings.ts';
import { listNotifications } from '../../src/store/notifications.ts';
import { findProject, insertProject } from '../../src/store/projects.ts';
import type { Store } from '../../src/store/store.ts';
import { upsertUnit } from '../../src/store/units.ts';
import { createWorkers } from '../../workers/all.ts';
import type { StoreWorkerDeps } from '../../workers/deps.ts';
import { JOB_TYPES } from '../../workers/index.ts';
import { createMailer } from '../../workers/mailer.ts';
import { TEMPLATES } from '../../workers/notification-templates.ts';
import { postgresDatabase, sqliteDatabase } from '../store/databases.ts';
import { docxText } from '../support/docx.ts';
import { completed, runJob } from './support.ts';

const regulation = loadRegulation();

describe.each([sqliteDatabase, postgresDatabase])('store-writing workers on $name', (database) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let deps: StoreWorkerDeps;
  let clock = Date.parse('2026-11-27T10:00:00+08:00');
  const worker = (type: string) => createWorkers(deps).find((w) => w.type === type)!;
  const job = async (
    type: string,
    vars: Record<string, unknown>,
    headers: Record<string, string> = {},
    jobKey?: string,
  ) => runJob(worker(type), vars, headers, jobKey);

  beforeEach(async () => {
    const db = await database.open();
    store = db.store;
    cleanup = db.cleanup;
    clock = Date.parse('2026-11-27T10:00:00+08:00');
    deps = {
      regulation,
      now: () => clock,
      store,
      documents: new DocumentStorage(join(db.dataDir, 'documents')),
    };
    await store.transaction(async (tx) => {
      await upsertUnit(tx, {
        tenantId: 'yunfu',
        id: 'gongan',
        name: '云浮市公安局',
        responsibleSection: '科技信息化科',
      });
      await upsertUnit(tx, {
        tenantId: 'yunfu',
        id: 'ziranziyuan',
        name: '云浮市自然资源局',
        responsibleSection: '信息中心',
      });
      await createAccount(tx, {
        tenantId: 'yunfu',
        username: 'ga',
        displayName: '公安经办',
        passwordHash: 'x',
        roles: ['unit-staff'],
        unitId: 'gongan',
      });
      await createAccount(tx, {
        tenantId: 'yunfu',
        username: 'rev',
        displayName: '审核员',
        passwordHash: 'x',
        roles: ['bureau-reviewer'],
      });
      await insertProject(tx, {
        id: 'YF-2026-0001',
        tenantId: 'yunfu',
        createdBy: 'seed',
        at: '2026-11-01T00:00:00Z',
        content: {
          unitId: 'gongan',
          name: '智慧警务平台',
          description: '',
          planYear: 2027,
          fundingSource: 'city-fiscal',
          fundingLines: [{ source: 'city-fiscal', amount: 800_000 }],
          classified: false,
          hasDataCatalogue: true,
          supportsIpv6: true,
          serviceLines: [
            { serviceType: 'software-development', subType: 'professional-software', amount: 800_000 },
          ],
          totalInvestment: 800_000,
          softwareDevCost: 800_000,
          category: 'professional',
          ruleEdition: 'yunfu-v1',
        },
      });
    });
  });
  afterEach(async () => {
    await cleanup();
  });

  it('yunfu.record-filing numbers a change filing, and a job run twice records it once', async () => {
    const vars = {
      projectId: 'YF-2026-0001',
      unitId: 'gongan',
      changeDescription: '增加移动端',
      changeReason: '政策调整',
    };
    const first = completed(await job('yunfu.record-filing', vars, { filingKind: 'change' }, '42'));
    const again = completed(await job('yunfu.record-filing', vars, { filingKind: 'change' }, '42'));
    const filings = await listFilings(store.db, { tenantId: 'yunfu', projectId: 'YF-2026-0001' });
    expect(filings).toHaveLength(1);
    expect(filings[0]!.payload).toMatchObject({ changeDescription: '增加移动端', changeReason: '政策调整' });
    // PRO-3: the registered change gets its 备案回执, one document however often the job runs.
    expect(first).toEqual({
      filingNumber: '云政数备〔2026〕1号',
      changeFilingNumber: '云政数备〔2026〕1号',
      filingReceiptDocumentId: filings[0]!.documentId,
    });
    expect(again).toEqual(first);
    const receipts = (await listDocuments(store.db, 'yunfu', 'YF-2026-0001')).filter(
      (d) => d.kind === 'filing-receipt',
    );
    expect(receipts.map((d) => [d.id, d.fileName])).toEqual([
      [filings[0]!.documentId, '重大变更备案回执-云政数备〔2026〕1号.docx'],
    ]);
  });

  it('IM-9 files a termination with the Bureau and with Finance: two numbers', async () => {
    const vars = { projectId: 'YF-2026-0001', terminationReason: '目标无法实现' };
    const bureau = completed(
      await job('yunfu.record-filing', vars, { filingKind: 'termination', filedWith: 'bureau' }, '1'),
    );
    const finance = completed(
      await job('yunfu.record-filing', vars, { filingKind: 'termination', filedWith: 'finance' }, '2'),
    );
    expect(bureau.filingNumber).not.toBe(finance.filingNumber);
    const filings = await listFilings(store.db, { tenantId: 'yunfu', kind: 'termination' });
    expect(filings.map((f) => (f.payload as { filedWith: string }).filedWith).sort()).toEqual([
      'bureau',
      'finance',
    ]);
  });

  it('P-1 records an annual plan on time before 30 November and late after it', async () => {
    const plan = {
      planYear: 2027,
      planSummary: '2027 年度规划',
      plannedProjects: '智慧警务',
      estimatedTotalAmount: 1,
    };
    const onTime = completed(
      await job('yunfu.record-filing', { ...plan, unitId: 'gongan' }, { filingKind: 'annual-plan' }, '1'),
    );
    expect(onTime).toMatchObject({ onTime: true, daysLate: 0 });
    clock = Date.parse('2026-12-03T09:00:00+08:00');
    const late = completed(
      await job(
        'yunfu.record-filing',
        { ...plan, unitId: 'ziranziyuan' },
        { filingKind: 'annual-plan' },
        '2',
      ),
    );
    expect(late).toMatchObject({ onTime: false, daysLate: 3 });
    expect(late.annualPlanFilingNumber).toBe('云政数备〔2026〕2号');
  });

  it('refuses an unknown filing kind, naming the header', async () => {
    await expect(job('yunfu.record-filing', { projectId: 'x' }, { filingKind: 'gossip' })).rejects.toThrow(
      /'filingKind'='gossip'/,
    );
  });

  it('PRO-3 issues the numbered 立项审批意见 once per job', async () => {
    const vars = { projectId: 'YF-2026-0001', projectName: '智慧警务平台', financeOpinion: '同意' };
    const out = completed(await job('yunfu.issue-approval-opinion', vars, {}, '7'));
    expect(out.approvalOpinionNumber).toBe('云政数审〔2026〕1号');
    expect(completed(await job('yunfu.issue-approval-opinion', vars, {}, '7'))).toEqual(out);
    expect(completed(await job('yunfu.issue-approval-opinion', vars, {}, '8')).approvalOpinionNumber).toBe(
      '云政数审〔2026〕2号',
    );
    // one DOCX per opinion (the repeated job wrote none), kept as the project's approval-opinion document
    // (the same pinned time: ordered by name here)
    const docs = (await listDocuments(store.db, 'yunfu', 'YF-2026-0001')).sort((a, b) =>
      a.fileName.localeCompare(b.fileName),
    );
    expect(docs.map((d) => [d.kind, d.fileName])).toEqual([
      ['approval-opinion', '立项审批意见-云政数审〔2026〕1号.docx'],
      ['approval-opinion', '立项审批意见-云政数审〔2026〕2号.docx'],
    ]);
    expect(docs[0]!.id).toBe(out.approvalOpinionDocumentId);
    const text = docxText(await readFile(deps.documents.absolute(docs[0]!.storagePath)));
    expect(text).toContain('云政数审〔2026〕1号');
    expect(text).toContain('关于智慧警务平台的立项审批意见');
    expect(text).toContain('四、市财政局资金审核意见：同意');
    expect(text).toContain('二〇二六年十一月二十七日');
  });

  it('PRO-3 refuses to issue an opinion for a project the 项目库 does not hold', async () => {
    await expect(
      job('yunfu.issue-approval-opinion', { projectId: 'YF-2026-0999', projectName: '无' }, {}, '9'),
    ).resolves.toMatchObject({ kind: 'fail' });
  });

  it('notifies every account of the recipient groups with the rendered template', async () => {
    const vars = {
      projectId: 'YF-2026-0001',
      projectName: '智慧警务平台',
      unitId: 'gongan',
      refusalReason: '涉密项目',
    };
    completed(
      await job('yunfu.send-notification', vars, {
        template: 'application-refused',
        recipients: 'unit, bureau-reviewer',
      }),
    );
    const accounts = await store.db.selectFrom('accounts').select(['id', 'username']).execute();
    for (const a of accounts) {
      const [n] = await listNotifications(store.db, a.id);
      expect(n?.title, a.username).toBe('立项申请不予受理');
      expect(n?.body).toBe('项目“智慧警务平台”（YF-2026-0001）不予受理：涉密项目');
    }
  });

  it('SU-2, SU-4: a notice names the Bureau as the project’s edition does, also when its rules predate the name', async () => {
    const { rules } = loadRegulation();
    const bodies: string[] = [];
    for (const [i, projectRules] of [
      rules.rulesVariable(rules.byId('yunfu-v1')),
      rules.rulesVariable(rules.byId('yunfu-2024')),
      { edition: 'yunfu-2024' }, // written before rules carried bureauName: its edition's name
    ].entries()) {
      const projectId = `YF-2026-07${i}0`;
      const vars = {
        projectId,
        projectName: '智慧警务平台',
        unitId: 'gongan',
        deliveryDate: '2027-06-30T18:00+08:00',
        rules: projectRules,
      };
      completed(
        await job(
          'yunfu.send-notification',
          vars,
          { template: 'delay-filing-demanded', recipients: 'unit' },
          String(700 + i),
        ),
      );
      // the Unit's accounts are told: this project's notice
      const accounts = await store.db.selectFrom('accounts').select('id').execute();
      const lists = await Promise.all(accounts.map((a) => listNotifications(store.db, a.id)));
      const n = lists.flat().find((x) => String(x.body).includes(projectId));
      bodies.push(String(n?.body));
    }
    expect(bodies[0]).toContain('请向市政务服务数据管理局报送延期备案');
    expect(bodies[1]).toContain('请向市政务服务和数据管理局报送延期备案');
    expect(bodies[2]).toContain('请向市政务服务和数据管理局报送延期备案');
  });

  it('refuses a recipient it does not know and a template that does not exist', async () => {
    await expect(
      job('yunfu.send-notification', {}, { template: 'application-refused', recipients: 'everyone' }),
    ).rejects.toThrow(/'recipients' names 'everyone'/);
    await expect(
      job('yunfu.send-notification', {}, { template: 'nope', recipients: 'audit' }),
    ).rejects.toThrow(/'template'='nope'/);
  });

  it('P-1 lists the Units with the deadline and the reminder 5 working days before', async () => {
    // A campaign started by its timer carries no tenant: the worker records the city's (SU-3).
    expect(completed(await job('yunfu.list-units', {}))).toEqual({
      tenantId: 'yunfu',
      units: [
        { unitId: 'gongan', unitName: '云浮市公安局' },
        { unitId: 'ziranziyuan', unitName: '云浮市自然资源局' },
      ],
      planYear: 2027,
      filingDeadline: '2026-11-30T23:59:59.999+08:00',
      annualPlanReminderDue: '2026-11-23T09:00:00+08:00',
      // SU-2: the campaign keeps the edition it opened under; its forms name the Bureau by it
      rules: expect.objectContaining({ edition: 'yunfu-2024', bureauName: '政务服务和数据管理局' }),
    });
  });

  it("AC-2 offers the project's documents for the IPv6 test report, and only that project's", async () => {
    const doc = (id: string, projectId: string, fileName: string) => ({
      id,
      tenantId: 'yunfu',
      projectId,
      unitId: 'gongan',
      kind: 'assessment-report' as const,
      fileName,
      mediaType: 'application/pdf',
      size: 10,
      sha256: 'x'.repeat(64),
      storagePath: `${id}.pdf`,
      uploadedBy: 'gongan.staff',
      uploadedAt: '2027-07-01T02:00:00.000Z',
    });
    const project = await findProject(store.db, 'yunfu', 'YF-2026-0001');
    await store.transaction(async (tx) => {
      const { id: _id, stage: _stage, ...content } = project!;
      await insertProject(tx, {
        id: 'YF-2026-0002',
        tenantId: 'yunfu',
        createdBy: 'seed',
        at: '2026-11-01T00:00:00Z',
        content,
      });
      await insertDocument(tx, doc('d1', 'YF-2026-0001', 'IPv6测试报告.pdf'));
      await insertDocument(tx, doc('d2', 'YF-2026-0002', '别的项目.pdf'));
    });
    expect(completed(await job('yunfu.list-project-documents', { projectId: 'YF-2026-0001' }))).toEqual({
      projectDocuments: [{ label: '测评报告：IPv6测试报告.pdf（2027-07-01 10:00 上传）', value: 'd1' }],
    });
  });

  it('AC-2 registers each data resource the Bureau verified, with its catalogue number; never a placeholder', async () => {
    const out = completed(
      await job('yunfu.register-data-resources', {
        projectId: 'YF-2026-0001',
        dataResources: [
          { resourceName: '警情数据', catalogueNumber: 'YF-ML-0101' },
          { resourceName: '视频点位数据', catalogueNumber: 'YF-ML-0102' },
        ],
        ipv6TestReportDocumentId: 'd1',
      }),
    );
    expect(out.dataResourceRegistrationIds).toHaveLength(2);
    const rows = await store.db
      .selectFrom('dataResources')
      .select(['catalogueRef', 'payload'])
      .orderBy('catalogueRef')
      .execute();
    expect(rows.map((r) => [r.catalogueRef, JSON.parse(r.payload).resourceName])).toEqual([
      ['YF-ML-0101', '警情数据'],
      ['YF-ML-0102', '视频点位数据'],
    ]);
    // an empty or incomplete list is not registered: the job fails for a person to look at
    for (const dataResources of [[], [{ resourceName: '警情数据', catalogueNumber: ' ' }]]) {
      const outcome = await job('yunfu.register-data-resources', {
        projectId: 'YF-2026-0001',
        dataResources,
      });
      expect(outcome.kind).toBe('fail');
    }
    expect(await store.db.selectFrom('dataResources').selectAll().execute()).toHaveLength(2);
  });

  it('SV-1 records the evaluation of a project for its Unit', async () => {
    const out = completed(
      await job('yunfu.record-evaluation', {
        projectId: 'YF-2026-0001',
        unitId: 'gongan',
        applicationEffectRating: 'good',
        performanceRating: 'excellent',
      }),
    );
    const row = await store.db
      .selectFrom('evaluations')
      .selectAll()
      .where('id', '=', out.evaluationId as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      unitId: 'gongan',
      applicationEffectRating: 'good',
      performanceRating: 'excellent',
    });
  });

  it('SV-3 assembles a verifiable audit package of the project', async () => {
    const out = completed(
      await job('yunfu.assemble-audit-package', { projectId: 'YF-2026-0001', auditRequestId: 'SJ-1' }),
    );
    const archive = await readFile(join(deps.documents.dir, 'audit-packages', out.auditPackageId as string));
    expect(archive.length).toBe(out.auditPackageBytes);
    expect(verifyArchive(archive).problems).toEqual([]);
  });

  it('records the final stage of the project, and fails with the reason for a project not in the 项目库', async () => {
    completed(await job('yunfu.close-project', { projectId: 'YF-2026-0001' }, { stage: 'evaluated' }));
    expect((await findProject(store.db, 'yunfu', 'YF-2026-0001'))?.stage).toBe('closed');
    const missing = await job('yunfu.close-project', { projectId: 'YF-2099-9999' }, { stage: 'terminated' });
    expect(missing).toMatchObject({ kind: 'fail', retries: 0 });
  });
});

describe('the worker list', () => {
  it('has a handler for every job type the models use, and no other', () => {
    const deps = { regulation, now: () => 0, store: {} as Store, documents: new DocumentStorage('/tmp') };
    expect(
      createWorkers(deps)
        .map((w) => w.type)
        .sort(),
    ).toEqual([...JOB_TYPES].sort());
  });

  it('has a worker for every job type that a model in processes/ uses', async () => {
    const deps = { regulation, now: () => 0, store: {} as Store, documents: new DocumentStorage('/tmp') };
    const handled = new Set(createWorkers(deps).map((w) => w.type));
    const used = new Set((await readCatalogue()).processes.flatMap((p) => p.jobTasks.map((t) => t.jobType)));
    expect([...used].filter((t) => !handled.has(t!))).toEqual([]);
    expect([...used].sort()).toEqual([...handled].sort());
  });

  it('has a text for every notification template of the contract', () => {
    const contract = readFileSync(join(import.meta.dirname, '../../docs/process-contract.md'), 'utf8');
    const section = contract.slice(contract.indexOf('### `yunfu.send-notification` templates'));
    const listed = [...section.slice(0, section.indexOf('A test keeps')).matchAll(/`([a-z-]+)`/g)].map(
      (m) => m[1],
    );
    expect(Object.keys(TEMPLATES).sort()).toEqual(listed.sort());
  });
});

describe('e-mailed notifications over SMTP', () => {
  let smtp: SMTPServer;
  let port: number;
  const received: Array<{ to: string[]; raw: string }> = [];
  let refuseNext = 0;

  beforeEach(async () => {
    received.length = 0;
    refuseNext = 0;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        if (refuseNext > 0) {
          refuseNext--;
          return callback(new Error('mailbox unavailable'));
        }
        callback();
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    port = (smtp.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('sends the notification to the recipients that have an address, once, and retries only the e-mail', async () => {
    const db = await sqliteDatabase.open();
    try {
      await db.store.transaction(async (tx) => {
        await upsertUnit(tx, {
          tenantId: 'yunfu',
          id: 'gongan',
          name: '云浮市公安局',
          responsibleSection: '科技信息化科',
        });
        await createAccount(tx, {
          tenantId: 'yunfu',
          username: 'a',
          displayName: 'A',
          passwordHash: 'x',
          roles: ['unit-staff'],
          unitId: 'gongan',
          email: 'a@gongan.test',
        });
        await createAccount(tx, {
          tenantId: 'yunfu',
          username: 'b',
          displayName: 'B',
          passwordHash: 'x',
          roles: ['unit-staff'],
          unitId: 'gongan',
        });
      });
      const deps: StoreWorkerDeps = {
        regulation,
        now: () => Date.parse('2026-11-27T10:00:00+08:00'),
        store: db.store,
        documents: new DocumentStorage(join(db.dataDir, 'documents')),
        mailer: createMailer(`smtp://127.0.0.1:${port}`, '云浮市政务服务数据管理局 <noreply@yunfu.test>'),
      };
      const worker = createWorkers(deps).find((w) => w.type === 'yunfu.send-notification')!;
      const vars = {
        projectId: 'YF-2026-0001',
        projectName: '智慧警务平台',
        unitId: 'gongan',
        refusalReason: '涉密项目',
      };
      const headers = { template: 'application-refused', recipients: 'unit' };
      refuseNext = 1;
      await expect(runJob(worker, vars, headers, '99')).rejects.toThrow(/mailbox unavailable/);
      expect(received).toEqual([]);
      completed(await runJob(worker, vars, headers, '99')); // the retry
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['a@gongan.test']);
      expect(received[0]!.raw).toContain('noreply@yunfu.test');
      const accounts = await db.store.db.selectFrom('accounts').select('id').execute();
      for (const a of accounts) expect(await listNotifications(db.store.db, a.id)).toHaveLength(1);
      completed(await runJob(worker, vars, headers, '99')); // a third run: nothing more
      expect(received).toHaveLength(1);
    } finally {
      await db.cleanup();
    }
  });
});

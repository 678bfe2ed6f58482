// What each browser test needs before its own part, done through /api as the people concerned would do it: the
// Unit creates and submits the project, each reviewer completes their task with the values their form sends, the
// administrator retries an incident. A test then does only its own step in the browser.
import type { ServiceLine } from '../../src/domain/index.ts';
import { PASSWORD, type RunningApp, until } from './support.ts';

export const PROJECT = '公安视频图像智能分析平台';

type Variables = Record<string, unknown>;
interface Task {
  userTaskKey: string;
  elementId: string;
  projectId?: string;
}

export interface ApiSteps {
  /** /api as `username` (signed in once per test); throws with the body on any status but `expected`. */
  call(username: string, method: string, path: string, body?: unknown, expected?: number): Promise<unknown>;
  /**
   * The browser's project as the Unit drafts it: 800,000 元 — 770,000 of application software and 30,000 of 测评 —,
   * catalogue and IPv6 ready; or with the `serviceLines` given.
   */
  draft(serviceLines?: ServiceLine[]): Promise<string>;
  /** The draft submitted and signed off by the Unit's section (G-6); its 初核 waits in the Bureau reviewer's inbox. */
  submitted(serviceLines?: ServiceLine[]): Promise<string>;
  /** 初核 passed: cost review and expert review wait. */
  initialCheckPassed(): Promise<string>;
  /** Approved and procured by the Unit, being implemented, with a change filing for the Bureau to register. */
  implementingWithChangeFiling(): Promise<string>;
  /** `who` uploads a PDF as one of the project's documents (multipart, as the project page posts it); its id. */
  upload(who: string, projectId: string, fileName: string, kind: string): Promise<string>;
  /** Completes `who`'s task `elementId` of `projectId` once it is in their inbox. */
  complete(who: string, projectId: string, elementId: string, variables: Variables): Promise<void>;
  /** The annual filing campaign past its incident (retried by the administrator, as on the diagram). */
  campaignUnderway(campaignKey: string): Promise<void>;
}

/** The browser's project's lines: AC-3, IM-4 — what the testing and assessment organisations cost is inside it. */
const LINES: ServiceLine[] = [
  { serviceType: 'software-development', subType: 'professional-software', amount: 770_000 },
  { serviceType: 'third-party', subType: 'assessment', amount: 30_000, relatedTo: 'professional-software' },
];

export function apiSteps(app: RunningApp): ApiSteps {
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    let t = tokens.get(username);
    if (!t) {
      const res = await fetch(`${app.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 'yunfu', username, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
      t = ((await res.json()) as { token: string }).token;
      tokens.set(username, t);
    }
    return t;
  };
  const call: ApiSteps['call'] = async (username, method, path, body, expected) => {
    const res = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token(username)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const ok = expected === undefined ? res.status >= 200 && res.status < 300 : res.status === expected;
    if (!ok) throw new Error(`${username} ${method} /api${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const complete: ApiSteps['complete'] = async (who, projectId, elementId, variables) => {
    const inbox = await until(
      async () => ((await call(who, 'GET', '/tasks')) as { items: Task[] }).items,
      (items) => items.some((i) => i.projectId === projectId && i.elementId === elementId),
    );
    const task = inbox.find((i) => i.projectId === projectId && i.elementId === elementId)!;
    await call(who, 'POST', `/tasks/${task.userTaskKey}/complete`, { variables });
  };

  const upload: ApiSteps['upload'] = async (who, projectId, fileName, kind) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob(['%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'], { type: 'application/pdf' }),
      fileName,
    );
    const res = await fetch(`${app.url}/api/projects/${projectId}/documents?kind=${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(who)}` },
      body: form,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${who} upload ${fileName}: ${res.status} ${text}`);
    return (JSON.parse(text) as { id: string }).id;
  };

  const draft = async (serviceLines: ServiceLine[] = LINES) => {
    const created = (await call('gongan.staff', 'POST', '/projects', {
      projectName: PROJECT,
      description: '',
      planYear: 2027,
      fundingSource: 'city-fiscal',
      classified: false,
      hasDataCatalogue: true,
      supportsIpv6: true,
      serviceLines,
    })) as { project: { id: string } };
    return created.project.id;
  };
  const submitted = async (serviceLines?: ServiceLine[]) => {
    const projectId = await draft(serviceLines);
    await call('gongan.staff', 'POST', `/projects/${projectId}/submit`);
    // G-6: the Unit's 责任科室 signs off before the application goes to the Bureau.
    await complete('gongan.section', projectId, 'Task_SectionReview', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送。',
    });
    return projectId;
  };
  const initialCheckPassed = async () => {
    const projectId = await submitted();
    await complete('bureau.reviewer', projectId, 'Task_InitialCheck', {
      initialCheckDecision: 'pass',
      initialCheckOpinion: '材料齐全，符合年度规划，同意通过初核。',
    });
    return projectId;
  };
  const implementingWithChangeFiling = async () => {
    const projectId = await initialCheckPassed();
    const steps: Array<[string, string, Variables]> = [
      [
        'cost.reviewer',
        'Task_CostReview',
        { costReviewPassed: true, reviewedAmount: 780_000, costReviewReport: '造价合理，审定金额 78 万元。' },
      ],
      ['expert', 'Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '技术方案可行。' }],
      [
        'finance',
        'Task_FinanceReview',
        { financeApproved: true, financeOpinion: '同意按审定金额安排。', preliminaryFundingAmount: 780_000 },
      ],
      ['bureau.admin', 'Task_BureauApprovalOpinion', { bureauOpinion: '同意立项，按市财政局意见安排资金。' }],
      [
        'gongan.staff',
        'Task_SubmitFundingApplication',
        { fundingRequestAmount: 780_000, fundingApplicationNote: '按造价审核与资金审核意见申请。' },
      ],
      [
        'citygov',
        'Task_CityGovernmentDecision',
        { cityGovernmentApproved: true, approvedFundingAmount: 780_000, cityGovernmentOpinion: '同意。' },
      ],
      [
        'gongan.staff',
        'Task_ConductProcurement',
        {
          procurementResult: 'success',
          procurementMethod: 'public-tender',
          procurementNoticeNumber: 'YFCG-2026-118',
          purchaserName: '云浮市公安局',
          supplierName: '广东某信息技术有限公司',
          supplierCreditCode: '91445300MA4UXXXX1X',
          contractNumber: 'YFGA-HT-2026-031',
          contractAmount: 768_000,
          contractSignedDate: '2026-12-01',
          deliveryDate: '2027-06-30T18:00+08:00',
        },
      ],
    ];
    for (const [who, elementId, variables] of steps) await complete(who, projectId, elementId, variables);
    // IM-8: the change filing is accepted only once the project is being implemented.
    await until(
      async () => ((await call('gongan.staff', 'GET', `/projects/${projectId}`)) as { stage: string }).stage,
      (stage) => stage === 'implementation',
    );
    await call('gongan.staff', 'POST', `/projects/${projectId}/filings`, {
      kind: 'change',
      changeDescription: '增加视频结构化分析模块。',
      changeReason: '公安部新标准要求。',
    });
    // G-6: the Unit's 责任科室 signs it off; only then does it reach the Bureau.
    await complete('gongan.section', projectId, 'Task_SectionReviewChangeFiling', {
      sectionDecision: 'approve',
      sectionOpinion: '同意报送。',
    });
    return projectId;
  };

  const campaignUnderway = async (campaignKey: string) => {
    const incidents = (await app.v2('POST', '/incidents/search', {
      filter: { processInstanceKey: campaignKey, state: 'ACTIVE' },
    })) as { json: { items: Array<{ incidentKey: string }> } };
    for (const i of incidents.json.items)
      await call('bureau.admin', 'POST', `/ops/incidents/${i.incidentKey}/retry`);
    await until(
      async () =>
        (
          await app.v2('POST', '/user-tasks/search', {
            filter: { processInstanceKey: campaignKey, elementId: 'Task_FileAnnualPlan' },
          })
        ).json as { items: unknown[] },
      (r) => r.items.length === 3,
    );
  };

  return {
    call,
    draft,
    submitted,
    initialCheckPassed,
    implementingWithChangeFiling,
    upload,
    complete,
    campaignUnderway,
  };
}

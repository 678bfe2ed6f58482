// What the *-paths.test.ts files share: a driver per test on the engine or through the client, closed after each
// test, and the professional application and implementation start the paths begin from.
import { afterEach } from 'vitest';
import { loadRegulation, type Regulation } from '../../src/domain/index.ts';
import { type DriverKind, openDriver, type ProcessDriver } from '../support/process-driver.ts';
import { PROFESSIONAL_APPLICATION } from '../support/projects.ts';

export const regulation = loadRegulation();

/** Registers the closing of each test's driver; the returned `open` starts the one driver of a test. */
export function driverPerTest(
  kind: DriverKind,
): (at: string, withRegulation?: Regulation) => Promise<ProcessDriver> {
  let driver: ProcessDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });
  return async (at, withRegulation) => {
    driver = await openDriver(kind, at, withRegulation);
    return driver;
  };
}

export const notified = (d: ProcessDriver) =>
  d.handled.filter((h) => h.type === 'yunfu.send-notification').map((h) => h.headers.template);

export const professionalApplication = {
  projectId: 'YF-2026-0007',
  tenantId: 'yunfu',
  unitId: 'gongan',
  unitName: '云浮市公安局',
  projectName: '云浮市智慧警务综合平台',
  ...PROFESSIONAL_APPLICATION,
};

export const approveProfessional = async (d: ProcessDriver) => {
  await d.complete('Task_InitialCheck', {
    initialCheckDecision: 'pass',
    initialCheckOpinion: '符合立项条件',
  });
  await d.complete('Task_CostReview', {
    costReviewPassed: true,
    costReviewReport: '造价合理',
    reviewedAmount: 1_060_000,
  });
  await d.complete('Task_ExpertReview', { expertReviewPassed: true, expertReviewReport: '方案可行' });
  await d.complete('Task_FinanceReview', {
    financeApproved: true,
    financeOpinion: '同意',
    preliminaryFundingAmount: 1_060_000,
  });
  await d.complete('Task_BureauApprovalOpinion', { bureauOpinion: '同意立项' });
  await d.complete('Task_SubmitFundingApplication', {
    fundingRequestAmount: 1_060_000,
    fundingApplicationNote: '申请资金',
  });
  await d.complete('Task_CityGovernmentDecision', {
    cityGovernmentApproved: true,
    approvedFundingAmount: 1_060_000,
  });
};

export const implementationStart = {
  projectId: 'YF-2026-0007',
  unitId: 'gongan',
  unitName: '云浮市公安局',
  projectName: '智慧警务',
  category: 'professional',
  ownerGroup: 'unit-gongan',
  deliveryDate: '2027-06-30T18:00+08:00',
  supplierName: '某科技公司',
};

/** Acceptance starts with the organisations the Unit engaged for its two tests when it completed (AC-3). */
export const acceptanceStart = {
  ...implementationStart,
  acceptanceTestOrgId: 'ceping-gdsoft',
  securityAssessmentOrgId: 'ceping-saiyun',
};

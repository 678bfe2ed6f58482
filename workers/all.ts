// Every job handler, built with what it needs. `npm start` and `npm run workers` register the list with the
// Camunda client's job workers (src/camunda/worker-runtime.ts); a test fails when a job type used in a model has
// no handler here.
import type { AnyWorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { listProjectDocumentsWorker, registerDataResourcesWorker } from './acceptance-evidence.ts';
import { issueApprovalOpinionWorker } from './approval-opinion.ts';
import { checkApplicationWorker } from './check-application.ts';
import { classifyProjectWorker } from './classify-project.ts';
import { computeDueDateWorker } from './compute-due-date.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { openAnnualPlanCampaignsWorker } from './open-annual-campaigns.ts';
import {
  assembleAuditPackageWorker,
  closeProjectWorker,
  listUnitsWorker,
  recordEvaluationWorker,
  setProjectStageWorker,
} from './project-records.ts';
import { recordFilingWorker } from './record-filing.ts';
import { sendNotificationWorker } from './send-notification.ts';
import { startPublicProjectWorker } from './start-public-project.ts';

export type { StoreWorkerDeps, WorkerDeps } from './deps.ts';

export function createWorkers(deps: StoreWorkerDeps): AnyWorkerDefinition[] {
  return [
    checkApplicationWorker,
    classifyProjectWorker(deps),
    computeDueDateWorker(deps),
    listProjectDocumentsWorker(deps),
    listUnitsWorker(deps),
    recordFilingWorker(deps),
    issueApprovalOpinionWorker(deps),
    sendNotificationWorker(deps),
    registerDataResourcesWorker(deps),
    recordEvaluationWorker(deps),
    assembleAuditPackageWorker(deps),
    closeProjectWorker(deps),
    setProjectStageWorker(deps),
    startPublicProjectWorker(deps),
    openAnnualPlanCampaignsWorker(deps),
  ];
}

// Every job handler, built with what it needs. `npm start` and `npm run workers` register the list with the
// Camunda client's job workers (src/camunda/worker-runtime.ts).
import type { AnyWorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { checkAcceptancePrerequisitesWorker } from './check-acceptance-prerequisites.ts';
import { checkApplicationWorker } from './check-application.ts';
import { classifyProjectWorker } from './classify-project.ts';
import { computeDueDateWorker } from './compute-due-date.ts';
import type { WorkerDeps } from './deps.ts';

export type { WorkerDeps } from './deps.ts';

export function createWorkers(deps: WorkerDeps): AnyWorkerDefinition[] {
  return [
    checkApplicationWorker,
    classifyProjectWorker(deps),
    computeDueDateWorker(deps),
    checkAcceptancePrerequisitesWorker,
  ];
}

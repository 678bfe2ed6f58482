// What the job handlers are given: the regulation (rules, deadlines, calendar), the clock and, for the handlers
// that write business records, the store. With the embedded engine the clock is the engine's (tests pin and move
// it); against real Camunda it is the system clock.
import type { Regulation } from '../src/domain/index.ts';
import type { DocumentStorage } from '../src/store/documents.ts';
import type { Store } from '../src/store/store.ts';
import type { Mailer } from './mailer.ts';

export interface WorkerDeps {
  regulation: Regulation;
  /** Epoch milliseconds now, from the injected clock; never Date.now() directly. */
  now: () => number;
}

export interface StoreWorkerDeps extends WorkerDeps {
  store: Store;
  /** Where documents live; audit packages are written under it. */
  documents: DocumentStorage;
  /** E-mail for notifications; null or absent: in-app only. */
  mailer?: Mailer | null;
  /**
   * Starts a process instance through the Camunda client (a consolidated public project's lifecycle, PUB-1);
   * absent: the jobs that need it fail with an incident.
   */
  startProcess?: (
    processId: string,
    variables: Record<string, unknown>,
    tenantId: string,
  ) => Promise<{ processInstanceKey: string }>;
}

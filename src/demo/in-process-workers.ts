// Runs the job workers against an engine in the same process, without HTTP: activates every job a worker exists
// for and hands it to the worker's handler, exactly as the worker runtime would (a handler that throws fails the
// job with its message), until no job is left. Used to build the demo data set and by the engine-side path tests;
// `npm start` uses the real worker runtime over the official client instead.
import type { AnyWorkerDefinition, JobOutcome } from '../camunda/worker-runtime.ts';
import type { Engine } from '../engine/engine.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export interface HandledJob {
  type: string;
  elementId: string;
  headers: Record<string, string>;
}

export class InProcessWorkers {
  private readonly workers: Map<string, AnyWorkerDefinition>;

  constructor(
    private readonly engine: Engine,
    workers: AnyWorkerDefinition[],
    /** Every job handed to a worker, in order (for tests and reports). */
    readonly handled: HandledJob[] = [],
  ) {
    this.workers = new Map(workers.map((w) => [w.type, w]));
  }

  /** Hands every activatable job to its worker until none is left; returns how many were handled. */
  async settle(maxRounds = 500): Promise<number> {
    let count = 0;
    for (let round = 0; round < maxRounds; round++) {
      let any = false;
      for (const [type, worker] of this.workers) {
        for (const job of this.engine.activateJobs({
          type,
          worker: 'in-process',
          maxJobsToActivate: 50,
          timeout: 300_000,
        })) {
          any = true;
          count++;
          this.handled.push({ type, elementId: job.elementId, headers: job.customHeaders });
          let outcome: JobOutcome;
          try {
            const vars = worker.variables ? worker.variables(job.variables) : job.variables;
            outcome = await worker.handler(vars, {
              jobKey: job.jobKey,
              type: job.type,
              processInstanceKey: job.processInstanceKey,
              processDefinitionId: job.processDefinitionId,
              elementId: job.elementId,
              retries: job.retries,
              customHeaders: job.customHeaders,
              logger: quiet,
            });
          } catch (e) {
            outcome = { kind: 'fail', message: (e as Error).message };
          }
          if (outcome.kind === 'complete') this.engine.completeJob(job.jobKey, outcome.variables);
          else if (outcome.kind === 'fail')
            this.engine.failJob(job.jobKey, {
              retries: outcome.retries ?? job.retries - 1,
              errorMessage: outcome.message,
            });
          else
            this.engine.throwJobError(job.jobKey, { errorCode: outcome.code, errorMessage: outcome.message });
        }
      }
      if (!any) return count;
    }
    throw new Error(`jobs keep coming after ${maxRounds} rounds: a loop in the model or the workers`);
  }
}

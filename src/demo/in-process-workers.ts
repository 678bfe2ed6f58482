// Runs the job workers against an engine in the same process, without HTTP: activates every job a worker exists
// for and hands it to the worker's handler, exactly as the worker runtime would (a handler that throws fails the
// job with its message), until no job is left. The handler call and the "job outcome → engine call" mapping are the
// runtime's own (runJobHandler, applyOutcome); only the transport differs. Used to build the demo data set and by the engine-side path tests;
// `npm start` uses the real worker runtime over the official client instead.
import {
  type AnyWorkerDefinition,
  applyOutcome,
  type JobCommands,
  runJobHandler,
} from '../camunda/worker-runtime.ts';
import type { Engine } from '../engine/engine.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export interface HandledJob {
  type: string;
  elementId: string;
  headers: Record<string, string>;
}

export class InProcessWorkers {
  private readonly workers: Map<string, AnyWorkerDefinition>;
  private readonly commands: JobCommands;

  constructor(
    private readonly engine: Engine,
    workers: AnyWorkerDefinition[],
    /** Every job handed to a worker, in order (for tests and reports). */
    readonly handled: HandledJob[] = [],
  ) {
    this.workers = new Map(workers.map((w) => [w.type, w]));
    this.commands = {
      complete: (jobKey, variables) => engine.completeJob(jobKey, variables),
      fail: (jobKey, req) => engine.failJob(jobKey, req),
      throwError: (jobKey, req) => engine.throwJobError(jobKey, req),
    };
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
          const outcome = await runJobHandler(worker, job, quiet, { jobKey: job.jobKey });
          await applyOutcome(this.commands, job.jobKey, job.retries, outcome);
        }
      }
      if (!any) return count;
    }
    throw new Error(`jobs keep coming after ${maxRounds} rounds: a loop in the model or the workers`);
  }
}

// Drives the real models of processes/ on the embedded engine, in-process, with the clock pinned and moved:
// start an instance, let workers handle jobs, complete user tasks by element id, move time so timers fire, and
// read back what happened. Assertions read like Camunda Process Test's (passed elements, open tasks, incidents).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyWorkerDefinition, JobOutcome } from '../../src/camunda/worker-runtime.ts';
import { loadRegulation } from '../../src/domain/index.ts';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { ActivatedJob } from '../../src/engine/processors/jobs.ts';
import type { UserTaskItem } from '../../src/engine/queries.ts';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';

export type JobHandler = (job: ActivatedJob) => Record<string, unknown> | JobOutcome;

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export class ProcessDriver {
  readonly handled: Array<{ type: string; elementId: string; headers: Record<string, string> }> = [];
  private readonly handlers = new Map<string, JobHandler>();

  private constructor(
    readonly engine: Engine,
    readonly clock: EngineClock,
    private readonly dir: string,
  ) {}

  /** An engine on a fresh file with every resource of processes/ deployed, the clock pinned at `at`. */
  static async open(at: string): Promise<ProcessDriver> {
    const dir = mkdtempSync(join(tmpdir(), 'process-driver-'));
    const clock = new EngineClock();
    clock.pin(Date.parse(at));
    const engine = await Engine.open({ file: join(dir, 'engine.db'), clock, synchronous: 'NORMAL' });
    await engine.deploy(
      readdirSync(PROCESSES_DIR).map((name) => ({
        name,
        content: readFileSync(join(PROCESSES_DIR, name), 'utf8'),
      })),
    );
    return new ProcessDriver(engine, clock, dir);
  }

  get regulation() {
    return loadRegulation();
  }

  /** Handles a job type with a worker definition (the real one) or a function returning completion variables. */
  on(type: string, handler: JobHandler | AnyWorkerDefinition): this {
    if (typeof handler === 'function') this.handlers.set(type, handler);
    else
      this.handlers.set(
        type,
        (job) =>
          handler.handler(handler.variables ? handler.variables(job.variables) : job.variables, {
            jobKey: job.jobKey,
            type: job.type,
            processInstanceKey: job.processInstanceKey,
            processDefinitionId: job.processDefinitionId,
            elementId: job.elementId,
            retries: job.retries,
            customHeaders: job.customHeaders,
            logger: quiet,
          }) as JobOutcome,
      );
    return this;
  }

  start(processDefinitionId: string, variables: Record<string, unknown>): string {
    const r = this.engine.createProcessInstance({ processDefinitionId, variables } as never) as {
      processInstanceKey: string;
    };
    this.runJobs();
    return r.processInstanceKey;
  }

  /** Completes every job that a handler exists for, until none is left. */
  runJobs(): void {
    for (let round = 0; round < 200; round++) {
      let any = false;
      for (const [type, handler] of this.handlers) {
        for (const job of this.engine.activateJobs({
          type,
          worker: 'driver',
          maxJobsToActivate: 50,
          timeout: 300_000,
        })) {
          any = true;
          this.handled.push({ type, elementId: job.elementId, headers: job.customHeaders });
          let out: Record<string, unknown> | JobOutcome | Promise<unknown>;
          try {
            out = handler(job) as Record<string, unknown> | JobOutcome | Promise<unknown>;
          } catch (e) {
            // as the worker runtime does: a handler that throws fails the job with its message
            out = { kind: 'fail', message: (e as Error).message } satisfies JobOutcome;
          }
          if (out instanceof Promise)
            throw new Error('async handlers are not supported by the in-process driver');
          const outcome = out as JobOutcome;
          if (
            outcome &&
            typeof outcome === 'object' &&
            'kind' in outcome &&
            typeof outcome.kind === 'string'
          ) {
            if (outcome.kind === 'complete') this.engine.completeJob(job.jobKey, outcome.variables);
            else if (outcome.kind === 'fail')
              this.engine.failJob(job.jobKey, {
                retries: outcome.retries ?? job.retries - 1,
                errorMessage: outcome.message,
              });
            else
              this.engine.throwJobError(job.jobKey, {
                errorCode: outcome.code,
                errorMessage: outcome.message,
              });
          } else this.engine.completeJob(job.jobKey, out as Record<string, unknown>);
        }
      }
      if (!any) return;
    }
    throw new Error('jobs keep coming after 200 rounds: a loop in the model or the handlers');
  }

  openTasks(processInstanceKey?: string): UserTaskItem[] {
    const filter: Record<string, unknown> = { state: 'CREATED' };
    if (processInstanceKey) filter.processInstanceKey = processInstanceKey;
    return this.engine.searchUserTasks({ filter, page: { limit: 1000 } }).items;
  }

  /** The one open user task with this element id (optionally of one process definition). */
  task(elementId: string, processDefinitionId?: string): UserTaskItem {
    const open = this.openTasks();
    const found = open.filter(
      (t) =>
        t.elementId === elementId && (!processDefinitionId || t.processDefinitionId === processDefinitionId),
    );
    if (found.length !== 1) {
      const list = open.map((t) => `${t.processDefinitionId}/${t.elementId}`).join(', ') || 'none';
      throw new Error(`expected one open task ${elementId}, found ${found.length}; open: ${list}`);
    }
    return found[0]!;
  }

  complete(elementId: string, variables: Record<string, unknown> = {}, processDefinitionId?: string): void {
    this.engine.completeUserTask(this.task(elementId, processDefinitionId).userTaskKey, { variables });
    this.runJobs();
  }

  /** Moves the clock to an instant; timers due by then fire, and the jobs they create are handled. */
  advanceTo(at: string): void {
    this.clock.pin(Date.parse(at));
    this.engine.processDue();
    this.runJobs();
  }

  publish(name: string, correlationKey: string, variables: Record<string, unknown> = {}): void {
    this.engine.publishMessage({ name, correlationKey, variables, timeToLive: 0 } as never);
    this.runJobs();
  }

  state(processInstanceKey: string): string {
    return this.engine.getProcessInstance(processInstanceKey).state;
  }

  variables(processInstanceKey: string): Record<string, unknown> {
    return this.engine.getVariables(processInstanceKey);
  }

  /** Element ids completed in an instance (and nothing of its children), in the order they started. */
  passed(processInstanceKey: string): string[] {
    return this.engine
      .searchElementInstances({
        filter: { processInstanceKey, state: 'COMPLETED' },
        sort: [{ field: 'elementInstanceKey', order: 'ASC' }],
        page: { limit: 10_000 },
      })
      .items.map((e) => e.elementId);
  }

  incidents(): Array<{ elementId: string; errorType: string; errorMessage: string }> {
    return this.engine.searchIncidents({ filter: { state: 'ACTIVE' }, page: { limit: 100 } }).items;
  }

  close(): void {
    this.engine.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

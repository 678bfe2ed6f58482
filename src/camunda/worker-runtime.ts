// The worker runtime: registers each job handler with the official client's job worker (createJobWorker)
// and turns what a handler returns into the job command — complete, fail, or throw a BPMN error.
//
// - A handler gets the job's variables already checked by its `variables` parser (typed), and returns an
//   outcome. A handler that throws becomes a job failure carrying the message (retries − 1), never a crash.
// - Variables the parser refuses fail the job with no retries: retrying cannot fix them, so an incident
//   shows the message to an administrator at once.
// - Shutdown: stop polling, let running handlers finish for up to `graceMs`, then release what is still
//   running (fail with the same retries and no back-off, so another worker picks it up at once).
import type { CamundaClient } from './client.ts';

export type JobVariables = Record<string, unknown>;

export type JobOutcome =
  | { kind: 'complete'; variables: JobVariables }
  | { kind: 'fail'; message: string; retries?: number; backoffMs?: number; variables?: JobVariables }
  | { kind: 'bpmnError'; code: string; message: string; variables?: JobVariables };

/** Completes the job, merging `variables` into the process. */
export function complete(variables: JobVariables = {}): JobOutcome {
  return { kind: 'complete', variables };
}

/**
 * Fails the job with a message an administrator can act on. `retries` defaults to the job's retries − 1;
 * at 0 the engine raises an incident. `backoffMs` delays the next attempt.
 */
export function fail(message: string, retries?: number, backoffMs?: number): JobOutcome {
  return { kind: 'fail', message, retries, backoffMs };
}

/** Throws a BPMN error that a boundary or event sub-process in the model can catch by its code. */
export function bpmnError(code: string, message: string, variables?: JobVariables): JobOutcome {
  return { kind: 'bpmnError', code, message, variables };
}

export interface JobContext {
  jobKey: string;
  type: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  retries: number;
  customHeaders: Record<string, string>;
  logger: WorkerLogger;
}

export interface WorkerDefinition<V = JobVariables> {
  /** The job type, e.g. `yunfu.check-application`. */
  type: string;
  handler: (variables: V, job: JobContext) => Promise<JobOutcome> | JobOutcome;
  /**
   * Checks and types the raw variables; throws an Error whose message names the bad variable. Without it
   * the handler gets the raw variables.
   */
  variables?: (raw: JobVariables) => V;
  /** Only these variables are fetched (Camunda's fetchVariable). */
  fetchVariables?: string[];
  /** Job lease in milliseconds (Camunda's job timeout); default 60 s. */
  timeout?: number;
  /** Jobs of this type handled at once; default 4. */
  concurrency?: number;
}

/** A definition whose variable type is erased, so definitions of different types fit in one list. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds handlers of different variable types
export type AnyWorkerDefinition = WorkerDefinition<any>;

export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface RunningWorkers {
  /** Jobs whose handler is running now. */
  inFlight(): number;
  /** Stops polling, waits up to `graceMs` for running handlers, releases the rest. */
  stop(graceMs?: number): Promise<{ finished: number; released: number }>;
}

export interface StartOptions {
  logger: WorkerLogger;
  /** Long-poll duration of each activation request (ms); default 10 s. */
  pollTimeoutMs?: number;
  workerName?: string;
}

interface Tracked {
  jobKey: string;
  retries: number;
  released: boolean;
  done: Promise<void>;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_CONCURRENCY = 4;

export function startWorkers(
  client: CamundaClient,
  definitions: readonly AnyWorkerDefinition[],
  options: StartOptions,
): RunningWorkers {
  checkDefinitions(definitions);
  const commands = clientCommands(client);
  const state: RuntimeState = {
    tracked: new Map(),
    draining: false,
    log: options.logger,
    commands,
    release: async (jobKey, retries) => {
      await commands.fail(jobKey, {
        retries,
        retryBackOff: 0,
        errorMessage: 'Released: the worker was shut down before the job finished',
      });
    },
  };
  const workers = definitions.map((def) =>
    client.createJobWorker({
      jobType: def.type,
      workerName: options.workerName ?? `yunfu-${def.type}`,
      maxParallelJobs: def.concurrency ?? DEFAULT_CONCURRENCY,
      jobTimeoutMs: def.timeout ?? DEFAULT_TIMEOUT,
      pollTimeoutMs: options.pollTimeoutMs ?? 10_000,
      ...(def.fetchVariables ? { fetchVariables: def.fetchVariables } : {}),
      jobHandler: (job) => handleJob(state, def, job),
    }),
  );
  return {
    inFlight: () => state.tracked.size,
    stop: (graceMs = 10_000) => stopRuntime(state, workers, graceMs),
  };
}

/** `definitions` with those of `overrides` in place of the same job type, and the overrides of other types added. */
export function withOverrides(
  definitions: readonly AnyWorkerDefinition[],
  overrides: readonly AnyWorkerDefinition[],
): AnyWorkerDefinition[] {
  const byType = new Map(overrides.map((w) => [w.type, w]));
  const known = new Set(definitions.map((w) => w.type));
  return [...definitions.map((w) => byType.get(w.type) ?? w), ...overrides.filter((w) => !known.has(w.type))];
}

function checkDefinitions(definitions: readonly AnyWorkerDefinition[]): void {
  const seen = new Set<string>();
  for (const def of definitions) {
    if (!def.type) throw new Error('A worker definition has no job type');
    if (seen.has(def.type)) throw new Error(`Two worker definitions handle job type '${def.type}'`);
    seen.add(def.type);
  }
}

/** What the running workers share: the jobs in flight and whether they are shutting down. */
interface RuntimeState {
  tracked: Map<string, Tracked>;
  draining: boolean;
  log: WorkerLogger;
  commands: JobCommands;
  /** Fails the job with the same retries and no back-off, so another worker picks it up at once. */
  release(jobKey: string, retries: number): Promise<void>;
}

type ClientJob = Parameters<Parameters<CamundaClient['createJobWorker']>[0]['jobHandler']>[0];

async function handleJob(state: RuntimeState, def: AnyWorkerDefinition, job: ClientJob) {
  const { log } = state;
  const jobKey = String(job.jobKey);
  const jobLog = {
    jobKey,
    jobType: def.type,
    processInstanceKey: String(job.processInstanceKey),
    elementId: String(job.elementId),
  };
  if (state.draining) {
    await state
      .release(jobKey, job.retries)
      .catch((e: unknown) =>
        log.warn({ ...jobLog, err: errorMessage(e) }, 'could not release a job activated during shutdown'),
      );
    return job.ignore();
  }
  let resolveDone: () => void = () => {};
  const entry: Tracked = {
    jobKey,
    retries: job.retries,
    released: false,
    done: new Promise<void>((r) => {
      resolveDone = r;
    }),
  };
  state.tracked.set(jobKey, entry);
  try {
    const outcome = await runJobHandler(def, job, log, jobLog);
    if (entry.released) {
      log.info(jobLog, 'handler finished after its job was released; result dropped');
      return job.ignore();
    }
    await applyOutcome(state.commands, jobKey, job.retries, outcome);
    log.debug({ ...jobLog, outcome: outcome.kind }, 'job handled');
  } catch (e) {
    // The command itself was refused (e.g. the job was cancelled meanwhile): log it, never crash.
    log.warn({ ...jobLog, err: errorMessage(e) }, 'job command was refused');
  } finally {
    state.tracked.delete(jobKey);
    resolveDone();
  }
  return job.ignore();
}

async function stopRuntime(
  state: RuntimeState,
  workers: ReadonlyArray<{ stop(): unknown }>,
  graceMs: number,
): Promise<{ finished: number; released: number }> {
  state.draining = true;
  // Stop polling at once: the pending long-poll is cancelled (its HTTP request aborted, so the server
  // activates nothing more for it). Waiting for it instead would lose its jobs: the client's worker drops
  // jobs that arrive after it was stopped, and they would stay locked until their timeout.
  for (const w of workers) w.stop();
  const pending = [...state.tracked.values()];
  await Promise.race([Promise.all(pending.map((t) => t.done)), delay(graceMs)]);
  let released = 0;
  for (const t of state.tracked.values()) {
    t.released = true;
    released++;
    await state
      .release(t.jobKey, t.retries)
      .catch((e: unknown) =>
        state.log.warn({ jobKey: t.jobKey, err: errorMessage(e) }, 'could not release a job at shutdown'),
      );
  }
  return { finished: pending.length - released, released };
}

/**
 * Runs a handler on an activated job: variables checked by its parser (refused ones fail the job with no retries:
 * retrying cannot fix them), a handler that throws becomes a failure with retries − 1. Shared by the worker runtime
 * and the in-process runner.
 */
export async function runJobHandler(
  def: AnyWorkerDefinition,
  job: {
    variables: unknown;
    customHeaders: unknown;
    retries: number;
    jobKey: unknown;
    processInstanceKey: unknown;
    processDefinitionId: unknown;
    elementId: unknown;
  },
  log: WorkerLogger,
  jobLog: Record<string, unknown>,
): Promise<JobOutcome> {
  let variables: unknown = job.variables;
  if (def.variables) {
    try {
      variables = def.variables((job.variables ?? {}) as JobVariables);
    } catch (e) {
      log.warn({ ...jobLog, err: errorMessage(e) }, 'job variables refused');
      return { kind: 'fail', message: `Invalid variables: ${errorMessage(e)}`, retries: 0 };
    }
  }
  const context: JobContext = {
    jobKey: String(job.jobKey),
    type: def.type,
    processInstanceKey: String(job.processInstanceKey),
    processDefinitionId: String(job.processDefinitionId),
    elementId: String(job.elementId),
    retries: job.retries,
    customHeaders: (job.customHeaders ?? {}) as Record<string, string>,
    logger: log,
  };
  try {
    return await def.handler(variables, context);
  } catch (e) {
    log.error({ ...jobLog, err: errorMessage(e) }, 'job handler threw');
    return { kind: 'fail', message: errorMessage(e), retries: Math.max(0, job.retries - 1) };
  }
}

/** The engine commands a job outcome turns into: the official client's, or the embedded engine's in-process. */
export interface JobCommands {
  complete(jobKey: string, variables: JobVariables): unknown;
  fail(
    jobKey: string,
    req: { retries: number; errorMessage: string; retryBackOff?: number; variables?: JobVariables },
  ): unknown;
  throwError(
    jobKey: string,
    req: { errorCode: string; errorMessage: string; variables?: JobVariables },
  ): unknown;
}

/** Job outcome → engine call, the one mapping for the worker runtime and the in-process runner. */
export async function applyOutcome(
  commands: JobCommands,
  jobKey: string,
  retries: number,
  outcome: JobOutcome,
): Promise<void> {
  switch (outcome.kind) {
    case 'complete':
      await commands.complete(jobKey, outcome.variables);
      return;
    case 'fail':
      await commands.fail(jobKey, {
        errorMessage: outcome.message,
        retries: outcome.retries ?? Math.max(0, retries - 1),
        ...(outcome.backoffMs !== undefined ? { retryBackOff: outcome.backoffMs } : {}),
        ...(outcome.variables ? { variables: outcome.variables } : {}),
      });
      return;
    case 'bpmnError':
      await commands.throwError(jobKey, {
        errorCode: outcome.code,
        errorMessage: outcome.message,
        ...(outcome.variables ? { variables: outcome.variables } : {}),
      });
      return;
  }
}

function clientCommands(client: CamundaClient): JobCommands {
  // The strict client brands job keys; ours come from the jobs it activated.
  const key = (jobKey: string) => jobKey as Parameters<CamundaClient['completeJob']>[0]['jobKey'];
  return {
    complete: (jobKey, variables) => client.completeJob({ jobKey: key(jobKey), variables }),
    fail: (jobKey, req) => client.failJob({ jobKey: key(jobKey), ...req }),
    throwError: (jobKey, req) => client.throwJobError({ jobKey: key(jobKey), ...req }),
  };
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const detail = (e as { detail?: unknown }).detail;
    return typeof detail === 'string' && detail ? `${e.message}: ${detail}` : e.message;
  }
  return String(e);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

// Drives the real models of processes/ with the real workers (workers/all.ts, on a real SQLite store), the clock
// pinned and moved instead of waiting. Two ways, one interface, so every path test runs on both:
//   - `engine`: the embedded engine in-process, jobs handed to the workers' handlers directly;
//   - `client`: the embedded engine behind its Camunda REST API on a real port, the official client for every
//     command and query, the workers running in the worker runtime exactly as `npm start` runs them.
// Assertions read like Camunda Process Test's: passed elements, open tasks for a group with a form, incidents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  createCamundaClient,
  createLooseCamundaClient,
  type LooseCamundaClient,
} from '../../src/camunda/client.ts';
import { type AnyWorkerDefinition, startWorkers } from '../../src/camunda/worker-runtime.ts';
import { type HandledJob, InProcessWorkers } from '../../src/demo/in-process-workers.ts';
import { loadRegulation, type Regulation } from '../../src/domain/index.ts';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { startEmbedded } from '../../src/engine/rest/standalone.ts';
import { PROCESSES_DIR, readDeployableResources } from '../../src/modeling/catalogue.ts';
import { DocumentStorage } from '../../src/store/documents.ts';
import { insertProject, type ProjectContent } from '../../src/store/projects.ts';
import { Store } from '../../src/store/store.ts';
import { upsertUnit } from '../../src/store/units.ts';
import { createWorkers } from '../../workers/all.ts';
import { professionalContent } from './projects.ts';

export interface OpenTask {
  userTaskKey: string;
  elementId: string;
  processDefinitionId: string;
  processInstanceKey: string;
  candidateGroups: string[];
  dueDate: string | null;
  formKey: string | null;
}

export type { HandledJob };

export const UNITS = [
  { unitId: 'gongan', unitName: '云浮市公安局' },
  { unitId: 'ziranziyuan', unitName: '云浮市自然资源局' },
];

export interface ProcessDriver {
  readonly kind: 'engine' | 'client';
  readonly handled: HandledJob[];
  readonly store: Store;
  now(): number;
  /** Starts an instance and returns when every job it led to was handled. */
  start(processDefinitionId: string, variables: Record<string, unknown>): Promise<string>;
  openTasks(processInstanceKey?: string): Promise<OpenTask[]>;
  /** The one open user task with this element id (optionally of one process definition). */
  task(elementId: string, processDefinitionId?: string): Promise<OpenTask>;
  complete(
    elementId: string,
    variables?: Record<string, unknown>,
    processDefinitionId?: string,
  ): Promise<void>;
  completeTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void>;
  /** Moves the clock to an instant; timers due by then fire and their jobs are handled. */
  advanceTo(at: string): Promise<void>;
  publish(name: string, correlationKey: string, variables?: Record<string, unknown>): Promise<void>;
  state(processInstanceKey: string): Promise<string>;
  variables(processInstanceKey: string): Promise<Record<string, unknown>>;
  /** Element ids completed in an instance (not its children), in the order they started. */
  passed(processInstanceKey: string): Promise<string[]>;
  incidents(): Promise<Array<{ elementId: string; errorType: string; errorMessage: string }>>;
  close(): Promise<void>;
}

/** A store on a temporary SQLite file with two Units, and the project rows the lifecycle writes to. */
async function openStore(dir: string): Promise<Store> {
  const store = await Store.open({ databaseUrl: null, dataDir: dir });
  await store.transaction(async (tx) => {
    for (const u of UNITS) {
      await upsertUnit(tx, {
        tenantId: 'yunfu',
        id: u.unitId,
        name: u.unitName,
        responsibleSection: '信息化科',
      });
    }
  });
  return store;
}

/** Puts a project in the 项目库, as the business API does before it starts the lifecycle. */
export async function seedProject(
  store: Store,
  id: string,
  content: Partial<ProjectContent> = {},
): Promise<void> {
  await store.transaction((tx) =>
    insertProject(tx, {
      id,
      tenantId: 'yunfu',
      createdBy: 'test',
      at: '2026-11-01T00:00:00.000Z',
      content: professionalContent(content),
    }).then(() => undefined),
  );
}

function recording(definitions: AnyWorkerDefinition[], handled: HandledJob[]): AnyWorkerDefinition[] {
  return definitions.map((d) => ({
    ...d,
    handler: (vars, job) => {
      handled.push({ type: job.type, elementId: job.elementId, headers: job.customHeaders });
      return d.handler(vars, job);
    },
  }));
}

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const LIVE_JOB_STATES = new Set(['CREATED', 'ACTIVATED', 'TIMED_OUT', 'RETRIES_UPDATED']);

/** Open user tasks, as both engines' searches return them. */
function toOpenTask(t: Record<string, unknown>): OpenTask {
  return {
    userTaskKey: String(t.userTaskKey),
    elementId: String(t.elementId),
    processDefinitionId: String(t.processDefinitionId),
    processInstanceKey: String(t.processInstanceKey),
    candidateGroups: (t.candidateGroups as string[] | undefined) ?? [],
    dueDate: (t.dueDate as string | null | undefined) ?? null,
    formKey: t.formKey === undefined || t.formKey === null ? null : String(t.formKey),
  };
}

function pick(open: OpenTask[], elementId: string, processDefinitionId?: string): OpenTask {
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

abstract class Base {
  constructor(
    readonly engine: Engine,
    readonly store: Store,
    protected readonly dir: string,
    readonly handled: HandledJob[] = [],
  ) {}
  now(): number {
    return this.engine.clock.now();
  }
  abstract openTasks(processInstanceKey?: string): Promise<OpenTask[]>;
  async task(elementId: string, processDefinitionId?: string): Promise<OpenTask> {
    return pick(await this.openTasks(), elementId, processDefinitionId);
  }
  abstract completeTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void>;
  async complete(
    elementId: string,
    variables: Record<string, unknown> = {},
    processDefinitionId?: string,
  ): Promise<void> {
    await this.completeTask((await this.task(elementId, processDefinitionId)).userTaskKey, variables);
  }
}

/** The embedded engine in-process; the workers' handlers called directly (src/demo/in-process-workers.ts). */
class EngineDriver extends Base implements ProcessDriver {
  readonly kind = 'engine' as const;
  private readonly workers: InProcessWorkers;

  constructor(engine: Engine, store: Store, dir: string, regulation: Regulation) {
    super(engine, store, dir);
    const documents = new DocumentStorage(join(dir, 'documents'));
    // the workers that start a process (the campaign's daily opening check, P-1) start it in this engine
    const startProcess = async (processDefinitionId: string, variables: Record<string, unknown>) => {
      const r = engine.createProcessInstance({ processDefinitionId, variables } as never) as {
        processInstanceKey: string;
      };
      return { processInstanceKey: String(r.processInstanceKey) };
    };
    const list = createWorkers({ regulation, now: () => this.now(), store, documents, startProcess });
    this.workers = new InProcessWorkers(engine, list, this.handled);
  }

  async settle(): Promise<void> {
    await this.workers.settle();
  }

  async start(processDefinitionId: string, variables: Record<string, unknown>): Promise<string> {
    const r = this.engine.createProcessInstance({ processDefinitionId, variables } as never) as {
      processInstanceKey: string;
    };
    await this.settle();
    return r.processInstanceKey;
  }
  async openTasks(processInstanceKey?: string): Promise<OpenTask[]> {
    const filter: Record<string, unknown> = { state: 'CREATED' };
    if (processInstanceKey) filter.processInstanceKey = processInstanceKey;
    return this.engine
      .searchUserTasks({ filter, page: { limit: 1000 } })
      .items.map((t) => toOpenTask({ ...t }));
  }
  async completeTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void> {
    this.engine.completeUserTask(userTaskKey, { variables });
    await this.settle();
  }
  async advanceTo(at: string): Promise<void> {
    this.engine.pinClock(Date.parse(at));
    this.engine.processDue();
    await this.settle();
  }
  async publish(
    name: string,
    correlationKey: string,
    variables: Record<string, unknown> = {},
  ): Promise<void> {
    this.engine.publishMessage({ name, correlationKey, variables, timeToLive: 0 } as never);
    await this.settle();
  }
  async state(pik: string): Promise<string> {
    return this.engine.getProcessInstance(pik).state;
  }
  async variables(pik: string): Promise<Record<string, unknown>> {
    return this.engine.getVariables(pik);
  }
  async passed(pik: string): Promise<string[]> {
    return this.engine
      .searchElementInstances({
        filter: { processInstanceKey: pik, state: 'COMPLETED' },
        sort: [{ field: 'elementInstanceKey', order: 'ASC' }],
        page: { limit: 10_000 },
      })
      .items.map((e) => e.elementId);
  }
  async incidents() {
    return this.engine.searchIncidents({ filter: { state: 'ACTIVE' }, page: { limit: 100 } }).items;
  }
  async close(): Promise<void> {
    this.engine.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The embedded engine behind /v2 on a real port; the official client for everything; the worker runtime. */
class ClientDriver extends Base implements ProcessDriver {
  readonly kind = 'client' as const;
  private constructor(
    engine: Engine,
    store: Store,
    dir: string,
    private readonly client: LooseCamundaClient,
    private readonly running: ReturnType<typeof startWorkers>,
    private readonly server: { close(): Promise<void> },
    handled: HandledJob[],
  ) {
    super(engine, store, dir, handled);
  }

  static async open(at: string, dir: string, store: Store, regulation: Regulation): Promise<ClientDriver> {
    const logger = pino({ level: 'silent' });
    const server = await startEmbedded({
      dataDir: join(dir, 'engine'),
      host: '127.0.0.1',
      port: 0,
      logger,
      processesDir: PROCESSES_DIR,
    });
    server.engine.pinClock(Date.parse(at));
    const config = { restAddress: server.address!, auth: { strategy: 'NONE' as const }, tenantId: null };
    const client = createLooseCamundaClient(config);
    const handled: HandledJob[] = [];
    const documents = new DocumentStorage(join(dir, 'documents'));
    const list = createWorkers({
      regulation,
      now: () => server.engine.clock.now(),
      store,
      documents,
      // the workers that start a process (the campaign's daily opening check, P-1) start it through the client
      startProcess: async (processDefinitionId, variables) => {
        const r = await client.createProcessInstance({ processDefinitionId, variables } as never);
        return { processInstanceKey: String(r.processInstanceKey) };
      },
    });
    const running = startWorkers(createCamundaClient(config), recording(list, handled), {
      logger: quiet,
      pollTimeoutMs: 1_000,
    });
    return new ClientDriver(server.engine, store, dir, client, running, server, handled);
  }

  /** Waits until no job is left for a worker and no handler is running (twice in a row). */
  async settle(): Promise<void> {
    const until = Date.now() + 20_000;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > until) throw new Error('the workers did not settle within 20 s');
      await new Promise((r) => setTimeout(r, 25));
      const live = this.engine
        .searchJobs({ page: { limit: 1000 } })
        .items.filter((j) => LIVE_JOB_STATES.has(j.state) || (j.state === 'FAILED' && j.retries > 0));
      quiet = live.length === 0 && this.running.inFlight() === 0 ? quiet + 1 : 0;
    }
  }

  async start(processDefinitionId: string, variables: Record<string, unknown>): Promise<string> {
    const r = await this.client.createProcessInstance({ processDefinitionId, variables } as never);
    await this.settle();
    return String(r.processInstanceKey);
  }
  async openTasks(processInstanceKey?: string): Promise<OpenTask[]> {
    const filter: Record<string, unknown> = { state: 'CREATED' };
    if (processInstanceKey) filter.processInstanceKey = processInstanceKey;
    const r = await this.client.searchUserTasks({ filter, page: { limit: 1000 } } as never, {
      consistency: { waitUpToMs: 0 },
    });
    return r.items.map((t) => toOpenTask({ ...t }));
  }
  async completeTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void> {
    await this.client.completeUserTask({ userTaskKey, variables } as never);
    await this.settle();
  }
  async advanceTo(at: string): Promise<void> {
    await this.client.pinClock({ timestamp: Date.parse(at) } as never);
    await this.settle();
  }
  async publish(
    name: string,
    correlationKey: string,
    variables: Record<string, unknown> = {},
  ): Promise<void> {
    await this.client.publishMessage({ name, correlationKey, variables, timeToLive: 0 } as never);
    await this.settle();
  }
  async state(pik: string): Promise<string> {
    const r = await this.client.getProcessInstance({ processInstanceKey: pik } as never, {
      consistency: { waitUpToMs: 0 },
    });
    return String(r.state);
  }
  async variables(pik: string): Promise<Record<string, unknown>> {
    const r = await this.client.searchVariables(
      { filter: { processInstanceKey: pik, scopeKey: pik }, page: { limit: 1000 } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    return Object.fromEntries(r.items.map((v) => [v.name, JSON.parse(String(v.value))]));
  }
  async passed(pik: string): Promise<string[]> {
    const r = await this.client.searchElementInstances(
      {
        filter: { processInstanceKey: pik, state: 'COMPLETED' },
        sort: [{ field: 'elementInstanceKey', order: 'ASC' }],
        page: { limit: 10_000 },
      } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    return (r.items ?? []).map((e) => String(e.elementId));
  }
  async incidents() {
    const r = await this.client.searchIncidents(
      { filter: { state: 'ACTIVE' }, page: { limit: 100 } } as never,
      {
        consistency: { waitUpToMs: 0 },
      },
    );
    return (r.items ?? []).map((i) => ({
      elementId: String(i.elementId),
      errorType: String(i.errorType),
      errorMessage: String(i.errorMessage),
    }));
  }
  async close(): Promise<void> {
    await this.running.stop(1_000);
    await this.server.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type DriverKind = ProcessDriver['kind'];

/** An engine with every resource of processes/ deployed, the clock pinned at `at`, the workers ready. */
export async function openDriver(
  kind: DriverKind,
  at: string,
  regulation: Regulation = loadRegulation(),
): Promise<ProcessDriver> {
  const dir = mkdtempSync(join(tmpdir(), `process-${kind}-`));
  const store = await openStore(dir);
  if (kind === 'client') return ClientDriver.open(at, dir, store, regulation);
  const clock = new EngineClock();
  clock.pin(Date.parse(at));
  const engine = await Engine.open({ file: join(dir, 'engine.db'), clock, synchronous: 'NORMAL' });
  await engine.deploy(readDeployableResources());
  return new EngineDriver(engine, store, dir, regulation);
}

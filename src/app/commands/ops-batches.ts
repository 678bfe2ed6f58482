// Batch cancel / batch retry "on the current filter" (Operate's batch operations), done in the business service over
// the engine's single-instance calls (cancel; per incident: raise the job's retries, resolve). The operator confirms
// the number of instances the filter finds; the batch and every instance are recorded (`pending`) in one store
// transaction before the engine is asked anything; then each instance is acted on and settled — `done` or `failed`
// with the engine's reason — together with its own audit entry (the reason) in one transaction. A crash mid-batch
// leaves `pending` items: the batch shows them and a resume acts on them again. Acting again is harmless because
// each step looks first: an instance no longer running is not cancelled twice, a resolved incident not retried.
// A project's lifecycle is never cancelled in a batch: IM-9 ends a project only through its termination filing,
// which needs its own reason (one instance at a time, src/app/commands/operate.ts).
import { randomUUID } from 'node:crypto';
import {
  findOpsBatch,
  listOpsBatches,
  type OpsBatch,
  type OpsBatchOperation,
  opsBatchCounts,
  opsBatchItems,
  recordOpsBatch,
  settleOpsBatchItem,
} from '../../store/ops-batches.ts';
import { findProject } from '../../store/projects.ts';
import type { Principal } from '../authz.ts';
import { problem } from '../problem.ts';
import { ProcessEngineError } from '../process-gateway.ts';
import { type InstanceFilterInput, instanceFilter } from '../queries/ops-filter.ts';
import {
  type Actor,
  audit,
  type CommandContext,
  engineProblem,
  gatewayOf,
  isUncertain,
  tenantOfVariables,
} from './context.ts';
import { ensureOperator } from './operate.ts';

const PAGE = 1000;
export const MAX_BATCH = 10_000;

/** The filter a batch acts on: only running instances; a retry only those with an incident. */
function batchFilter(operation: OpsBatchOperation, filter: InstanceFilterInput): InstanceFilterInput {
  if (filter.state === 'COMPLETED' || filter.state === 'TERMINATED') {
    throw problem.validation('批量操作只对运行中的流程实例', [
      { field: 'filter.state', reason: '已完成或已取消的实例不能取消或重试' },
    ]);
  }
  if (operation === 'retry') return { ...filter, state: 'INCIDENT', hasIncident: undefined };
  return { ...filter, state: filter.state ?? 'ACTIVE' };
}

async function batchTargets(ctx: CommandContext, p: Principal, f: InstanceFilterInput): Promise<string[]> {
  const gateway = gatewayOf(ctx);
  const engineFilter = instanceFilter(f, p.tenantId);
  const keys: string[] = [];
  for (let from = 0; from <= MAX_BATCH; from += PAGE) {
    const r = await gateway.searchProcessInstances({ ...engineFilter, page: { from, limit: PAGE } });
    if (r.total > MAX_BATCH) {
      throw problem.validation(`筛选结果 ${r.total} 个实例，超过单批上限 ${MAX_BATCH}，请缩小筛选范围`, [
        { field: 'filter', reason: `超过 ${MAX_BATCH} 个实例` },
      ]);
    }
    keys.push(...r.items.map((i) => i.processInstanceKey));
    if (r.items.length < PAGE || keys.length >= r.total) break;
  }
  return [...new Set(keys)];
}

/** How many instances a batch on this filter would act on (the confirmation shows it). */
export async function previewBatch(
  ctx: CommandContext,
  p: Principal,
  operation: OpsBatchOperation,
  filter: InstanceFilterInput,
) {
  ensureOperator(p);
  const effective = batchFilter(operation, filter);
  return { operation, count: (await batchTargets(ctx, p, effective)).length, filter: effective };
}

export async function batchView(ctx: CommandContext, batch: OpsBatch, withItems: boolean) {
  const counts = await opsBatchCounts(ctx.store, batch.id);
  return {
    id: batch.id,
    operation: batch.operation,
    state: counts.pending > 0 ? (running.has(batch.id) ? 'running' : 'interrupted') : 'completed',
    reason: batch.reason,
    filter: batch.filter,
    ...counts,
    createdBy: batch.accountId,
    createdAt: batch.createdAt,
    updatedAt: batch.updatedAt,
    ...(withItems ? { items: await opsBatchItems(ctx.store, batch.id) } : {}),
  };
}

/** Batches being worked on in this process (a second resume of one of them waits for nothing and starts nothing). */
const running = new Set<string>();

/** Records the batch and its instances, audits it, and starts working through it (not awaited). */
export async function createBatch(
  ctx: CommandContext,
  actor: Actor,
  input: { operation: OpsBatchOperation; filter: InstanceFilterInput; reason: string; expectedCount: number },
) {
  const p = actor.principal;
  ensureOperator(p);
  const filter = batchFilter(input.operation, input.filter);
  const keys = await batchTargets(ctx, p, filter);
  if (keys.length !== input.expectedCount) {
    throw problem.conflict(
      `筛选结果已变为 ${keys.length} 个实例（确认时为 ${input.expectedCount} 个），请重新确认`,
      [{ field: 'expectedCount', reason: `当前为 ${keys.length}` }],
    );
  }
  const at = ctx.now().toISOString();
  const batch: OpsBatch = {
    id: randomUUID(),
    tenantId: p.tenantId,
    operation: input.operation,
    filter: filter as Record<string, unknown>,
    reason: input.reason.trim(),
    accountId: p.accountId,
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.transaction(async (tx) => {
    await recordOpsBatch(tx, batch, keys);
    await audit(tx, ctx, actor, {
      action: 'ops-batch.create',
      entityType: 'ops-batch',
      entityId: batch.id,
      payload: { operation: batch.operation, filter, reason: batch.reason, count: keys.length },
    });
  });
  startWork(ctx, actor, batch);
  return batchView(ctx, batch, false);
}

export async function getBatch(ctx: CommandContext, p: Principal, id: string, withItems = true) {
  ensureOperator(p);
  const batch = await findOpsBatch(ctx.store, p.tenantId, id);
  if (!batch) throw problem.notFound(`批量操作 ${id} 不存在`);
  return batchView(ctx, batch, withItems);
}

export async function listBatches(ctx: CommandContext, p: Principal) {
  ensureOperator(p);
  const batches = await listOpsBatches(ctx.store, p.tenantId, 50);
  return Promise.all(batches.map((b) => batchView(ctx, b, false)));
}

/** Works again through the pending instances of a batch a crash (or a restart) interrupted. */
export async function resumeBatch(ctx: CommandContext, actor: Actor, id: string) {
  const p = actor.principal;
  ensureOperator(p);
  const batch = await findOpsBatch(ctx.store, p.tenantId, id);
  if (!batch) throw problem.notFound(`批量操作 ${id} 不存在`);
  const counts = await opsBatchCounts(ctx.store, id);
  if (counts.pending === 0) throw problem.conflict('该批量操作已全部处理，无需继续');
  if (running.has(id)) throw problem.conflict('该批量操作正在处理中');
  await ctx.store.transaction((tx) =>
    audit(tx, ctx, actor, {
      action: 'ops-batch.resume',
      entityType: 'ops-batch',
      entityId: id,
      payload: { operation: batch.operation, pending: counts.pending },
    }),
  );
  startWork(ctx, actor, batch);
  return batchView(ctx, batch, false);
}

function startWork(ctx: CommandContext, actor: Actor, batch: OpsBatch): void {
  if (running.has(batch.id)) return;
  running.add(batch.id);
  // the request that started it answers now; the audit entries of the instances name it all the same
  const worker = { ...actor, onAudit: undefined };
  void workThrough(ctx, worker, batch)
    .catch((e: unknown) => actor.log.error({ batchId: batch.id, err: e }, 'batch operation stopped'))
    .finally(() => running.delete(batch.id));
}

async function workThrough(ctx: CommandContext, actor: Actor, batch: OpsBatch): Promise<void> {
  const pending = await opsBatchItems(ctx.store, batch.id, 'pending');
  for (const { processInstanceKey } of pending) {
    let outcome: Outcome;
    try {
      outcome = await actOn(ctx, batch, processInstanceKey);
    } catch (e) {
      // an outage, an uncertain answer or a store failure: the item stays pending (a resume acts on it again) and
      // the batch stops here; only a certain refusal (4xx) settles the item as failed, with the engine's reason
      if (!(e instanceof ProcessEngineError) || isUncertain(e)) throw e;
      const refused = engineProblem(e, batch.operation === 'cancel' ? '取消流程实例' : '重试故障');
      outcome = { state: 'failed', detail: refused instanceof Error ? refused.message : e.message };
    }
    await settle(ctx, actor, batch, processInstanceKey, outcome);
  }
  actor.log.info({ batchId: batch.id, operation: batch.operation }, 'batch operation worked through');
}

interface Outcome {
  state: 'done' | 'failed';
  detail: string | null;
  projectId?: string | null;
  /** What the engine was asked to do for this instance (for its audit entry). */
  acted?: Record<string, unknown>;
}

async function actOn(ctx: CommandContext, batch: OpsBatch, key: string): Promise<Outcome> {
  const gateway = gatewayOf(ctx);
  const instance = await gateway.getProcessInstance(key);
  const vars = (await gateway.instanceVariables([key], ['tenantId', 'projectId'])).get(key) ?? {};
  if (!instance || tenantOfVariables(vars) !== batch.tenantId)
    return { state: 'failed', detail: '流程实例不存在' };
  const projectId = typeof vars.projectId === 'string' ? vars.projectId : null;
  if (instance.state !== 'ACTIVE') {
    // already ended (by this batch before a crash, or by anyone): nothing more to do
    return {
      state: 'done',
      detail: `流程实例已结束（${instance.state}）`,
      projectId,
      acted: { nothing: true },
    };
  }
  if (batch.operation === 'cancel') {
    const project = projectId ? await findProject(ctx.store.db, batch.tenantId, projectId) : undefined;
    if (project && project.processInstanceKey === key) {
      return {
        state: 'failed',
        detail: '项目全生命周期不能批量取消：须逐个办理终止合同备案（IM-9）',
        projectId,
      };
    }
    await gateway.cancelProcessInstance(key);
    return { state: 'done', detail: null, projectId, acted: { cancelled: true } };
  }
  const incidents = await gateway.searchIncidents({ processInstanceKey: key, state: 'ACTIVE' });
  for (const i of incidents.items) await gateway.retryIncident(i.incidentKey);
  const incidentKeys = incidents.items.map((i) => i.incidentKey);
  return {
    state: 'done',
    detail: incidentKeys.length === 0 ? '没有未解决的故障' : null,
    projectId,
    acted: { incidentKeys },
  };
}

/** The item's state and its audit entry (with the batch's reason), in one transaction. */
async function settle(ctx: CommandContext, actor: Actor, batch: OpsBatch, key: string, o: Outcome) {
  await ctx.store.transaction(async (tx) => {
    const at = ctx.now().toISOString();
    const settled = await settleOpsBatchItem(tx, {
      batchId: batch.id,
      processInstanceKey: key,
      state: o.state,
      detail: o.detail,
      at,
    });
    if (!settled) return;
    await audit(tx, ctx, actor, {
      // a refused instance is audited too (with the reason asked for and the refusal), never as a cancel/retry
      action:
        o.state === 'failed'
          ? 'ops-batch.item-failed'
          : batch.operation === 'cancel'
            ? 'process-instance.cancel'
            : 'process-instance.retry',
      entityType: 'process-instance',
      entityId: key,
      projectId: o.projectId ?? null,
      payload: {
        batchId: batch.id,
        reason: batch.reason,
        outcome: o.state,
        detail: o.detail,
        ...(o.acted ?? {}),
      },
    });
  });
}

// PUB-1, G-5: the Bureau opens a collection of public-category needs — for every Unit of the tenant or the ones it
// chooses, with a deadline in working days (src/domain/calendar.ts, the start day not counted, due at the end of the
// last working day). The collection runs as `public-needs-collection`: each Unit states its needs in its own task,
// the deadline ends the tasks not answered, and the Bureau consolidates the answers into public projects that go on
// through PUB-2..PUB-4. The engine starts the process outside any store transaction; the audit entry follows in one;
// a store failure after the start cancels the instance (compensation).
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import { nextValue } from '../../store/counters.ts';
import { listUnits } from '../../store/units.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Variables } from '../process-gateway.ts';
import { type Actor, audit, type CommandContext, engineCall, ensure, gatewayOf } from './context.ts';

export const NEEDS_COLLECTION_PROCESS = 'public-needs-collection';
/** The longest collection window the Bureau may set, in working days (about three months). */
export const MAX_COLLECTION_WORKING_DAYS = 60;

export interface OpenNeedsCollectionInput {
  /** The year the needs are for (PUB-1: next year's public project plan). */
  planYear: number;
  /** How many working days the Units have, counted from the day after today. */
  workingDays: number;
  /** The Units asked; absent: every Unit of the tenant. */
  unitIds?: string[];
}

export interface OpenedNeedsCollection {
  needsCollectionId: string;
  processInstanceKey: string;
  planYear: number;
  needsCollectionDue: string;
  /** True when the deadline crosses a year whose official holiday schedule is not published yet. */
  dueProvisional: boolean;
  units: Array<{ unitId: string; unitName: string }>;
}

async function chosenUnits(
  ctx: CommandContext,
  tenantId: string,
  unitIds: string[] | undefined,
): Promise<Array<{ unitId: string; unitName: string }>> {
  const all = await listUnits(ctx.store.db, tenantId);
  if (unitIds === undefined) {
    if (all.length === 0) throw problem.conflict('本租户没有登记任何市直单位，无法征集需求');
    return all.map((u) => ({ unitId: u.id, unitName: u.name }));
  }
  if (unitIds.length === 0) {
    throw problem.validation('至少选择一个单位', [
      { field: 'unitIds', reason: '至少选择一个单位，或不填表示全部单位' },
    ]);
  }
  const byId = new Map(all.map((u) => [u.id, u]));
  const issues = unitIds.flatMap((id, i) => {
    if (!byId.has(id)) return [{ field: `unitIds[${i}]`, reason: `单位 ${id} 不存在` }];
    if (unitIds.indexOf(id) !== i) return [{ field: `unitIds[${i}]`, reason: `单位 ${id} 重复` }];
    return [];
  });
  if (issues.length > 0) throw problem.validation('征集的单位有误', issues);
  return unitIds.map((id) => ({ unitId: id, unitName: byId.get(id)!.name }));
}

function checkYearAndDays(ctx: CommandContext, input: OpenNeedsCollectionInput): void {
  const thisYear = DateTime.fromJSDate(ctx.now(), { zone: ZONE }).year;
  const issues = [];
  if (input.planYear < thisYear || input.planYear > thisYear + 2) {
    issues.push({ field: 'planYear', reason: `规划年度须在 ${thisYear}–${thisYear + 2} 之间` });
  }
  if (input.workingDays < 1 || input.workingDays > MAX_COLLECTION_WORKING_DAYS) {
    issues.push({ field: 'workingDays', reason: `期限须为 1–${MAX_COLLECTION_WORKING_DAYS} 个工作日` });
  }
  if (issues.length > 0) throw problem.validation('征集参数有误', issues);
}

/**
 * A Unit answers one collection per plan year: a second open collection for the same year that asks a Unit already
 * asked would give it two tasks for the same needs. A later collection for the Units not yet asked (a supplement) is
 * allowed, and so is a new one once the earlier one has closed.
 */
async function refuseOverlap(
  ctx: CommandContext,
  tenantId: string,
  planYear: number,
  units: Array<{ unitId: string; unitName: string }>,
  chosen: boolean,
): Promise<void> {
  const gateway = gatewayOf(ctx);
  const open = await gateway.searchProcessInstances({
    processDefinitionId: NEEDS_COLLECTION_PROCESS,
    state: 'ACTIVE',
    variables: { tenantId, planYear },
    page: { from: 0, limit: 100 },
  });
  const keys = open.items.filter((i) => i.parentProcessInstanceKey === null).map((i) => i.processInstanceKey);
  if (keys.length === 0) return;
  const vars = await gateway.instanceVariables(keys, ['needsCollectionId', 'units']);
  const issues = units.flatMap((u, i) => {
    for (const [, v] of vars) {
      const asked = Array.isArray(v.units) ? (v.units as Array<{ unitId?: unknown }>) : [];
      if (asked.some((a) => a.unitId === u.unitId)) {
        const field = chosen ? `unitIds[${i}]` : 'unitIds';
        return [
          { field, reason: `${u.unitName} 已在 ${String(v.needsCollectionId)} 中征集 ${planYear} 年度需求` },
        ];
      }
    }
    return [];
  });
  if (issues.length > 0) {
    throw problem.conflict(`${planYear} 年度的需求征集尚未结束，同一单位不能重复征集`, issues);
  }
}

export async function openNeedsCollection(
  ctx: CommandContext,
  actor: Actor,
  input: OpenNeedsCollectionInput,
): Promise<OpenedNeedsCollection> {
  const p = actor.principal;
  ensure(decide(p, 'needs.open', { tenantId: p.tenantId }));
  const gateway = gatewayOf(ctx);
  checkYearAndDays(ctx, input);
  const units = await chosenUnits(ctx, p.tenantId, input.unitIds);
  await refuseOverlap(ctx, p.tenantId, input.planYear, units, input.unitIds !== undefined);
  const now = ctx.now();
  const due = ctx.regulation.calendar.addWorkingDays(now, input.workingDays);
  const seq = await ctx.store.transaction((tx) =>
    nextValue(tx, p.tenantId, 'needs-collection', input.planYear),
  );
  const needsCollectionId = `PN-${input.planYear}-${String(seq).padStart(2, '0')}`;
  const variables: Variables = {
    needsCollectionId,
    tenantId: p.tenantId,
    planYear: input.planYear,
    units,
    needsCollectionDue: due.iso,
    needsCollectionWorkingDays: input.workingDays,
    openedBy: p.accountId,
    openedAt: now.toISOString(),
    // SU-2: the edition in force when the collection opens; its forms name the Bureau by it (rules.bureauName)
    rules: ctx.regulation.rules.rulesVariable(ctx.regulation.rules.editionAt(now, p.tenantId)),
  };
  const started = await engineCall('发起公共类服务需求征集', () =>
    gateway.startProcess(NEEDS_COLLECTION_PROCESS, needsCollectionId, variables, p.tenantId),
  );
  try {
    await ctx.store.transaction((tx) =>
      audit(tx, ctx, actor, {
        action: 'needs-collection.open',
        entityType: 'needs-collection',
        entityId: needsCollectionId,
        payload: { processInstanceKey: started.processInstanceKey, variables },
      }),
    );
  } catch (err) {
    await gateway
      .cancelProcessInstance(started.processInstanceKey)
      .catch((cancelError: unknown) =>
        actor.log.error(
          { processInstanceKey: started.processInstanceKey, err: cancelError },
          'could not cancel a needs collection whose start was not recorded; cancel it in operations',
        ),
      );
    throw err;
  }
  return {
    needsCollectionId,
    processInstanceKey: started.processInstanceKey,
    planYear: input.planYear,
    needsCollectionDue: due.iso,
    dueProvisional: due.provisional,
    units,
  };
}

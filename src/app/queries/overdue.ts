// The tenant-wide overdue overview and deadline compliance (issue #16, "Knowing"; SV-1): for the Bureau's
// administrator and Audit, every open user task of the tenant past its due date, counted by step and by the Unit
// that owns the project, each figure with the link to the task list behind it; and, per step, the tasks completed in
// a window that had a due date — on time, late, the rate.
//
// The data comes through the ProcessGateway's user task search (Camunda 8.8's `POST /v2/user-tasks/search`: filter
// on state, elementId, dueDate and completionDate ranges and the tenant's process variable), never from engine
// tables, so it reads the same from the embedded engine and from a remote Camunda. It pages through the whole
// result (docs/performance.md says how that scales).
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import { listUnits } from '../../store/units.ts';
import { decide, type Principal } from '../authz.ts';
import { type CommandContext, ensure, gatewayOf, tenantOfVariables } from '../commands/context.ts';
import { problem } from '../problem.ts';
import type { ProcessGateway, UserTask, UserTaskFilter } from '../process-gateway.ts';

/** The compliance window when none is asked for: the last 90 days. */
export const DEFAULT_SINCE_DAYS = 90;
/** One page of the search (Camunda 8.8 answers at most this many per page's worth of work we ask for). */
const PAGE = 1000;
/** How deep one search pages by offset (Camunda's search window); past it the range restarts at the last value. */
const DEPTH = 10_000;

type RangeField = 'dueDate' | 'completionDate';

/**
 * Every task of a search, in the order of `field`: pages of PAGE by offset up to DEPTH, then the same search again
 * from the last value read (`$gte`, so ties are read twice and kept once). A task completed between two pages can
 * shift the offsets by one; the figures are a reading of a moving system, not a snapshot.
 */
export async function everyTask(
  gateway: ProcessGateway,
  base: UserTaskFilter,
  field: RangeField,
  { page = PAGE, depth = DEPTH }: { page?: number; depth?: number } = {},
): Promise<UserTask[]> {
  const seen = new Map<string, UserTask>();
  let range: { from?: string; before?: string } = { ...base[field] };
  for (;;) {
    let last: string | null = null;
    for (let from = 0; from < depth; from += page) {
      const r = await gateway.searchUserTasks({
        ...base,
        [field]: range,
        sort: [{ field, order: 'ASC' }],
        page: { from, limit: page },
      });
      for (const t of r.items) seen.set(t.userTaskKey, t);
      last = r.items.at(-1)?.[field] ?? last;
      if (r.items.length < page) return [...seen.values()];
    }
    // `depth` tasks share one value: nothing further can be read by this order
    if (!last || last === range.from) return [...seen.values()];
    range = { ...range, from: last };
  }
}

/** The window's start: `since` days back (an integer) or a day (YYYY-MM-DD, Asia/Shanghai); 400 naming it. */
export function sinceOf(since: string | undefined, now: Date): DateTime {
  const today = DateTime.fromJSDate(now, { zone: ZONE });
  const bad = (reason: string) => problem.validation(`since ${reason}`, [{ field: 'since', reason }]);
  if (since === undefined || since === '') return today.minus({ days: DEFAULT_SINCE_DAYS });
  if (/^\d{1,5}$/.test(since)) {
    const days = Number(since);
    if (days < 1 || days > 3660) throw bad('天数须在 1 到 3660 之间');
    return today.minus({ days });
  }
  const day = /^\d{4}-\d{2}-\d{2}$/.test(since) ? DateTime.fromISO(since, { zone: ZONE }) : null;
  if (!day?.isValid) throw bad('须为天数（如 90）或日期（如 2026-01-01）');
  if (day > today) throw bad('不能晚于今天');
  return day.startOf('day');
}

const link = (params: Record<string, string>) =>
  `/api/tasks?${new URLSearchParams({ scope: 'overview', ...params, due: 'overdue' })}`;

const stepKey = (t: UserTask) => `${t.processDefinitionId}\n${t.elementId}`;
const processName = (t: UserTask) => (t as UserTask & { processName?: string }).processName ?? null;

function step(t: UserTask) {
  return {
    processDefinitionId: t.processDefinitionId,
    processName: processName(t),
    elementId: t.elementId,
    name: t.name,
  };
}

/** Overdue tasks by step, the most first. */
function byStep(tasks: UserTask[]) {
  const steps = new Map<string, ReturnType<typeof step> & { count: number; href: string }>();
  for (const t of tasks) {
    const s = steps.get(stepKey(t));
    if (s) s.count += 1;
    else
      steps.set(stepKey(t), {
        ...step(t),
        count: 1,
        href: link({ processDefinitionId: t.processDefinitionId, elementId: t.elementId }),
      });
  }
  return [...steps.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh'));
}

/** Overdue tasks by the Unit that owns the project (the instance's `unitId`); tasks of no Unit counted apart. */
async function byUnit(ctx: CommandContext, p: Principal, tasks: UserTask[], unitOf: Map<string, string>) {
  const names = new Map((await listUnits(ctx.store.db, p.tenantId)).map((u) => [u.id, u.name]));
  const units = new Map<string, number>();
  let none = 0;
  for (const t of tasks) {
    const u = unitOf.get(t.processInstanceKey);
    if (u) units.set(u, (units.get(u) ?? 0) + 1);
    else none += 1;
  }
  const rows = [...units.entries()]
    .map(([unitId, count]) => ({
      unitId,
      unitName: names.get(unitId) ?? unitId,
      count,
      href: link({ unitId }) as string | null,
    }))
    .sort((a, b) => b.count - a.count || a.unitName.localeCompare(b.unitName, 'zh'));
  if (none > 0) rows.push({ unitId: '', unitName: '不属于单位项目的任务', count: none, href: null });
  return rows;
}

/** Per step: the completed tasks with a due date, on time (completed by the due date) and late. */
function compliance(tasks: UserTask[]) {
  const steps = new Map<
    string,
    ReturnType<typeof step> & { completed: number; onTime: number; late: number }
  >();
  for (const t of tasks) {
    if (!t.dueDate || !t.completionDate) continue;
    const s = steps.get(stepKey(t)) ?? { ...step(t), completed: 0, onTime: 0, late: 0 };
    steps.set(stepKey(t), s);
    s.completed += 1;
    if (Date.parse(t.completionDate) <= Date.parse(t.dueDate)) s.onTime += 1;
    else s.late += 1;
  }
  const rate = (onTime: number, completed: number) => (completed > 0 ? onTime / completed : null);
  const rows = [...steps.values()]
    .map((s) => ({ ...s, rate: rate(s.onTime, s.completed) }))
    .sort((a, b) => b.late - a.late || b.completed - a.completed || a.name.localeCompare(b.name, 'zh'));
  const completed = rows.reduce((n, r) => n + r.completed, 0);
  const onTime = rows.reduce((n, r) => n + r.onTime, 0);
  return { steps: rows, completed, onTime, late: completed - onTime, rate: rate(onTime, completed) };
}

/** The overview: open overdue tasks by step and by Unit, and deadline compliance per step since `since`. */
export async function overdueOverview(ctx: CommandContext, p: Principal, q: { since?: string }) {
  ensure(decide(p, 'tasks.overview', { tenantId: p.tenantId }));
  const now = ctx.now();
  const from = sinceOf(q.since, now);
  const gateway = gatewayOf(ctx);
  const [open, done] = await Promise.all([
    everyTask(
      gateway,
      { state: 'CREATED', tenantId: p.tenantId, dueDate: { before: now.toISOString() } },
      'dueDate',
    ),
    everyTask(
      gateway,
      {
        state: 'COMPLETED',
        tenantId: p.tenantId,
        hasDueDate: true,
        completionDate: { from: from.toUTC().toISO()! },
      },
      'completionDate',
    ),
  ]);
  // the engine filtered by tenant already; the instances' variables confirm it and name the Unit
  const vars = await gateway.instanceVariables(
    open.map((t) => t.processInstanceKey),
    ['tenantId', 'unitId'],
  );
  const overdue = open.filter((t) => tenantOfVariables(vars.get(t.processInstanceKey)) === p.tenantId);
  const unitOf = new Map<string, string>();
  for (const [key, v] of vars) if (typeof v.unitId === 'string' && v.unitId) unitOf.set(key, v.unitId);
  return {
    asOf: now.toISOString(),
    overdue: {
      total: overdue.length,
      href: `/api/tasks?scope=overview&due=overdue`,
      byStep: byStep(overdue),
      byUnit: await byUnit(ctx, p, overdue, unitOf),
    },
    compliance: { since: from.toUTC().toISO()!, until: now.toISOString(), ...compliance(done) },
  };
}

// The task inbox of a principal (the pages' task list; never /v2 directly): the tasks of their candidate groups —
// roles and `unit-<unitId>` — and those they claimed, with due dates counted in working days; and one task with its
// Camunda form and the variables the form shows.
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import { candidateGroupsOf, type Principal } from '../authz.ts';
import { type CommandContext, gatewayOf, tenantOfVariables } from '../commands/context.ts';
import { CONTEXT_VARIABLES, formFields, formVariableNames } from '../commands/task-forms.ts';
import { displayName, loadTask } from '../commands/tasks.ts';
import type { UserTask, UserTaskFilter, Variables } from '../process-gateway.ts';

/**
 * The countdown in working days (src/domain's calendar). The due date is provisional when the period it was counted
 * over — from the task's creation to its due day — runs into a year whose official holiday schedule is not
 * published yet (as yunfu.compute-due-date flags it).
 */
export function dueInfo(ctx: CommandContext, creationDate: string, dueDate: string | null) {
  if (!dueDate) return { workingDaysLeft: null, overdue: false, dueDateProvisional: false };
  const calendar = ctx.regulation.calendar;
  const now = ctx.now();
  const due = Date.parse(dueDate);
  const year = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).year;
  const from = Math.min(year(Date.parse(creationDate)), year(due));
  let provisional = false;
  for (let y = from; y <= year(due); y++) if (!calendar.hasSchedule(y)) provisional = true;
  return {
    workingDaysLeft: calendar.workingDaysLeft(now, due),
    overdue: now.getTime() > due,
    dueDateProvisional: provisional,
  };
}

/** Display names of accounts, looked up once per query. */
function nameCache(ctx: CommandContext) {
  const names = new Map<string, Promise<string | null>>();
  return (accountId: string | null) => {
    if (!accountId) return Promise.resolve(null);
    if (!names.has(accountId)) names.set(accountId, displayName(ctx, accountId));
    return names.get(accountId)!;
  };
}

async function item(
  ctx: CommandContext,
  p: Principal,
  t: UserTask,
  vars: Variables,
  nameOf: (id: string | null) => Promise<string | null>,
) {
  const s = (k: string) => (typeof vars[k] === 'string' ? (vars[k] as string) : null);
  return {
    userTaskKey: t.userTaskKey,
    name: t.name,
    elementId: t.elementId,
    state: t.state,
    processDefinitionId: t.processDefinitionId,
    processName: (t as UserTask & { processName?: string }).processName ?? null,
    processInstanceKey: t.processInstanceKey,
    projectId: s('projectId'),
    projectName: s('projectName'),
    unitId: s('unitId'),
    unitName: s('unitName'),
    candidateGroups: t.candidateGroups,
    assignee: t.assignee,
    assigneeName: await nameOf(t.assignee),
    assignedToMe: t.assignee === p.accountId,
    creationDate: t.creationDate,
    dueDate: t.dueDate,
    ...dueInfo(ctx, t.creationDate, t.dueDate),
    formKey: t.formKey,
  };
}

export type TaskItem = Awaited<ReturnType<typeof item>>;

export type InboxSort = 'due' | 'created' | 'created-desc';

export interface InboxQuery {
  scope: 'mine' | 'groups' | 'all';
  projectId?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** due: soonest due first (no due date last), then oldest; created / created-desc: by creation. */
  sort?: InboxSort;
}

const SORTS: Record<InboxSort, NonNullable<UserTaskFilter['sort']>> = {
  due: [
    { field: 'dueDate', order: 'ASC' },
    { field: 'creationDate', order: 'ASC' },
  ],
  created: [{ field: 'creationDate', order: 'ASC' }],
  'created-desc': [{ field: 'creationDate', order: 'DESC' }],
};

/** The engine's order for a sort (search-sql.ts: absent dates last ascending; the task key breaks ties). */
function comparator(sort: InboxSort) {
  const ms = (d: string | null) => (d ? Date.parse(d) : Number.POSITIVE_INFINITY);
  const byKey = (a: UserTask, b: UserTask) => {
    const x = BigInt(a.userTaskKey);
    const y = BigInt(b.userTaskKey);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return (a: UserTask, b: UserTask) => {
    const c =
      sort === 'due'
        ? ms(a.dueDate) - ms(b.dueDate) || ms(a.creationDate) - ms(b.creationDate)
        : (ms(a.creationDate) - ms(b.creationDate)) * (sort === 'created-desc' ? -1 : 1);
    return c || byKey(a, b);
  };
}

/** The engine pages at most this deep into one search. */
const MAX_DEPTH = 10_000;
/** Tasks assigned to the principal outside their groups read whole (they are few: claimed tasks). */
const OUTSIDE_MAX = 100;

/**
 * One page of "my groups' tasks or those assigned to me", in `sort` order, with the true total. Camunda 8.8's
 * user task filter has no OR across fields, so it is two disjoint searches: G, the groups' tasks, paged in the
 * engine; A, the tasks assigned to me outside those groups (`candidateGroup: { $notIn }`), read whole. A task of
 * G at index j stands at j plus the number of A's tasks before it, so the page [from, from + limit) holds G's
 * tasks from index from − |A| on: one page of G, merged with A here.
 */
async function unionPage(
  gateway: ReturnType<typeof gatewayOf>,
  groupSearch: UserTaskFilter,
  assigned: UserTaskFilter,
  from: number,
  limit: number,
  sort: InboxSort,
): Promise<{ tasks: UserTask[]; total: number }> {
  const byOrder = comparator(sort);
  const outsideSearch = { ...assigned, candidateGroupsNotIn: groupSearch.candidateGroups };
  const outsidePage = { ...outsideSearch, page: { from: 0, limit: OUTSIDE_MAX } };
  // page 1 starts at G's first task whatever A holds: both searches at once
  const [outside, early] = await Promise.all([
    gateway.searchUserTasks(outsidePage),
    from === 0 ? gateway.searchUserTasks({ ...groupSearch, page: { from: 0, limit } }) : null,
  ]);
  const a = outside.items.length;
  const start = Math.max(0, from - a);
  const groups =
    early ??
    (await gateway.searchUserTasks({ ...groupSearch, page: { from: start, limit: from + limit - start } }));
  const total = groups.total + outside.total;
  const first = groups.items[0];
  if (outside.total <= OUTSIDE_MAX && first) {
    // from G's first: before it stand `start` tasks of G and those of A that sort before it
    const kept = start === 0 ? outside.items : outside.items.filter((t) => byOrder(t, first) >= 0);
    const at = from - (start + outside.items.length - kept.length);
    const merged = [...groups.items, ...kept].sort(byOrder);
    return { tasks: merged.slice(at, at + limit), total };
  }
  // past the end of G, or many tasks assigned outside the groups: the first from + limit of each, merged
  const depth = Math.min(from + limit, MAX_DEPTH);
  const [g, o] = await Promise.all([
    gateway.searchUserTasks({ ...groupSearch, page: { from: 0, limit: depth } }),
    gateway.searchUserTasks({ ...outsideSearch, page: { from: 0, limit: depth } }),
  ]);
  const tasks = [...g.items, ...o.items].sort(byOrder).slice(from, from + limit);
  return { tasks, total };
}

export async function taskInbox(
  ctx: CommandContext,
  p: Principal,
  q: InboxQuery,
): Promise<{ items: TaskItem[]; total: number; page: number; pageSize: number }> {
  const gateway = gatewayOf(ctx);
  const groups = candidateGroupsOf(p);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const sort = q.sort ?? 'due';
  // SU-3: the business tenant is a process variable (a group name such as `unit-gongan` exists in several
  // tenants), filtered in the engine so that pages and totals count only this tenant's tasks.
  const base: UserTaskFilter = {
    state: 'CREATED',
    tenantId: p.tenantId,
    sort: SORTS[sort],
    ...(q.projectId ? { projectId: q.projectId } : {}),
  };
  const from = (page - 1) * pageSize;
  const groupSearch = { ...base, candidateGroups: groups };
  const mineSearch = { ...base, assignee: p.accountId };
  let found: { tasks: UserTask[]; total: number };
  if (q.scope === 'all' && groups.length > 0) {
    found = await unionPage(gateway, groupSearch, mineSearch, from, pageSize, sort);
  } else if (q.scope === 'groups' && groups.length === 0) {
    found = { tasks: [], total: 0 };
  } else {
    const r = await gateway.searchUserTasks({
      ...(q.scope === 'groups' ? groupSearch : mineSearch),
      page: { from, limit: pageSize },
    });
    found = { tasks: r.items, total: r.total };
  }
  const { tasks, total } = found;
  const vars = await gateway.instanceVariables(
    tasks.map((t) => t.processInstanceKey),
    CONTEXT_VARIABLES,
  );
  // the engine filtered by tenant already; this keeps another tenant's task out whatever the engine answers
  const mine = tasks.filter((t) => tenantOfVariables(vars.get(t.processInstanceKey)) === p.tenantId);
  const nameOf = nameCache(ctx);
  const items: TaskItem[] = [];
  for (const t of mine) items.push(await item(ctx, p, t, vars.get(t.processInstanceKey) ?? {}, nameOf));
  return { items, total, page, pageSize };
}

export async function taskDetail(ctx: CommandContext, p: Principal, userTaskKey: string) {
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.read');
  const form = await gatewayOf(ctx).getUserTaskForm(userTaskKey);
  const shown: Variables = {};
  const wanted = form ? formVariableNames(form.schema) : new Set<string>();
  for (const k of CONTEXT_VARIABLES) wanted.add(k);
  for (const [k, v] of Object.entries(loaded.variables)) if (wanted.has(k)) shown[k] = v;
  return {
    task: await item(ctx, p, loaded.task, loaded.variables, nameCache(ctx)),
    form: form
      ? {
          ...form,
          requiredFields: formFields(form.schema)
            .filter((f) => f.required)
            .map((f) => f.path),
        }
      : null,
    variables: shown,
  };
}

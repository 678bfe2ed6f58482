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
function dueInfo(ctx: CommandContext, creationDate: string, dueDate: string | null) {
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

/**
 * One page of the union of the searches, in `sort` order, and the union's size. Camunda 8.8's user task filter
 * has no OR across fields, so "my groups' tasks or mine" is two searches: the union's first n tasks are among
 * the first n of each, merged here; its size is |G| + |A| − |G and A| (a third search that counts).
 */
async function unionPage(
  gateway: ReturnType<typeof gatewayOf>,
  searches: UserTaskFilter[],
  from: number,
  limit: number,
  sort: InboxSort,
): Promise<{ tasks: UserTask[]; total: number }> {
  if (searches.length === 1) {
    const r = await gateway.searchUserTasks({ ...searches[0]!, page: { from, limit } });
    return { tasks: r.items, total: r.total };
  }
  const depth = Math.min(from + limit, MAX_DEPTH);
  const [groups, assigned, both] = await Promise.all([
    gateway.searchUserTasks({ ...searches[0]!, page: { from: 0, limit: depth } }),
    gateway.searchUserTasks({ ...searches[1]!, page: { from: 0, limit: depth } }),
    gateway.searchUserTasks({ ...searches[0]!, ...searches[1]!, page: { from: 0, limit: 1 } }),
  ]);
  const merged = new Map<string, UserTask>();
  for (const t of [...groups.items, ...assigned.items]) merged.set(t.userTaskKey, t);
  const tasks = [...merged.values()].sort(comparator(sort)).slice(from, from + limit);
  return { tasks, total: groups.total + assigned.total - both.total };
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
  const searches: UserTaskFilter[] = [];
  if (q.scope !== 'mine' && groups.length > 0) searches.push({ ...base, candidateGroups: groups });
  if (q.scope !== 'groups') searches.push({ ...base, assignee: p.accountId });
  if (searches.length === 0) return { items: [], total: 0, page, pageSize };
  const { tasks, total } = await unionPage(gateway, searches, (page - 1) * pageSize, pageSize, sort);
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

// The task list's filters, sorts and search as one engine search (Camunda 8.8's user task search: filter on
// state, assignee, candidateGroup, processDefinitionId, dueDate and the process variables projectId / unitId /
// tenantId; sort on dueDate, creationDate, priority, followUpDate, completionDate), paged in the engine with the
// true total. "My groups' tasks or those assigned to me" is two disjoint searches merged (Camunda's filter has no
// OR across fields).
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import { searchProjects } from '../../store/projects.ts';
import { candidateGroupsOf, decide, type Principal } from '../authz.ts';
import { type CommandContext, ensure } from '../commands/context.ts';
import { problem } from '../problem.ts';
import type { ProcessGateway, UserTask, UserTaskFilter } from '../process-gateway.ts';

export type InboxSort = 'due' | 'created' | 'created-desc' | 'priority' | 'follow-up' | 'completed';

export interface InboxQuery {
  /**
   * mine: assigned to me; groups: my groups'; unassigned: my groups' that nobody claimed; all: mine or groups';
   * overview: every task of the tenant, read-only, for the Bureau's administrator and Audit (SV-1).
   */
  scope: 'mine' | 'groups' | 'all' | 'unassigned' | 'overview';
  /** open (default) or completed tasks. */
  state?: 'open' | 'completed';
  /** overdue: past its due date; week: due this calendar week (Monday to Sunday, Asia/Shanghai). */
  due?: 'overdue' | 'week';
  processDefinitionId?: string;
  /** The step: the task's BPMN element id. */
  elementId?: string;
  projectId?: string;
  unitId?: string;
  /** Part of a project's name or number (its id). */
  q?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  sort?: InboxSort;
  order?: 'asc' | 'desc';
}

type SortKey = NonNullable<UserTaskFilter['sort']>[number];
type Order = SortKey['order'];

/** The engine's sort keys of a sort; `order` turns its first key (the default order is the natural one). */
export function sortKeys(sort: InboxSort, order?: 'asc' | 'desc'): SortKey[] {
  const dir = (natural: Order): Order => (order ? (order === 'desc' ? 'DESC' : 'ASC') : natural);
  const byCreation: SortKey = { field: 'creationDate', order: 'ASC' };
  switch (sort) {
    case 'due':
      return [{ field: 'dueDate', order: dir('ASC') }, byCreation];
    case 'created':
      return [{ field: 'creationDate', order: dir('ASC') }];
    case 'created-desc':
      return [{ field: 'creationDate', order: 'DESC' }];
    case 'priority':
      return [{ field: 'priority', order: dir('DESC') }, byCreation];
    case 'follow-up':
      return [{ field: 'followUpDate', order: dir('ASC') }, byCreation];
    case 'completed':
      return [{ field: 'completionDate', order: dir('DESC') }, byCreation];
  }
}

const sortValue = (t: UserTask, field: SortKey['field']): number | null => {
  if (field === 'priority') return t.priority;
  const d = t[field];
  return d ? Date.parse(d) : null;
};

/** The engine's order (search-sql.ts: absent values last ascending, first descending; the task key breaks ties). */
export function comparator(keys: SortKey[]) {
  return (a: UserTask, b: UserTask) => {
    for (const k of keys) {
      const sign = k.order === 'DESC' ? -1 : 1;
      const x = sortValue(a, k.field);
      const y = sortValue(b, k.field);
      const c = (Number(x === null) - Number(y === null) || (x ?? 0) - (y ?? 0)) * sign;
      if (c !== 0) return c;
    }
    const x = BigInt(a.userTaskKey);
    const y = BigInt(b.userTaskKey);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** At most this many projects match a search; a broader one asks for more of the name or number. */
export const MAX_SEARCHED_PROJECTS = 1_000;

/** The projects whose name or number holds `q`, in the principal's tenant. */
async function searchedProjects(ctx: CommandContext, p: Principal, q: string): Promise<string[]> {
  const found = await searchProjects(ctx.store.db, {
    tenantId: p.tenantId,
    text: q,
    sort: 'id',
    order: 'asc',
    page: 1,
    pageSize: MAX_SEARCHED_PROJECTS,
  });
  if (found.total > MAX_SEARCHED_PROJECTS) {
    const reason = `匹配的项目超过 ${MAX_SEARCHED_PROJECTS} 个，请输入更完整的项目名称或编号`;
    throw problem.validation(reason, [{ field: 'q', reason }]);
  }
  return found.items.map((x) => x.id);
}

/** The filter every search of the query shares (no assignment, no groups), or null when nothing can match. */
export async function baseFilter(
  ctx: CommandContext,
  p: Principal,
  q: InboxQuery,
): Promise<UserTaskFilter | null> {
  const now = DateTime.fromJSDate(ctx.now(), { zone: ZONE });
  const f: UserTaskFilter = {
    state: q.state === 'completed' ? 'COMPLETED' : 'CREATED',
    // SU-3: the business tenant is a process variable (a group name such as `unit-gongan` exists in several
    // tenants), filtered in the engine so that pages and totals count only this tenant's tasks.
    tenantId: p.tenantId,
    sort: sortKeys(q.sort ?? (q.state === 'completed' ? 'completed' : 'due'), q.order),
  };
  if (q.projectId) f.projectId = q.projectId;
  if (q.unitId) f.unitId = q.unitId;
  if (q.processDefinitionId) f.processDefinitionId = q.processDefinitionId;
  if (q.elementId) f.elementId = q.elementId;
  if (q.due === 'overdue') f.dueDate = { before: now.toUTC().toISO()! };
  if (q.due === 'week') {
    const monday = now.startOf('week');
    f.dueDate = { from: monday.toUTC().toISO()!, before: monday.plus({ weeks: 1 }).toUTC().toISO()! };
  }
  if (q.q) {
    const ids = await searchedProjects(ctx, p, q.q);
    if (ids.length === 0) return null;
    f.projectIds = ids;
  }
  return f;
}

/** The engine pages at most this deep into one search. */
const MAX_DEPTH = 10_000;
/** Tasks assigned to the principal outside their groups read whole (they are few: claimed tasks). */
const OUTSIDE_MAX = 100;

/**
 * One page of "my groups' tasks or those assigned to me", in the filter's order, with the true total. Two
 * disjoint searches: G, the groups' tasks, paged in the engine; A, the tasks assigned to me outside those groups
 * (`candidateGroup: { $notIn }`), read whole. A task of G at index j stands at j plus the number of A's tasks
 * before it, so the page [from, from + limit) holds G's tasks from index from − |A| on: one page of G, merged
 * with A here.
 */
async function unionPage(
  gateway: ProcessGateway,
  groupSearch: UserTaskFilter,
  assigned: UserTaskFilter,
  from: number,
  limit: number,
): Promise<{ tasks: UserTask[]; total: number }> {
  const byOrder = comparator(groupSearch.sort ?? []);
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

/** One page of the principal's tasks that match the query, with the true total. */
export async function searchInbox(
  ctx: CommandContext,
  gateway: ProcessGateway,
  p: Principal,
  q: InboxQuery,
  from: number,
  limit: number,
): Promise<{ tasks: UserTask[]; total: number }> {
  // the overview is refused before anything is read (403 for a reviewer or a Unit)
  if (q.scope === 'overview') ensure(decide(p, 'tasks.overview', { tenantId: p.tenantId }));
  const base = await baseFilter(ctx, p, q);
  const groups = candidateGroupsOf(p);
  if (!base) return { tasks: [], total: 0 };
  if (q.scope === 'overview') {
    const r = await gateway.searchUserTasks({ ...base, page: { from, limit } });
    return { tasks: r.items, total: r.total };
  }
  const groupSearch = { ...base, candidateGroups: groups };
  if (q.scope === 'all' && groups.length > 0)
    return unionPage(gateway, groupSearch, { ...base, assignee: p.accountId }, from, limit);
  if ((q.scope === 'groups' || q.scope === 'unassigned') && groups.length === 0)
    return { tasks: [], total: 0 };
  const search =
    q.scope === 'groups'
      ? groupSearch
      : q.scope === 'unassigned'
        ? { ...groupSearch, assigned: false }
        : { ...base, assignee: p.accountId };
  const r = await gateway.searchUserTasks({ ...search, page: { from, limit } });
  return { tasks: r.items, total: r.total };
}

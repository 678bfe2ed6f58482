// The task inbox of a principal (the pages' task list; never /v2 directly): the tasks of their candidate groups —
// roles and `unit-<unitId>` — and those they claimed, with due dates counted in working days; and one task with its
// Camunda form and the variables the form shows.
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import type { Principal } from '../authz.ts';
import { type CommandContext, gatewayOf, tenantOfVariables } from '../commands/context.ts';
import { CONTEXT_VARIABLES, formFields, formVariableNames } from '../commands/task-forms.ts';
import { displayName, loadTask } from '../commands/tasks.ts';
import type { UserTask, Variables } from '../process-gateway.ts';
import { type InboxQuery, searchInbox } from './task-search.ts';

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
    completionDate: t.completionDate,
    dueDate: t.dueDate,
    // a completed task is no longer overdue, whatever its due date was
    ...(t.state === 'CREATED'
      ? dueInfo(ctx, t.creationDate, t.dueDate)
      : { workingDaysLeft: null, overdue: false, dueDateProvisional: false }),
    followUpDate: t.followUpDate,
    priority: t.priority,
    formKey: t.formKey,
  };
}

export type TaskItem = Awaited<ReturnType<typeof item>>;

export type { InboxQuery, InboxSort } from './task-search.ts';

export async function taskInbox(
  ctx: CommandContext,
  p: Principal,
  q: InboxQuery,
): Promise<{ items: TaskItem[]; total: number; page: number; pageSize: number }> {
  const gateway = gatewayOf(ctx);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const { tasks, total } = await searchInbox(ctx, gateway, p, q, (page - 1) * pageSize, pageSize);
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

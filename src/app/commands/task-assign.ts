// Hand a task to a colleague, and set its follow-up date and priority (Tasklist's assign, follow-up and priority).
// A colleague is an active account of the same tenant in one of the task's candidate groups; anyone else is refused
// (422 naming `assignee`). Only an open task that is unclaimed or claimed by the person acting may be handed on or
// rescheduled. Each is one engine call (`POST /v2/user-tasks/{key}/assignment`, `PATCH /v2/user-tasks/{key}`)
// followed by its audit entry (SV-4), as claim and unclaim are.
import { accountsOfGroup, findAccount } from '../../store/accounts.ts';
import { candidateGroupsOf } from '../authz.ts';
import { problem } from '../problem.ts';
import { type Actor, type CommandContext, gatewayOf } from './context.ts';
import { displayName, ensureOpen, type LoadedTask, loadTask, projectOf, thenAudit } from './tasks.ts';

export interface Colleague {
  id: string;
  username: string;
  displayName: string;
}

/** The accounts the task may be handed to: its candidate groups' active accounts, by name. */
export async function colleaguesFor(
  ctx: CommandContext,
  actor: Actor,
  userTaskKey: string,
): Promise<Colleague[]> {
  const p = actor.principal;
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.work');
  const found = new Map<string, Colleague>();
  for (const group of loaded.task.candidateGroups) {
    for (const a of await accountsOfGroup(ctx.store.db, p.tenantId, group))
      found.set(a.id, { id: a.id, username: a.username, displayName: a.displayName });
  }
  return [...found.values()].sort((a, b) => a.username.localeCompare(b.username));
}

/** Open, and unclaimed or claimed by the person acting; 409 otherwise. */
async function ensureMayChange(ctx: CommandContext, actor: Actor, loaded: LoadedTask): Promise<void> {
  ensureOpen(loaded.task);
  const { assignee } = loaded.task;
  if (assignee && assignee !== actor.principal.accountId)
    throw problem.conflict(`任务已由${(await displayName(ctx, assignee)) ?? '他人'}认领，请先由其退回`);
}

export async function assignTask(
  ctx: CommandContext,
  actor: Actor,
  input: { userTaskKey: string; assignee: string },
): Promise<{ assignee: string; assigneeName: string }> {
  const p = actor.principal;
  const loaded = await loadTask(ctx, p, input.userTaskKey, 'task.work');
  await ensureMayChange(ctx, actor, loaded);
  const account = await findAccount(ctx.store.db, input.assignee);
  const groups = loaded.task.candidateGroups;
  if (
    !account ||
    account.tenantId !== p.tenantId ||
    account.disabled ||
    !candidateGroupsOf(account).some((g) => groups.includes(g))
  ) {
    const reason = '只能转交给该任务候选组内的同事';
    throw problem.refused(reason, [{ field: 'assignee', reason }]);
  }
  const previous = loaded.task.assignee;
  const gateway = gatewayOf(ctx);
  await thenAudit(
    ctx,
    actor,
    '转交任务',
    async () => {
      if (previous === account.id) return;
      await gateway.assignUserTask(input.userTaskKey, account.id, {
        override: previous !== null,
        action: 'assign',
      });
    },
    {
      action: 'task.assign',
      entityType: 'user-task',
      entityId: input.userTaskKey,
      projectId: projectOf(loaded),
      payload: {
        elementId: loaded.task.elementId,
        processInstanceKey: loaded.task.processInstanceKey,
        assignee: account.id,
        assigneeName: account.displayName,
        previousAssignee: previous,
      },
    },
  );
  return { assignee: account.id, assigneeName: account.displayName };
}

export interface TaskSchedule {
  /** ISO date-time; the page sends the chosen day. */
  followUpDate?: string;
  /** 0–100 (Camunda's default 50). */
  priority?: number;
}

export async function updateTaskSchedule(
  ctx: CommandContext,
  actor: Actor,
  input: { userTaskKey: string } & TaskSchedule,
): Promise<void> {
  const p = actor.principal;
  const loaded = await loadTask(ctx, p, input.userTaskKey, 'task.work');
  await ensureMayChange(ctx, actor, loaded);
  const changeset: TaskSchedule = {};
  if (input.followUpDate !== undefined) changeset.followUpDate = new Date(input.followUpDate).toISOString();
  if (input.priority !== undefined) changeset.priority = input.priority;
  const gateway = gatewayOf(ctx);
  await thenAudit(
    ctx,
    actor,
    '设置跟进日期和优先级',
    () => gateway.updateUserTask(input.userTaskKey, changeset),
    {
      action: 'task.update',
      entityType: 'user-task',
      entityId: input.userTaskKey,
      projectId: projectOf(loaded),
      payload: {
        elementId: loaded.task.elementId,
        processInstanceKey: loaded.task.processInstanceKey,
        ...changeset,
        previous: { followUpDate: loaded.task.followUpDate, priority: loaded.task.priority },
      },
    },
  );
}

// Work a user task: claim it, give it back, complete it. A completion is validated against the task's Camunda form
// (required fields, allowed values, no field the form does not have) and is an audited decision (SV-4). The engine
// is called outside any store transaction and the audit entry follows it, so a task the engine refuses (completed
// or cancelled meanwhile) leaves no entry. A completion is recorded as an intent first and settled with its audit
// entry, so that a crash between the engine's completion and the entry is repaired at start-up (reconcile.ts).
import { randomUUID } from 'node:crypto';
import { findAccount } from '../../store/accounts.ts';
import {
  CompletionPendingError,
  recordCompletionIntent,
  settleCompletionIntent,
} from '../../store/submission-intents.ts';
import { auditRole, decideTask, type Principal, type TaskTarget } from '../authz.ts';
import { problem } from '../problem.ts';
import { ProcessEngineError, type UserTask, type Variables } from '../process-gateway.ts';
import {
  type Actor,
  audit,
  auditAfter,
  type CommandContext,
  engineCall,
  engineProblem,
  ensure,
  gatewayOf,
  isUncertain,
  logUncompensated,
  tenantOfVariables,
} from './context.ts';
import { notifyDecision } from './decision-notices.ts';
import { reportDocumentIssues } from './report-documents.ts';
import { formIssues } from './task-forms.ts';
import { thirdPartyCostIssues } from './third-party-costs.ts';

export interface LoadedTask {
  task: UserTask;
  /** The variables the task sees. */
  variables: Variables;
  target: TaskTarget;
}

/** The task as the principal may see (`task.read`) or work (`task.work`) it; 404 otherwise. */
export async function loadTask(
  ctx: CommandContext,
  p: Principal,
  userTaskKey: string,
  action: 'task.read' | 'task.work',
): Promise<LoadedTask> {
  const gateway = gatewayOf(ctx);
  const task = await gateway.getUserTask(userTaskKey);
  if (!task) throw problem.notFound('任务不存在或无权查看');
  const variables = await gateway.userTaskVariables(userTaskKey);
  const target: TaskTarget = {
    tenantId: tenantOfVariables(variables),
    candidateGroups: task.candidateGroups,
    assignee: task.assignee,
  };
  ensure(decideTask(p, action, target));
  return { task, variables, target };
}

export async function displayName(ctx: CommandContext, accountId: string | null): Promise<string | null> {
  if (!accountId) return null;
  return (await findAccount(ctx.store.db, accountId))?.displayName ?? null;
}

export function ensureOpen(task: UserTask): void {
  if (task.state !== 'CREATED')
    throw problem.conflict(`任务已${task.state === 'COMPLETED' ? '办结' : '取消'}，不能再办理`);
}

export const projectOf = (t: LoadedTask) => (t.variables.projectId as string | undefined) ?? null;

/** Runs the engine call, then writes its audit entry; an entry that cannot be written is logged loudly. */
export async function thenAudit(
  ctx: CommandContext,
  actor: Actor,
  what: string,
  call: () => Promise<void>,
  entry: Parameters<typeof audit>[3],
): Promise<void> {
  await engineCall(what, call);
  await auditAfter(ctx, actor, entry);
}

export async function claimTask(ctx: CommandContext, actor: Actor, userTaskKey: string): Promise<void> {
  const p = actor.principal;
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.work');
  ensureOpen(loaded.task);
  const { assignee } = loaded.task;
  if (assignee && assignee !== p.accountId) {
    throw problem.conflict(`任务已由${(await displayName(ctx, assignee)) ?? '他人'}认领`);
  }
  const gateway = gatewayOf(ctx);
  await thenAudit(
    ctx,
    actor,
    '认领任务',
    async () => {
      if (assignee !== p.accountId) await gateway.assignUserTask(userTaskKey, p.accountId);
    },
    {
      action: 'task.claim',
      entityType: 'user-task',
      entityId: userTaskKey,
      projectId: projectOf(loaded),
      payload: { elementId: loaded.task.elementId, processInstanceKey: loaded.task.processInstanceKey },
    },
  );
}

export async function unclaimTask(ctx: CommandContext, actor: Actor, userTaskKey: string): Promise<void> {
  const p = actor.principal;
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.work');
  ensureOpen(loaded.task);
  if (!loaded.task.assignee) throw problem.conflict('任务尚未被认领');
  if (loaded.task.assignee !== p.accountId) throw problem.forbidden('只能取消自己认领的任务');
  const gateway = gatewayOf(ctx);
  await thenAudit(ctx, actor, '取消认领', () => gateway.unassignUserTask(userTaskKey), {
    action: 'task.unclaim',
    entityType: 'user-task',
    entityId: userTaskKey,
    projectId: projectOf(loaded),
    payload: { elementId: loaded.task.elementId, processInstanceKey: loaded.task.processInstanceKey },
  });
}

export async function completeTask(
  ctx: CommandContext,
  actor: Actor,
  input: { userTaskKey: string; variables: Variables },
): Promise<{ assignee: string }> {
  const p = actor.principal;
  const { userTaskKey, variables } = input;
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.work');
  ensureOpen(loaded.task);
  if (loaded.task.assignee && loaded.task.assignee !== p.accountId) {
    throw problem.conflict(
      `任务已由${(await displayName(ctx, loaded.task.assignee)) ?? '他人'}认领，请先由其退回`,
    );
  }
  const gateway = gatewayOf(ctx);
  const form = await gateway.getUserTaskForm(userTaskKey);
  const { issues } = formIssues(form, variables, loaded.variables);
  if (issues.length === 0) issues.push(...thirdPartyCostIssues(variables, loaded.variables));
  if (issues.length === 0) issues.push(...(await reportDocumentIssues(ctx, p, projectOf(loaded), variables)));
  if (issues.length > 0) {
    throw problem.validation(
      `表单填写有误：${issues.map((i) => `${i.field} ${i.reason}`).join('；')}`,
      issues,
    );
  }
  const t = loaded.task;
  // SV-4: every decision is in the trail — who, which task of which process, what was decided.
  const taskPayload = {
    elementId: t.elementId,
    name: t.name,
    processDefinitionId: t.processDefinitionId,
    processInstanceKey: t.processInstanceKey,
    candidateGroups: t.candidateGroups,
  };
  const intentId = await recordCompletion(ctx, actor, {
    userTaskKey,
    projectId: projectOf(loaded),
    variables,
    task: taskPayload,
  });
  await completeOnEngine(ctx, intentId, userTaskKey, variables);
  const entry = {
    action: 'task.complete',
    entityType: 'user-task',
    entityId: userTaskKey,
    projectId: projectOf(loaded),
    payload: { ...taskPayload, variables },
  };
  await ctx.store
    .transaction(async (tx) => {
      await audit(tx, ctx, actor, entry);
      await notifyDecision(tx, ctx, { task: t, form, submitted: variables, seen: loaded.variables });
      await settleCompletionIntent(tx, { id: intentId, state: 'completed', at: ctx.now().toISOString() });
    })
    .catch((e: unknown) => {
      // The intent stays pending: the start-up reconciler writes this entry from it.
      logUncompensated(actor, entry.action, { entityId: entry.entityId, payload: entry.payload }, e);
      throw e;
    });
  // committed: the decision notice's e-mails (if any were queued) go out now
  ctx.mail?.wake();
  actor.log.info(
    {
      projectId: projectOf(loaded),
      processInstanceKey: t.processInstanceKey,
      userTaskKey,
      elementId: t.elementId,
    },
    'task completed',
  );
  return { assignee: t.assignee ?? p.accountId };
}

/** The completion intent, in its own transaction, before the engine is called; a concurrent one is refused. */
async function recordCompletion(
  ctx: CommandContext,
  actor: Actor,
  e: { userTaskKey: string; projectId: string | null; variables: Variables; task: Record<string, unknown> },
): Promise<string> {
  const p = actor.principal;
  const id = randomUUID();
  await ctx.store
    .transaction((tx) =>
      recordCompletionIntent(tx, {
        id,
        tenantId: p.tenantId,
        userTaskKey: e.userTaskKey,
        projectId: e.projectId,
        accountId: p.accountId,
        role: auditRole(p),
        requestId: actor.requestId,
        variables: e.variables,
        task: e.task,
        createdAt: ctx.now().toISOString(),
      }),
    )
    .catch((err: unknown) => {
      if (err instanceof CompletionPendingError) throw problem.conflict('任务正在办理中，请刷新后查看');
      throw err;
    });
  return id;
}

/** The engine call, outside any transaction; a failure settles the intent (refused or uncertain). */
async function completeOnEngine(
  ctx: CommandContext,
  intentId: string,
  userTaskKey: string,
  variables: Variables,
): Promise<void> {
  try {
    await gatewayOf(ctx).completeUserTask(userTaskKey, variables, 'complete');
  } catch (e) {
    const state = e instanceof ProcessEngineError && !isUncertain(e) ? 'refused' : 'uncertain';
    await ctx.store.transaction((tx) =>
      settleCompletionIntent(tx, {
        id: intentId,
        state,
        at: ctx.now().toISOString(),
        error: e instanceof Error ? e.message : String(e),
      }),
    );
    // Completed or cancelled meanwhile (another request, a timer): the task is gone.
    if (e instanceof ProcessEngineError && (e.status === 404 || e.status === 409))
      throw problem.conflict('任务已办结或已取消，不能再办理');
    throw engineProblem(e, '办理任务');
  }
}

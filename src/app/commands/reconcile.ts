// The start-up reconciler: settles what a crash left between the engine and the store. A submission or a task
// completion is recorded as an intent before the engine is called and settled in the transaction that writes its
// audit entry; an intent still `pending` (or `uncertain`: the engine did not answer) is settled here from what the
// engine shows. Idempotent: an intent is settled once, and a second run finds nothing to do. No store transaction
// is held across an engine call: each decision reads the engine first, then writes in a short transaction that
// re-checks the intent.
//
// Submissions (the instance carries `submissionId` = the intent's id, found by Camunda's variable search):
//   pending,   no instance                  → abandoned (the project is still a draft; it can be submitted again)
//   pending,   a live instance, no key held → step 3 of submit, as the recorded actor → started (the stage stays
//                                             where the lifecycle's workers may already have moved it)
//   pending,   a live instance, key held    → started when it is that key, else cancelled, compensated
//   pending,   only cancelled instances     → compensated
//   uncertain, an instance                  → cancelled and compensated (the user was told the submission failed),
//                                             unless the project holds that key → started
//   uncertain, no instance                  → abandoned
// Task completions (by the task's key):
//   the engine shows the task COMPLETED → the missing `task.complete` entry, as the recorded actor → completed;
//                                         unless an entry of that completion exists already → abandoned
//   otherwise (still open, cancelled, unknown) → abandoned (the person can complete it again)
import { appendAudit } from '../../store/audit.ts';
import { recordSubmission } from '../../store/projects.ts';
import {
  type CompletionIntent,
  completionIntentsOf,
  type SubmissionIntent,
  settleCompletionIntent,
  settleSubmissionIntent,
  unsettledCompletionIntents,
  unsettledSubmissionIntents,
} from '../../store/submission-intents.ts';
import {
  ProcessEngineError,
  type ProcessInstance,
  type TaskForm,
  type Variables,
} from '../process-gateway.ts';
import { type CommandContext, type CommandLog, gatewayOf, lockedProject } from './context.ts';
import { notifyDecision } from './decision-notices.ts';

export interface ReconcileOptions {
  log: CommandLog;
  /**
   * How long the engine's search side may lag behind its writes (real Camunda exports asynchronously; the embedded
   * engine does not: 0). Before concluding "the engine did not act", the reconciler waits this long and looks again.
   */
  searchLagMs?: number;
}

export interface ReconcileReport {
  submissions: Record<string, number>;
  completions: Record<string, number>;
  /** Intents that could not be settled this time (the engine or the store failed); the next start retries. */
  failed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNSETTLED = new Set(['pending', 'uncertain']);

export async function reconcile(ctx: CommandContext, options: ReconcileOptions): Promise<ReconcileReport> {
  const report: ReconcileReport = { submissions: {}, completions: {}, failed: 0 };
  const log = options.log;
  for (const intent of await unsettledSubmissionIntents(ctx.store.db)) {
    try {
      const outcome = await reconcileSubmission(ctx, intent, options);
      report.submissions[outcome] = (report.submissions[outcome] ?? 0) + 1;
      log.warn(
        { submissionId: intent.id, projectId: intent.projectId, was: intent.state, outcome },
        'reconciled a submission left unsettled',
      );
    } catch (err) {
      report.failed++;
      log.error(
        { submissionId: intent.id, projectId: intent.projectId, err },
        'could not reconcile a submission',
      );
    }
  }
  for (const intent of await unsettledCompletionIntents(ctx.store.db)) {
    try {
      const outcome = await reconcileCompletion(ctx, intent, options);
      report.completions[outcome] = (report.completions[outcome] ?? 0) + 1;
      log.warn(
        { completionId: intent.id, userTaskKey: intent.userTaskKey, was: intent.state, outcome },
        'reconciled a task completion left unsettled',
      );
    } catch (err) {
      report.failed++;
      log.error(
        { completionId: intent.id, userTaskKey: intent.userTaskKey, err },
        'could not reconcile a task completion',
      );
    }
  }
  return report;
}

/** The instances started for `intent`, looked up twice when the search side may lag and the first found none. */
async function instancesOf(
  ctx: CommandContext,
  intent: SubmissionIntent,
  lagMs: number,
): Promise<ProcessInstance[]> {
  const search = async () =>
    (
      await gatewayOf(ctx).searchProcessInstances({
        processDefinitionId: intent.processId,
        variables: { submissionId: intent.id },
      })
    ).items.filter((i) => i.parentProcessInstanceKey === null);
  const found = await search();
  if (found.length > 0 || lagMs <= 0) return found;
  await sleep(lagMs);
  return search();
}

/** Cancels an instance; one that is already gone (completed, cancelled) is not an error. */
async function cancel(ctx: CommandContext, processInstanceKey: string): Promise<void> {
  try {
    await gatewayOf(ctx).cancelProcessInstance(processInstanceKey);
  } catch (e) {
    if (e instanceof ProcessEngineError && (e.status === 404 || e.status === 409)) return;
    throw e;
  }
}

/** Settles a submission intent unless a concurrent run already did. */
async function settleSubmission(
  ctx: CommandContext,
  intent: SubmissionIntent,
  state: 'started' | 'compensated' | 'abandoned',
  processInstanceKey: string | null,
  error?: string,
): Promise<string> {
  await ctx.store.transaction(async (tx) => {
    const current = await tx.db
      .selectFrom('submissionIntents')
      .select('state')
      .where('id', '=', intent.id)
      .executeTakeFirst();
    if (!current || !UNSETTLED.has(current.state)) return;
    await settleSubmissionIntent(tx, {
      id: intent.id,
      state,
      at: ctx.now().toISOString(),
      processInstanceKey,
      ...(error ? { error } : {}),
    });
  });
  return state;
}

async function reconcileSubmission(
  ctx: CommandContext,
  intent: SubmissionIntent,
  options: ReconcileOptions,
): Promise<string> {
  const found = await instancesOf(ctx, intent, options.searchLagMs ?? 0);
  if (found.length === 0)
    return settleSubmission(ctx, intent, 'abandoned', null, 'no instance in the engine');
  const live = found.filter((i) => i.state !== 'TERMINATED' && i.state !== 'CANCELED');
  const project = await ctx.store.db
    .selectFrom('projects')
    .select(['stage', 'processInstanceKey'])
    .where('tenantId', '=', intent.tenantId)
    .where('id', '=', intent.projectId)
    .executeTakeFirst();
  const held = found.find((i) => i.processInstanceKey === project?.processInstanceKey);
  if (held) return settleSubmission(ctx, intent, 'started', held.processInstanceKey);
  if (intent.state === 'pending' && live.length > 0) {
    const [kept, ...extra] = live;
    const finished = await finishSubmission(ctx, intent, kept!);
    for (const i of finished ? extra : live) await cancel(ctx, i.processInstanceKey);
    if (finished) return 'started';
    return settleSubmission(
      ctx,
      intent,
      'compensated',
      kept!.processInstanceKey,
      'project no longer a draft',
    );
  }
  // Uncertain (the user was told it failed and may have submitted again), or every instance is already cancelled.
  for (const i of live) if (i.state === 'ACTIVE') await cancel(ctx, i.processInstanceKey);
  return settleSubmission(ctx, intent, 'compensated', found[0]!.processInstanceKey);
}

/**
 * Step 3 of submit for a pending intent whose instance runs: the project becomes `submitted` with the instance key,
 * audited as the intent's actor, and the intent `started` — one transaction. False when the project is no longer a
 * draft and holds another instance's key (nothing written).
 */
async function finishSubmission(
  ctx: CommandContext,
  intent: SubmissionIntent,
  instance: ProcessInstance,
): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    const current = await tx.db
      .selectFrom('submissionIntents')
      .select('state')
      .where('id', '=', intent.id)
      .executeTakeFirst();
    if (current?.state !== 'pending') return current?.state === 'started';
    const project = await lockedProject(tx, intent.tenantId, intent.projectId);
    // The lifecycle's workers may already have moved the stage on (e.g. to `initiation`): the key is what is missing.
    if (!project || project.processInstanceKey) return false;
    const at = ctx.now().toISOString();
    const key = instance.processInstanceKey;
    const route = intent.initiationRoute;
    await recordSubmission(tx, {
      tenantId: intent.tenantId,
      id: intent.projectId,
      accountId: intent.accountId,
      at,
      processInstanceKey: key,
      note: { stage: 'submitted', processInstanceKey: key, initiationRoute: route, reconciled: true },
    });
    await appendAudit(tx, {
      tenantId: intent.tenantId,
      accountId: intent.accountId,
      role: intent.role,
      action: 'project.submit',
      entityType: 'project',
      entityId: intent.projectId,
      projectId: intent.projectId,
      requestId: intent.requestId,
      payload: {
        processInstanceKey: key,
        initiationRoute: route,
        variables: intent.variables,
        reconciled: true,
      },
      at,
    });
    await settleSubmissionIntent(tx, { id: intent.id, state: 'started', at, processInstanceKey: key });
    return true;
  });
}

async function reconcileCompletion(
  ctx: CommandContext,
  intent: CompletionIntent,
  options: ReconcileOptions,
): Promise<string> {
  const gateway = gatewayOf(ctx);
  let task = await gateway.getUserTask(intent.userTaskKey);
  const lag = options.searchLagMs ?? 0;
  if (task?.state !== 'COMPLETED' && lag > 0) {
    await sleep(lag);
    task = await gateway.getUserTask(intent.userTaskKey);
  }
  const completed = task?.state === 'COMPLETED';
  const others = await completionIntentsOf(ctx.store.db, intent.userTaskKey);
  const audited = others.some((o) => o.id !== intent.id && o.state === 'completed');
  const notice = completed && task && !audited ? await decisionOf(ctx, intent.userTaskKey) : null;
  const settled = await ctx.store.transaction(async (tx) => {
    const current = await tx.db
      .selectFrom('completionIntents')
      .select('state')
      .where('id', '=', intent.id)
      .executeTakeFirst();
    if (!current || !UNSETTLED.has(current.state)) return `already ${current?.state ?? 'gone'}`;
    const at = ctx.now().toISOString();
    if (!completed || audited) {
      const error = completed
        ? 'completed by another, audited request'
        : `task ${task?.state ?? 'not found'}`;
      await settleCompletionIntent(tx, { id: intent.id, state: 'abandoned', at, error });
      return 'abandoned';
    }
    await appendAudit(tx, {
      tenantId: intent.tenantId,
      accountId: intent.accountId,
      role: intent.role,
      action: 'task.complete',
      entityType: 'user-task',
      entityId: intent.userTaskKey,
      projectId: intent.projectId,
      requestId: intent.requestId,
      payload: { ...intent.task, variables: intent.variables, reconciled: true },
      at,
    });
    // issue 16: the Unit is told of the decision the crash kept from it (and e-mailed through the outbox)
    if (task && notice) await notifyDecision(tx, ctx, { task, ...notice, submitted: intent.variables });
    await settleCompletionIntent(tx, { id: intent.id, state: 'completed', at });
    return 'completed';
  });
  if (settled === 'completed') ctx.mail?.wake();
  return settled;
}

/** What the decision notice of a completed task needs from the engine; null when the engine no longer says. */
async function decisionOf(
  ctx: CommandContext,
  userTaskKey: string,
): Promise<{ form: TaskForm | null; seen: Variables } | null> {
  const gateway = gatewayOf(ctx);
  try {
    const [form, seen] = await Promise.all([
      gateway.getUserTaskForm(userTaskKey).catch(() => null),
      gateway.userTaskVariables(userTaskKey),
    ]);
    return { form, seen };
  } catch {
    return null;
  }
}

// What a project's timeline says at each human step (issue 16): not "初核：完成" but the decision — the chosen
// option, the opinion, amounts, document numbers, dates in Chinese — read from the step's completion in the audit
// trail (SV-4) in the words of the task's own form; and which steps are internal (automated service tasks,
// gateways, "计算…期限"), which the page hides unless asked.
import { listAudit } from '../../store/audit.ts';
import type { CommandContext, CommandLog } from '../commands/context.ts';
import { gatewayOf } from '../commands/context.ts';
import { decisionLines } from '../commands/decision-notices.ts';
import { ProcessEngineError, type TaskForm, type Variables } from '../process-gateway.ts';

const PERSON_TYPES = new Set(['USER_TASK', 'CALL_ACTIVITY', 'SUB_PROCESS', 'END_EVENT']);
const EVENT_KINDS = new Set(['timer-fired', 'message-correlated', 'incident']);

/** An automated or structural step a person does not follow: hidden on the page unless all steps are asked for. */
export function isInternal(e: { kind: string; elementType?: string; elementName?: string | null }): boolean {
  if (EVENT_KINDS.has(e.kind)) return false;
  if (e.elementName?.startsWith('计算')) return true;
  if (!e.elementType) return false;
  if (e.elementType === 'END_EVENT') return e.kind !== 'element-completed';
  return !PERSON_TYPES.has(e.elementType);
}

export interface StepDecision {
  /** The chosen option's label (e.g. 退回补正), when the form has one. */
  choice: string | null;
  /** `label：value` lines, as the form labels its fields. */
  lines: string[];
}

type Item = Record<string, unknown>;

/**
 * Gives every completed user task of `items` its decision (`decision`: the choice and the lines), matching each
 * completion with the trail's `task.complete` entries of the same instance and element in order.
 */
export async function withDecisions(
  ctx: CommandContext,
  tenantId: string,
  projectId: string,
  items: Item[],
  log: CommandLog,
): Promise<void> {
  const entries = await listAudit(ctx.store.db, {
    tenantId,
    projectId,
    action: 'task.complete',
    limit: 1000,
  });
  const queues = new Map<string, Array<{ userTaskKey: string; variables: Variables }>>();
  for (const e of entries) {
    const p = e.payload as { elementId?: string; processInstanceKey?: string; variables?: Variables } | null;
    if (!p?.elementId || !p.processInstanceKey) continue;
    const key = `${p.processInstanceKey}/${p.elementId}`;
    queues.set(key, [...(queues.get(key) ?? []), { userTaskKey: e.entityId, variables: p.variables ?? {} }]);
  }
  const forms = new Map<string, TaskForm | null>();
  for (const item of items) {
    if (item.kind !== 'element-completed' || item.elementType !== 'USER_TASK') continue;
    const key = `${item.processInstanceKey}/${item.elementId}`;
    const done = queues.get(key)?.shift();
    if (!done) continue;
    const formKey = `${item.processDefinitionId}/${item.elementId}`;
    if (!forms.has(formKey)) forms.set(formKey, await completedTaskForm(ctx, done.userTaskKey, log));
    const form = forms.get(formKey) ?? null;
    if (!form) continue;
    const decision: StepDecision = decisionLines(form, done.variables);
    item.decision = decision;
  }
}

/** The form a completed task was done with; null (said in the log) when the engine no longer has it. */
export async function completedTaskForm(
  ctx: CommandContext,
  userTaskKey: string,
  log?: CommandLog,
): Promise<TaskForm | null> {
  try {
    return await gatewayOf(ctx).getUserTaskForm(userTaskKey);
  } catch (e) {
    if (!(e instanceof ProcessEngineError)) throw e;
    log?.warn({ userTaskKey, err: e.message }, 'form of a completed task not available');
    return null;
  }
}

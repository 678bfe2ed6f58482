// A task's page shows, read-only, what was done before it — the completed tasks of its project (or of its process
// instance when it has no project), each with who completed it, when, and the decision they submitted (from the
// audit trail, SV-4) — and the variables the task sees, without the protected ones (identity, amounts, decisions:
// src/domain/protected-variables.ts) and without anything named like a secret. Whoever may read the task may
// read these; nothing here changes anything.
import { PROTECTED_VARIABLES } from '../../domain/protected-variables.ts';
import { type AuditEntry, listAudit } from '../../store/audit.ts';
import type { Principal } from '../authz.ts';
import { type CommandContext, gatewayOf } from '../commands/context.ts';
import { decisionLines } from '../commands/decision-notices.ts';
import { displayName, loadTask } from '../commands/tasks.ts';
import type { TaskForm, UserTaskFilter, Variables } from '../process-gateway.ts';
import { completedTaskForm } from './timeline-decisions.ts';

/** Names that hold credentials, never shown. */
const SECRET = /password|passwd|secret|token|credential|api[-_]?key|private[-_]?key/i;

/** What a reader may see of a set of variables: no secrets; `protectedToo` also drops the protected ones. */
export function shownVariables(vars: Variables, protectedToo: boolean): Variables {
  const out: Variables = {};
  for (const [k, v] of Object.entries(vars)) {
    if (SECRET.test(k)) continue;
    if (protectedToo && Object.hasOwn(PROTECTED_VARIABLES, k)) continue;
    out[k] = v;
  }
  return out;
}

/** The task's variables, read-only: secrets and protected variables left out. */
export async function taskVariables(ctx: CommandContext, p: Principal, userTaskKey: string) {
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.read');
  const shown = shownVariables(loaded.variables, true);
  const names = Object.keys(shown).sort();
  return { variables: names.map((name) => ({ name, value: shown[name] })) };
}

/** At most this many completed tasks, the latest first. */
export const HISTORY_LIMIT = 100;

/** The completion entries of these tasks, by task key. */
async function completions(
  ctx: CommandContext,
  p: Principal,
  projectId: string | null,
  keys: string[],
): Promise<Map<string, AuditEntry>> {
  const base = { tenantId: p.tenantId, entityType: 'user-task', action: 'task.complete' };
  const entries = projectId
    ? await listAudit(ctx.store.db, { ...base, projectId, limit: 10_000 })
    : (
        await Promise.all(keys.map((entityId) => listAudit(ctx.store.db, { ...base, entityId, limit: 1 })))
      ).flat();
  return new Map(entries.map((e) => [e.entityId, e]));
}

export async function taskHistory(ctx: CommandContext, p: Principal, userTaskKey: string) {
  const loaded = await loadTask(ctx, p, userTaskKey, 'task.read');
  const projectId = typeof loaded.variables.projectId === 'string' ? loaded.variables.projectId : null;
  const filter: UserTaskFilter = {
    state: 'COMPLETED',
    tenantId: p.tenantId,
    ...(projectId ? { projectId } : { processInstanceKey: loaded.task.processInstanceKey }),
    sort: [
      { field: 'completionDate', order: 'DESC' },
      { field: 'creationDate', order: 'DESC' },
    ],
    page: { from: 0, limit: HISTORY_LIMIT },
  };
  const done = await gatewayOf(ctx).searchUserTasks(filter);
  const byKey = await completions(
    ctx,
    p,
    projectId,
    done.items.map((t) => t.userTaskKey),
  );
  const names = new Map<string, Promise<string | null>>();
  const nameOf = (id: string | null) => {
    const k = id ?? '';
    if (!names.has(k)) names.set(k, displayName(ctx, id));
    return names.get(k)!;
  };
  const forms = new Map<string, Promise<TaskForm | null>>();
  const formOf = (t: { userTaskKey: string; processDefinitionKey?: string; elementId: string }) => {
    const k = `${t.processDefinitionKey ?? t.userTaskKey}/${t.elementId}`;
    if (!forms.has(k)) forms.set(k, completedTaskForm(ctx, t.userTaskKey));
    return forms.get(k)!;
  };
  const items = [];
  for (const t of done.items) {
    const entry = byKey.get(t.userTaskKey);
    items.push({
      userTaskKey: t.userTaskKey,
      name: t.name,
      elementId: t.elementId,
      processDefinitionId: t.processDefinitionId,
      completionDate: t.completionDate,
      completedBy: entry
        ? { accountId: entry.accountId, displayName: await nameOf(entry.accountId), role: entry.role }
        : null,
      decision: entry ? shownVariables(decisionOf(entry), false) : null,
      // The same decision in the words of the task's form (the chosen option, labelled values), for the page.
      decisionShown: entry ? decisionLines(await formOf(t), shownVariables(decisionOf(entry), false)) : null,
    });
  }
  return { items, total: done.total };
}

function decisionOf(entry: AuditEntry): Variables {
  const v = (entry.payload as { variables?: unknown } | null)?.variables;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Variables) : {};
}

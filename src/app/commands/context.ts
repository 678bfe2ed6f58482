// What every business command shares: the store, the process gateway, the regulation and the clock (the context),
// and who acts (the actor: a principal, the request it came with, a logger). Commands check the rules, call the
// engine outside any store transaction, write the audit entry and own compensation; routes, the demo and the tests
// call them the same way.
import type { Regulation } from '../../domain/index.ts';
import { type AuditEntry, appendAudit } from '../../store/audit.ts';
import { findProject, type Project } from '../../store/projects.ts';
import type { Conn, Store } from '../../store/store.ts';
import { auditRole, type Decision, decide, type Principal } from '../authz.ts';
import type { MailNotices } from '../mail-sender.ts';
import { ProblemError, problem } from '../problem.ts';
import { ProcessEngineError, type ProcessGateway, type Variables } from '../process-gateway.ts';
import { projectTarget } from './task-access.ts';

export interface CommandLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CommandContext {
  store: Store;
  regulation: Regulation;
  now: () => Date;
  /** Null when no engine is configured: the engine-backed commands answer 503. */
  processes: ProcessGateway | null;
  /**
   * Issue 16: where SMTP is configured, the notifications commands write are also e-mailed through the outbox;
   * absent or null: in-app only, and nothing is queued.
   */
  mail?: MailNotices | null;
}

export interface Actor {
  principal: Principal;
  /** The request that carried the command (the audit entry names it); null for the demo and scripts. */
  requestId: string | null;
  log: CommandLog;
  /** Told when the command appended an audit entry (the API checks every state-changing request for one). */
  onAudit?: () => void;
}

/** Throws the problem that the decision calls for, or returns. */
export function ensure(decision: Decision): void {
  if (decision.allowed) return;
  throw decision.status === 404 ? problem.notFound(decision.reason) : problem.forbidden(decision.reason);
}

/** Appends the command's audit entry inside `tx`: who, when, what, on which data (SV-4). */
export async function audit(
  tx: Conn,
  ctx: Pick<CommandContext, 'now'>,
  actor: Actor,
  e: { action: string; entityType: string; entityId: string; projectId?: string | null; payload: unknown },
): Promise<AuditEntry> {
  const p = actor.principal;
  const entry = await appendAudit(tx, {
    tenantId: p.tenantId,
    accountId: p.accountId,
    role: auditRole(p),
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    projectId: e.projectId ?? null,
    requestId: actor.requestId,
    payload: e.payload,
    at: ctx.now().toISOString(),
  });
  actor.onAudit?.();
  return entry;
}

/** The gateway, or 503 when this installation runs without an engine. */
export function gatewayOf(ctx: CommandContext): ProcessGateway {
  if (!ctx.processes) throw new ProblemError(503, 'engine-unavailable', '未配置流程引擎，该操作不可用');
  return ctx.processes;
}

/** An engine failure as the API answers it: 503 when unreachable or broken, 409 with Camunda's reason otherwise. */
export function engineProblem(e: unknown, what = '该操作'): unknown {
  if (!(e instanceof ProcessEngineError)) return e;
  if (isUncertain(e)) {
    return new ProblemError(
      503,
      'engine-unavailable',
      `流程引擎暂不可用，${what}未执行，请稍后重试（${e.title}）`,
    );
  }
  return new ProblemError(409, 'engine-refused', `流程引擎拒绝${what}：${e.detail || e.title}`);
}

/** Unreachable or broken (no answer, 5xx): the engine may or may not have acted. A 4xx is a certain refusal. */
export function isUncertain(e: ProcessEngineError): boolean {
  return e.status === 0 || e.status >= 500;
}

/** Runs one engine call; a refusal or an outage becomes the problem the API answers with. */
export async function engineCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw engineProblem(e, what);
  }
}

/** The business tenant of a process that carries no `tenantId` (the yearly campaign's timer start): the city. */
export const DEFAULT_TENANT = 'yunfu';

export function tenantOfVariables(vars: Variables | undefined): string {
  const t = vars?.tenantId;
  return typeof t === 'string' && t !== '' ? t : DEFAULT_TENANT;
}

/** The project `projectId` as the principal may see it; 404 for another tenant's or an invisible project. */
export async function visibleProject(
  ctx: Pick<CommandContext, 'store' | 'processes'>,
  p: Principal,
  projectId: string,
): Promise<Project> {
  const project = await findProject(ctx.store.db, p.tenantId, projectId);
  if (!project) throw problem.notFound(`项目 ${projectId} 不存在或无权查看`);
  // PUB-2: an expert or cost reviewer reads the project it holds an open task on (task-access.ts)
  ensure(decide(p, 'project.read', await projectTarget(ctx, p, project)));
  return project;
}

/** Locks the project's row until the transaction ends (PostgreSQL; SQLite's writer lock is already exclusive). */
export async function lockedProject(tx: Conn, tenantId: string, id: string): Promise<Project | undefined> {
  if (tx.dialect === 'postgres') {
    await tx.db
      .selectFrom('projects')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .execute();
  }
  return findProject(tx.db as Parameters<typeof findProject>[0], tenantId, id);
}

/** Logs what could not be undone after the engine acted and the store failed: an administrator must look. */
export function logUncompensated(actor: Actor, what: string, detail: object, err: unknown): void {
  actor.log.error({ ...detail, err }, `${what}: the engine acted but the store did not record it`);
}

/**
 * Writes the audit entry of an engine call that has already happened (a completed task, a correlated message, an
 * operator's repair). What the engine did cannot be taken back — its history holds it — so an entry that cannot
 * be written is logged loudly for an administrator and the error goes on to the caller.
 */
export async function auditAfter(ctx: CommandContext, actor: Actor, entry: Parameters<typeof audit>[3]) {
  await ctx.store
    .transaction((tx) => audit(tx, ctx, actor, entry))
    .catch((e: unknown) => {
      logUncompensated(actor, entry.action, { entityId: entry.entityId, payload: entry.payload }, e);
      throw e;
    });
}

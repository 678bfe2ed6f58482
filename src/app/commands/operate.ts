// Operations by the Bureau's administrators (Operate's equivalent): retry an incident (raise the job's retries, then
// resolve), modify an instance's variables to fix the data an incident stopped on (never a decision or an amount:
// src/domain/protected-variables.ts), cancel an instance — a project's lifecycle is not cancelled but goes through
// the IM-9 termination filing. The protection lives in this business API, which the operate pages use; /v2 stays
// Camunda's API. The engine acts first, outside any store transaction; the audit entry
// (and the project's stage) follow it. Moving a token and migrating to another version: ops-changes.ts.
import { protectedVariableIssues } from '../../domain/index.ts';
import { findProject, PROJECT_STAGES } from '../../store/projects.ts';
import type { Principal } from '../authz.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Incident, ProcessInstance, Variables } from '../process-gateway.ts';
import {
  type Actor,
  auditAfter,
  type CommandContext,
  engineCall,
  ensure,
  gatewayOf,
  tenantOfVariables,
} from './context.ts';

/** Only the Bureau's administrators operate processes (of their tenant). */
export function ensureOperator(p: Principal): void {
  ensure(decide(p, 'process.operate', { tenantId: p.tenantId }));
}

/** The instance if it belongs to the principal's tenant (its `tenantId` variable), else 404. */
export async function tenantInstance(
  ctx: CommandContext,
  tenantId: string,
  key: string,
): Promise<{ instance: ProcessInstance; projectId: string | null }> {
  const gateway = gatewayOf(ctx);
  const instance = await gateway.getProcessInstance(key);
  if (!instance) throw problem.notFound(`流程实例 ${key} 不存在或无权查看`);
  const vars = (await gateway.instanceVariables([key], ['tenantId', 'projectId'])).get(key) ?? {};
  if (tenantOfVariables(vars) !== tenantId) throw problem.notFound(`流程实例 ${key} 不存在或无权查看`);
  return { instance, projectId: typeof vars.projectId === 'string' ? vars.projectId : null };
}

export async function retryIncident(
  ctx: CommandContext,
  actor: Actor,
  incidentKey: string,
): Promise<{ incident: Incident; projectId: string | null }> {
  const p = actor.principal;
  ensureOperator(p);
  const gateway = gatewayOf(ctx);
  const incident = await gateway.getIncident(incidentKey);
  if (!incident) throw problem.notFound(`故障 ${incidentKey} 不存在或无权查看`);
  const { projectId } = await tenantInstance(ctx, p.tenantId, incident.processInstanceKey).catch(() => {
    throw problem.notFound(`故障 ${incidentKey} 不存在或无权查看`);
  });
  if (incident.state !== 'ACTIVE') throw problem.conflict('故障已解决，无需重试');
  await engineCall('重试故障', () => gateway.retryIncident(incidentKey));
  await auditAfter(ctx, actor, {
    action: 'incident.retry',
    entityType: 'incident',
    entityId: incidentKey,
    projectId,
    payload: {
      processInstanceKey: incident.processInstanceKey,
      elementId: incident.elementId,
      errorType: incident.errorType,
      errorMessage: incident.errorMessage,
      jobKey: incident.jobKey,
    },
  });
  actor.log.info(
    { projectId, processInstanceKey: incident.processInstanceKey, incidentKey },
    'incident retried',
  );
  return { incident, projectId };
}

export async function modifyInstanceVariables(
  ctx: CommandContext,
  actor: Actor,
  input: { processInstanceKey: string; variables: Variables },
): Promise<{ names: string[] }> {
  const p = actor.principal;
  ensureOperator(p);
  const { processInstanceKey, variables } = input;
  // IM-9, SV-4: identity, owner, amounts and decisions are not data to fix (src/domain/protected-variables.ts).
  const refused = protectedVariableIssues(Object.keys(variables));
  if (refused.length > 0) {
    throw problem.validation(
      `不能通过运维修改决定或金额：${refused.map((i) => i.field.slice('variables.'.length)).join('、')}`,
      refused,
    );
  }
  const { instance, projectId } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能修改变量');
  const gateway = gatewayOf(ctx);
  await engineCall('修改流程变量', () => gateway.setVariables(processInstanceKey, variables));
  await auditAfter(ctx, actor, {
    action: 'process-instance.variables',
    entityType: 'process-instance',
    entityId: processInstanceKey,
    projectId,
    payload: { variables },
  });
  const names = Object.keys(variables);
  actor.log.info({ projectId, processInstanceKey, names }, 'process variables set');
  return { names };
}

/** The IM-9 termination filing that cancelling a project's lifecycle becomes: Bureau and Finance register it. */
const TERMINATION_MESSAGE = 'project-termination-filed';

async function fileTerminationFromOperations(
  ctx: CommandContext,
  actor: Actor,
  input: {
    processInstanceKey: string;
    projectId: string;
    stage: keyof typeof PROJECT_STAGES;
    reason: string;
  },
): Promise<void> {
  const p = actor.principal;
  const conflict = () =>
    problem.conflict(
      `项目处于“${PROJECT_STAGES[input.stage]}”阶段，没有可终止的合同：取消项目须经终止合同备案（IM-9），仅在项目实施期间办理；实施前的项目由其审批决定结束`,
    );
  if (input.stage !== 'implementation') throw conflict();
  const variables = {
    terminationReason: input.reason,
    filedBy: p.accountId,
    filedAt: ctx.now().toISOString(),
    terminationRequestedBy: 'operations',
  };
  const gateway = gatewayOf(ctx);
  const correlated = await engineCall('办理终止合同备案', () =>
    gateway.correlateMessage(TERMINATION_MESSAGE, input.projectId, variables, p.tenantId),
  );
  if (!correlated) throw conflict();
  await auditAfter(ctx, actor, {
    action: 'project.termination-filing',
    entityType: 'project',
    entityId: input.projectId,
    projectId: input.projectId,
    payload: {
      via: 'operations',
      cancelRequestedFor: input.processInstanceKey,
      message: TERMINATION_MESSAGE,
      variables,
    },
  });
  actor.log.info(
    { projectId: input.projectId, processInstanceKey: input.processInstanceKey },
    'lifecycle cancel became an IM-9 termination filing',
  );
}

/**
 * Cancels an instance. A project's lifecycle is not cancelled: IM-9 ends a project only through the termination
 * filing with the Bureau and Finance, so the request needs a reason and starts that filing (the lifecycle closes
 * the project as terminated once both are registered). Other instances are cancelled as Operate does.
 */
export async function cancelInstance(
  ctx: CommandContext,
  actor: Actor,
  input: { processInstanceKey: string; reason: string | null },
): Promise<{ projectId: string | null; terminationFiling: boolean }> {
  const p = actor.principal;
  ensureOperator(p);
  const { processInstanceKey, reason } = input;
  const { instance, projectId } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能取消');
  const project = projectId ? await findProject(ctx.store.db, p.tenantId, projectId) : undefined;
  if (project && project.processInstanceKey === processInstanceKey) {
    if (!reason?.trim()) {
      throw problem.validation('取消项目须说明终止理由（IM-9）', [
        {
          field: 'reason',
          reason: '取消项目全生命周期须填写终止理由，并经市政数局和市财政局终止备案',
        },
      ]);
    }
    await fileTerminationFromOperations(ctx, actor, {
      processInstanceKey,
      projectId: project.id,
      stage: project.stage,
      reason: reason.trim(),
    });
    return { projectId, terminationFiling: true };
  }
  const gateway = gatewayOf(ctx);
  await engineCall('取消流程实例', () => gateway.cancelProcessInstance(processInstanceKey));
  const payload = { processDefinitionId: instance.processDefinitionId, reason, endsProject: false };
  await auditAfter(ctx, actor, {
    action: 'process-instance.cancel',
    entityType: 'process-instance',
    entityId: processInstanceKey,
    projectId,
    payload,
  });
  actor.log.info({ projectId, processInstanceKey }, 'process instance cancelled');
  return { projectId, terminationFiling: false };
}

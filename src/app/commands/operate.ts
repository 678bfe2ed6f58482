// Operations by the Bureau's administrators (Operate's equivalent): retry an incident (raise the job's retries, then
// resolve), modify an instance's variables to fix the data an incident stopped on, cancel an instance — cancelling
// a project's lifecycle ends the project. The engine acts first, outside any store transaction; the audit entry
// (and the project's stage) follow it. Process migration is not offered: Camunda 8.8's migration plans are not
// served by the embedded engine.
import { findProject, setStage } from '../../store/projects.ts';
import type { Principal } from '../authz.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Incident, ProcessInstance, Variables } from '../process-gateway.ts';
import {
  type Actor,
  audit,
  type CommandContext,
  engineCall,
  ensure,
  gatewayOf,
  logUncompensated,
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

async function auditAfter(ctx: CommandContext, actor: Actor, entry: Parameters<typeof audit>[3]) {
  await ctx.store
    .transaction((tx) => audit(tx, ctx, actor, entry))
    .catch((e: unknown) => {
      logUncompensated(actor, entry.action, { entityId: entry.entityId, payload: entry.payload }, e);
      throw e;
    });
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
  // The identity of an instance is not data to fix: its project and tenant stay what they are.
  for (const name of ['projectId', 'tenantId']) {
    if (Object.hasOwn(variables, name)) {
      throw problem.validation('不能修改流程实例的标识变量', [
        { field: `variables.${name}`, reason: '项目和租户标识不可修改' },
      ]);
    }
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

export async function cancelInstance(
  ctx: CommandContext,
  actor: Actor,
  input: { processInstanceKey: string; reason: string | null },
): Promise<{ projectId: string | null }> {
  const p = actor.principal;
  ensureOperator(p);
  const { processInstanceKey, reason } = input;
  const { instance, projectId } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能取消');
  const project = projectId ? await findProject(ctx.store.db, p.tenantId, projectId) : undefined;
  // Cancelling a project's lifecycle ends the project: its stage says so, with the audit entry.
  const endsProject = project?.processInstanceKey === processInstanceKey;
  const gateway = gatewayOf(ctx);
  await engineCall('取消流程实例', () => gateway.cancelProcessInstance(processInstanceKey));
  const payload = { processDefinitionId: instance.processDefinitionId, reason, endsProject };
  await ctx.store
    .transaction(async (tx) => {
      await audit(tx, ctx, actor, {
        action: 'process-instance.cancel',
        entityType: 'process-instance',
        entityId: processInstanceKey,
        projectId,
        payload,
      });
      if (endsProject && project) {
        await setStage(tx, {
          tenantId: p.tenantId,
          id: project.id,
          stage: 'terminated',
          accountId: p.accountId,
          at: ctx.now().toISOString(),
          note: { stage: 'terminated', cancelledProcessInstanceKey: processInstanceKey, reason },
        });
      }
    })
    .catch((e: unknown) => {
      logUncompensated(actor, 'process-instance.cancel', { processInstanceKey, projectId, ...payload }, e);
      throw e;
    });
  actor.log.info({ projectId, processInstanceKey }, 'process instance cancelled');
  return { projectId };
}

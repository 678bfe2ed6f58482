// Requests that start a process of their own: infrastructure services (IM-6), coordination of a major problem
// (IM-7), audit materials (SV-3). The engine starts the process outside any store transaction; the audit entry
// follows in one; when the store fails after the start, the instance is cancelled (compensation).
import { randomUUID } from 'node:crypto';
import { findUnit } from '../../store/units.ts';
import { decide } from '../authz.ts';
import type { StartedProcess, Variables } from '../process-gateway.ts';
import {
  type Actor,
  audit,
  type CommandContext,
  engineCall,
  ensure,
  gatewayOf,
  visibleProject,
} from './context.ts';

export interface StartedRequest extends StartedProcess {
  requestId: string;
  projectId: string | null;
}

interface StartSpec {
  processId: string;
  businessKey: string;
  variables: Variables;
  action: string;
  entityType: string;
  projectId: string | null;
  what: string;
}

/** Starts the process, then audits it; a store failure after the start cancels the instance. */
async function startAudited(ctx: CommandContext, actor: Actor, e: StartSpec): Promise<StartedRequest> {
  const gateway = gatewayOf(ctx);
  const tenantId = actor.principal.tenantId;
  const started = await engineCall(e.what, () =>
    gateway.startProcess(e.processId, e.businessKey, e.variables, tenantId),
  );
  try {
    await ctx.store.transaction((tx) =>
      audit(tx, ctx, actor, {
        action: e.action,
        entityType: e.entityType,
        entityId: e.businessKey,
        projectId: e.projectId,
        payload: {
          processInstanceKey: started.processInstanceKey,
          processId: e.processId,
          variables: e.variables,
        },
      }),
    );
  } catch (err) {
    await gateway
      .cancelProcessInstance(started.processInstanceKey)
      .catch((cancelError: unknown) =>
        actor.log.error(
          { processInstanceKey: started.processInstanceKey, err: cancelError },
          'could not cancel a process instance whose start was not recorded; cancel it in operations',
        ),
      );
    throw err;
  }
  return { ...started, requestId: e.businessKey, projectId: e.projectId };
}

async function unitNameOf(ctx: CommandContext, tenantId: string, unitId: string): Promise<string> {
  return (await findUnit(ctx.store.db, tenantId, unitId))?.name ?? unitId;
}

export async function requestInfrastructure(
  ctx: CommandContext,
  actor: Actor,
  input: { requestedService: string; requestedSpecification: string },
): Promise<StartedRequest> {
  const p = actor.principal;
  ensure(decide(p, 'request.create', { tenantId: p.tenantId, unitId: p.unitId }));
  const requestId = `IR-${randomUUID()}`;
  return startAudited(ctx, actor, {
    processId: 'infrastructure-service-request',
    businessKey: requestId,
    variables: {
      requestId,
      tenantId: p.tenantId,
      unitId: p.unitId,
      unitName: await unitNameOf(ctx, p.tenantId, p.unitId as string),
      requestedService: input.requestedService,
      requestedSpecification: input.requestedSpecification,
    },
    action: 'infrastructure-request.create',
    entityType: 'infrastructure-request',
    projectId: null,
    what: '受理基础设施服务申请',
  });
}

export async function requestCoordination(
  ctx: CommandContext,
  actor: Actor,
  input: { coordinationSubject: string; coordinationDescription: string; projectId?: string },
): Promise<StartedRequest> {
  const p = actor.principal;
  ensure(decide(p, 'request.create', { tenantId: p.tenantId, unitId: p.unitId }));
  let projectName: string | null = null;
  if (input.projectId) {
    const project = await visibleProject(ctx, p, input.projectId);
    ensure(decide(p, 'request.create', project));
    projectName = project.name;
  }
  const requestId = `CR-${randomUUID()}`;
  return startAudited(ctx, actor, {
    processId: 'coordination-request',
    businessKey: requestId,
    variables: {
      requestId,
      tenantId: p.tenantId,
      unitId: p.unitId,
      unitName: await unitNameOf(ctx, p.tenantId, p.unitId as string),
      coordinationSubject: input.coordinationSubject,
      coordinationDescription: input.coordinationDescription,
      ...(input.projectId ? { projectId: input.projectId, projectName } : {}),
    },
    action: 'coordination-request.create',
    entityType: 'coordination-request',
    projectId: input.projectId ?? null,
    what: '受理重大问题协调需求',
  });
}

/** SV-3: Audit's own request; it changes no project data. */
export async function requestAuditMaterials(
  ctx: CommandContext,
  actor: Actor,
  input: { projectId: string; requestedMaterials: string },
): Promise<StartedRequest> {
  const p = actor.principal;
  const project = await visibleProject(ctx, p, input.projectId);
  ensure(decide(p, 'audit-request.create', project));
  const auditRequestId = `AR-${randomUUID()}`;
  return startAudited(ctx, actor, {
    processId: 'audit-request',
    businessKey: auditRequestId,
    variables: {
      auditRequestId,
      tenantId: p.tenantId,
      projectId: project.id,
      projectName: project.name,
      unitId: project.unitId,
      unitName: await unitNameOf(ctx, p.tenantId, project.unitId),
      requestedMaterials: input.requestedMaterials,
    },
    action: 'audit-request.create',
    entityType: 'audit-request',
    projectId: project.id,
    what: '发起审计资料调取',
  });
}

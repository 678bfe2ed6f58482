// Operate's incidents by error type: the tenant's active incidents grouped by their error type, and "retry all of
// this kind" — each incident retried as one retry is (a job incident gets its retries back first, then the incident
// is resolved: src/app/camunda-gateway.ts retryIncident), each audited with the operator's reason; the answer
// counts how many were retried and names those the engine refused.
import type { Principal } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Incident } from '../process-gateway.ts';
import {
  type Actor,
  auditAfter,
  type CommandContext,
  engineCall,
  gatewayOf,
  tenantOfVariables,
} from './context.ts';
import { ensureOperator } from './operate.ts';

const PAGE = 1000;
/** At most this many incidents are read for the groups (the engine's own search cap). */
const MAX_INCIDENTS = 10_000;

/** The tenant's active incidents (SU-3: by the `tenantId` variable of their instance), oldest first. */
async function tenantIncidents(ctx: CommandContext, tenantId: string) {
  const gateway = gatewayOf(ctx);
  const all: Incident[] = [];
  for (let from = 0; from < MAX_INCIDENTS; from += PAGE) {
    const r = await gateway.searchIncidents({ state: 'ACTIVE', page: { from, limit: PAGE } });
    all.push(...r.items);
    if (r.items.length < PAGE || all.length >= r.total) break;
  }
  const vars = await gateway.instanceVariables(
    all.map((i) => i.processInstanceKey),
    ['tenantId', 'projectId'],
  );
  return all
    .filter((i) => tenantOfVariables(vars.get(i.processInstanceKey)) === tenantId)
    .map((i) => {
      const projectId = vars.get(i.processInstanceKey)?.projectId;
      return { incident: i, projectId: typeof projectId === 'string' ? projectId : null };
    });
}

export async function incidentGroups(ctx: CommandContext, p: Principal) {
  ensureOperator(p);
  const found = await tenantIncidents(ctx, p.tenantId);
  const groups = new Map<string, Incident[]>();
  for (const { incident } of found) {
    const list = groups.get(incident.errorType) ?? [];
    list.push(incident);
    groups.set(incident.errorType, list);
  }
  return {
    total: found.length,
    groups: [...groups.entries()]
      .map(([errorType, list]) => ({
        errorType,
        count: list.length,
        instances: new Set(list.map((i) => i.processInstanceKey)).size,
        elementIds: [...new Set(list.map((i) => i.elementId))].sort(),
        sampleMessage: list[0]?.errorMessage ?? '',
        oldest: list[0]?.creationTime ?? '',
      }))
      .sort((a, b) => b.count - a.count || a.errorType.localeCompare(b.errorType)),
  };
}

/** Retries every active incident of `errorType` in the tenant, one after the other; each success is audited. */
export async function retryIncidentGroup(
  ctx: CommandContext,
  actor: Actor,
  input: { errorType: string; reason: string },
) {
  const p = actor.principal;
  ensureOperator(p);
  const reason = input.reason.trim();
  const targets = (await tenantIncidents(ctx, p.tenantId)).filter(
    (x) => x.incident.errorType === input.errorType,
  );
  if (targets.length === 0) throw problem.notFound(`没有类型为 ${input.errorType} 的未解决故障`);
  const gateway = gatewayOf(ctx);
  const failed: Array<{ incidentKey: string; detail: string }> = [];
  let retried = 0;
  for (const { incident, projectId } of targets) {
    try {
      await engineCall('重试故障', () => gateway.retryIncident(incident.incidentKey));
    } catch (e) {
      failed.push({ incidentKey: incident.incidentKey, detail: e instanceof Error ? e.message : String(e) });
      continue;
    }
    retried += 1;
    await auditAfter(ctx, actor, {
      action: 'incident.retry',
      entityType: 'incident',
      entityId: incident.incidentKey,
      projectId,
      payload: {
        processInstanceKey: incident.processInstanceKey,
        elementId: incident.elementId,
        errorType: incident.errorType,
        errorMessage: incident.errorMessage,
        jobKey: incident.jobKey,
        reason,
        group: true,
      },
    });
  }
  // the group's own entry: what was asked, why, and how it went (also when the engine refused every one)
  await auditAfter(ctx, actor, {
    action: 'incident.retry-group',
    entityType: 'incident-group',
    entityId: input.errorType,
    payload: { reason, total: targets.length, retried, failed },
  });
  actor.log.info({ errorType: input.errorType, retried, failed: failed.length }, 'incident group retried');
  return { errorType: input.errorType, total: targets.length, retried, failed };
}

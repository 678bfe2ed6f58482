// Operate's two changes to a running instance, for the Bureau's administrators, each first shown (preview) and then
// done with a reason the audit log keeps:
// - modification — move a token: the active instances of one element end and another element of the same flow
//   scope starts. Back to a step the instance already reached is allowed (a step is done again); forward only when
//   neither the step left nor any step between is one where a person, a decision table or another process decides
//   (forward past a stuck automated step is what moving is for), since operations must not
//   skip a decision (IM-9, SV-4: operations cannot rewrite decisions). Refusals are 422 naming the field.
// - migration — to another version of the same process, each active element mapped to the element of the same id;
//   a version without one of them (or with another type there) blocks the migration (409), as Camunda would refuse
//   the unmapped element. Camunda's own refusals come back as its problem.
// https://docs.camunda.io/docs/components/concepts/process-instance-modification/
// https://docs.camunda.io/docs/components/concepts/process-instance-migration/

import type { Principal } from '../authz.ts';
import { problem } from '../problem.ts';
import type { ElementInstance, ProcessInstance } from '../process-gateway.ts';
import {
  DECIDING_TYPES,
  instanceTypeOf,
  type ModelNode,
  nodesBetween,
  type ProcessModel,
  readProcessModel,
} from '../queries/bpmn-model.ts';
import { type Actor, auditAfter, type CommandContext, engineCall, gatewayOf } from './context.ts';
import { ensureOperator, tenantInstance } from './operate.ts';

/** Where a token may be moved to: a step or an event inside the flow, not a start, boundary event or gateway. */
export const MOVABLE_TO = new Set([
  'userTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'manualTask',
  'task',
  'callActivity',
  'subProcess',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'endEvent',
]);

const label = (n: ModelNode) => n.name ?? n.id;

async function activeInstance(ctx: CommandContext, p: Principal, processInstanceKey: string) {
  ensureOperator(p);
  const found = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  if (found.instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能修改或迁移');
  return found;
}

async function modelOf(ctx: CommandContext, instance: ProcessInstance): Promise<ProcessModel> {
  const xml = await gatewayOf(ctx).processDefinitionXml(instance.processDefinitionKey);
  return readProcessModel(xml, instance.processDefinitionId);
}

export interface ModifyInput {
  processInstanceKey: string;
  fromElementId: string;
  targetElementId: string;
}

/** What moving the token would do, or a 422 naming the field that makes it impossible. */
export async function previewModification(ctx: CommandContext, p: Principal, input: ModifyInput) {
  const { instance, projectId } = await activeInstance(ctx, p, input.processInstanceKey);
  const [model, elements] = await Promise.all([
    modelOf(ctx, instance),
    gatewayOf(ctx).elementInstances(input.processInstanceKey),
  ]);
  const from = model.nodes.get(input.fromElementId);
  const leaving = elements.filter((e) => e.elementId === input.fromElementId && e.state === 'ACTIVE');
  if (!from || leaving.length === 0) {
    throw problem.refused(`节点 ${input.fromElementId} 当前没有活动的令牌`, [
      { field: 'fromElementId', reason: '须为当前活动的节点' },
    ]);
  }
  const target = model.nodes.get(input.targetElementId);
  const refuse = (reason: string) =>
    problem.refused(`不能移动到 ${target ? label(target) : input.targetElementId}：${reason}`, [
      { field: 'targetElementId', reason },
    ]);
  if (!target) throw refuse('流程中没有这个节点');
  if (!MOVABLE_TO.has(target.type)) throw refuse('只能移动到任务、子流程或中间/结束事件');
  if (target.scopeId !== from.scopeId) throw refuse('只能在同一层级（同一流程或子流程）内移动');
  const reached = elements.some((e) => e.elementId === target.id);
  const between = reached ? [] : nodesBetween(model, from.id, target.id);
  if (between === null) throw refuse('目标节点既未到达过，也不在当前节点之后的路径上');
  // forward, the step the token leaves is skipped too: its decision would never be taken
  const skipped = reached ? [] : [from, ...between].filter((n) => DECIDING_TYPES.has(n.type));
  if (skipped.length > 0) {
    throw refuse(`向前移动会跳过需要决定的步骤：${skipped.map(label).join('、')}`);
  }
  return {
    processInstanceKey: input.processInstanceKey,
    projectId,
    direction: reached ? ('back' as const) : ('forward' as const),
    terminate: leaving.map((e) => ({
      elementInstanceKey: e.elementInstanceKey,
      elementId: e.elementId,
      elementName: e.elementName ?? label(from),
    })),
    activate: { elementId: target.id, elementName: label(target) },
    summary: `结束「${label(from)}」（${leaving.length} 个令牌），启动「${label(target)}」${
      reached ? '（退回到已办理过的步骤，该步骤将重新办理）' : '（向前移动，中间没有需要决定的步骤）'
    }`,
  };
}

export async function modifyInstance(
  ctx: CommandContext,
  actor: Actor,
  input: ModifyInput & { reason: string },
) {
  const plan = await previewModification(ctx, actor.principal, input);
  await engineCall('修改流程实例（移动令牌）', () =>
    gatewayOf(ctx)
      .changes()
      .modify(input.processInstanceKey, {
        activate: [{ elementId: plan.activate.elementId }],
        terminate: plan.terminate.map((t) => t.elementInstanceKey),
      }),
  );
  await auditAfter(ctx, actor, {
    action: 'process-instance.modify',
    entityType: 'process-instance',
    entityId: input.processInstanceKey,
    projectId: plan.projectId,
    payload: {
      fromElementId: input.fromElementId,
      targetElementId: input.targetElementId,
      direction: plan.direction,
      terminated: plan.terminate.map((t) => t.elementInstanceKey),
      reason: input.reason.trim(),
    },
  });
  actor.log.info({ processInstanceKey: input.processInstanceKey, plan: plan.summary }, 'instance modified');
  return plan;
}

/** The other deployed versions of the instance's process, newest first. */
async function otherVersions(ctx: CommandContext, instance: ProcessInstance) {
  const versions = await engineCall('读取流程版本', () =>
    gatewayOf(ctx).changes().processVersions(instance.processDefinitionId),
  );
  return versions.filter((v) => v.processDefinitionKey !== instance.processDefinitionKey);
}

export async function migrationTargets(ctx: CommandContext, p: Principal, processInstanceKey: string) {
  ensureOperator(p);
  const { instance } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  return {
    processInstanceKey,
    current: {
      processDefinitionKey: instance.processDefinitionKey,
      version: instance.processDefinitionVersion,
    },
    versions: await otherVersions(ctx, instance),
  };
}

const mappable = (e: ElementInstance) => e.state === 'ACTIVE' && e.type !== 'PROCESS';

/** Each active element of the instance and the element of the same id in the target version (or why none). */
export async function previewMigration(
  ctx: CommandContext,
  p: Principal,
  input: { processInstanceKey: string; targetProcessDefinitionKey: string },
) {
  const { instance, projectId } = await activeInstance(ctx, p, input.processInstanceKey);
  const versions = await otherVersions(ctx, instance);
  const target = versions.find((v) => v.processDefinitionKey === input.targetProcessDefinitionKey);
  if (!target) {
    throw problem.refused('只能迁移到同一流程的另一个已部署版本', [
      { field: 'targetProcessDefinitionKey', reason: '须为本流程的另一个版本' },
    ]);
  }
  const xml = await gatewayOf(ctx).processDefinitionXml(target.processDefinitionKey);
  const targetModel = await readProcessModel(xml, instance.processDefinitionId);
  const active = (await gatewayOf(ctx).elementInstances(input.processInstanceKey)).filter(mappable);
  const ids = [...new Set(active.map((e) => e.elementId))];
  const mappings = ids.map((id) => {
    const source = active.find((e) => e.elementId === id) as ElementInstance;
    const node = targetModel.nodes.get(id);
    const sameType =
      node !== undefined &&
      (source.type === 'MULTI_INSTANCE_BODY' || instanceTypeOf(node.type) === source.type);
    return {
      sourceElementId: id,
      sourceElementName: source.elementName ?? id,
      targetElementId: sameType ? id : null,
      problem: node === undefined ? '新版本中没有此节点' : sameType ? null : '新版本中此节点的类型不同',
    };
  });
  const blocked = mappings.filter((m) => m.problem !== null);
  return {
    processInstanceKey: input.processInstanceKey,
    projectId,
    from: { processDefinitionKey: instance.processDefinitionKey, version: instance.processDefinitionVersion },
    to: { processDefinitionKey: target.processDefinitionKey, version: target.version },
    mappings,
    allowed: blocked.length === 0,
    summary:
      blocked.length === 0
        ? `从 v${instance.processDefinitionVersion} 迁移到 v${target.version}：${mappings.length} 个活动节点按同名节点对应`
        : `不能迁移：${blocked.map((m) => `${m.sourceElementName}（${m.problem}）`).join('、')}`,
  };
}

export async function migrateInstance(
  ctx: CommandContext,
  actor: Actor,
  input: { processInstanceKey: string; targetProcessDefinitionKey: string; reason: string },
) {
  const plan = await previewMigration(ctx, actor.principal, input);
  if (!plan.allowed) {
    throw problem.conflict(
      plan.summary,
      plan.mappings
        .filter((m) => m.problem !== null)
        .map((m) => ({ field: `mappings.${m.sourceElementId}`, reason: m.problem as string })),
    );
  }
  const mappings = plan.mappings.map((m) => ({
    sourceElementId: m.sourceElementId,
    targetElementId: m.targetElementId as string,
  }));
  await engineCall('迁移流程实例', () =>
    gatewayOf(ctx).changes().migrate(input.processInstanceKey, input.targetProcessDefinitionKey, mappings),
  );
  await auditAfter(ctx, actor, {
    action: 'process-instance.migrate',
    entityType: 'process-instance',
    entityId: input.processInstanceKey,
    projectId: plan.projectId,
    payload: { from: plan.from, to: plan.to, mappings, reason: input.reason.trim() },
  });
  actor.log.info({ processInstanceKey: input.processInstanceKey, to: plan.to }, 'instance migrated');
  return plan;
}

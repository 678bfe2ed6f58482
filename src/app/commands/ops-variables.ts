// Operate's variables panel: the variables of each scope of an instance (the process and every element instance that
// holds variables or is still active), and editing one scope's variables with a reason the audit log keeps.
// Protected variables (src/domain/protected-variables.ts: identity, amounts, decisions — IM-9, SV-4) are neither
// shown (only their names, marked protected) nor editable: an edit naming one is refused (422) naming it.
import { PROTECTED_VARIABLES, protectedVariableIssues } from '../../domain/index.ts';
import type { Principal } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Variables } from '../process-gateway.ts';
import { type Actor, auditAfter, type CommandContext, engineCall, gatewayOf } from './context.ts';
import { ensureOperator, tenantInstance } from './operate.ts';

const isProtected = (name: string) => Object.hasOwn(PROTECTED_VARIABLES, name);

async function scopesOf(ctx: CommandContext, processInstanceKey: string) {
  const gateway = gatewayOf(ctx);
  const elements = await gateway.elementInstances(processInstanceKey);
  return elements
    .filter((e) => e.type !== 'PROCESS' && e.elementInstanceKey !== processInstanceKey)
    .map((e) => ({
      scopeKey: e.elementInstanceKey,
      elementId: e.elementId,
      elementName: e.elementName,
      type: e.type,
      state: e.state,
    }));
}

export async function instanceScopes(ctx: CommandContext, p: Principal, processInstanceKey: string) {
  ensureOperator(p);
  const { instance } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  const root = {
    scopeKey: processInstanceKey,
    elementId: instance.processDefinitionId,
    elementName: instance.processDefinitionName,
    type: 'PROCESS',
    state: instance.state,
  };
  const scopes = [root, ...(await scopesOf(ctx, processInstanceKey))];
  const values = await gatewayOf(ctx).instanceVariables(
    scopes.map((s) => s.scopeKey),
    [],
  );
  return {
    processInstanceKey,
    scopes: scopes
      .map((s) => {
        const all = Object.entries(values.get(s.scopeKey) ?? {}).sort(([a], [b]) => a.localeCompare(b));
        return {
          ...s,
          variables: all.filter(([n]) => !isProtected(n)).map(([name, value]) => ({ name, value })),
          protectedNames: all.filter(([n]) => isProtected(n)).map(([n]) => n),
        };
      })
      .filter((s) => s.scopeKey === processInstanceKey || s.state === 'ACTIVE' || s.variables.length > 0),
  };
}

/** Sets variables of one scope of an instance (Operate's edit), with the reason; never a protected variable. */
export async function editScopeVariables(
  ctx: CommandContext,
  actor: Actor,
  input: { processInstanceKey: string; scopeKey: string; variables: Variables; reason: string },
): Promise<{ names: string[] }> {
  const p = actor.principal;
  ensureOperator(p);
  const { processInstanceKey, scopeKey, variables } = input;
  const refused = protectedVariableIssues(Object.keys(variables));
  if (refused.length > 0) {
    throw problem.refused(
      `受保护的变量不能通过运维修改：${refused.map((i) => i.field.slice('variables.'.length)).join('、')}`,
      refused,
    );
  }
  const { instance, projectId } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能修改变量');
  const scope =
    scopeKey === processInstanceKey
      ? { elementId: instance.processDefinitionId, state: 'ACTIVE' }
      : (await scopesOf(ctx, processInstanceKey)).find((s) => s.scopeKey === scopeKey);
  if (!scope) throw problem.notFound(`作用域 ${scopeKey} 不属于流程实例 ${processInstanceKey}`);
  if (scope.state !== 'ACTIVE') throw problem.conflict('该节点已结束，不能修改其变量');
  await engineCall('修改流程变量', () => gatewayOf(ctx).setVariables(scopeKey, variables, true));
  const names = Object.keys(variables);
  await auditAfter(ctx, actor, {
    action: 'process-instance.variables',
    entityType: 'process-instance',
    entityId: processInstanceKey,
    projectId,
    payload: { scopeKey, elementId: scope.elementId, variables, reason: input.reason.trim() },
  });
  actor.log.info({ projectId, processInstanceKey, scopeKey, names }, 'scope variables set');
  return { names };
}

// P-1: a Unit files its next-year informatization plan; the filing is numbered (备案) and marked on time or late
// against the deadline of the rule edition in force (30 November, Asia/Shanghai, inclusive).
import { filingDeadline, filingStatus, planYearOfFiling } from '../../domain/annual-plan.ts';
import { type AnnualPlan, DuplicatePlanError, fileAnnualPlan } from '../../store/annual-plans.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import { type Actor, audit, type CommandContext, ensure } from './context.ts';

export async function fileAnnualPlanCommand(
  ctx: CommandContext,
  actor: Actor,
  input: { planYear?: number; summary: string; projects?: unknown[] },
): Promise<AnnualPlan & { deadline: string }> {
  const p = actor.principal;
  const unitId = p.unitId;
  ensure(decide(p, 'plan.file', { tenantId: p.tenantId, unitId }));
  const now = ctx.now();
  const currentPlanYear = planYearOfFiling(now);
  const planYear = input.planYear ?? currentPlanYear;
  if (planYear < currentPlanYear - 1 || planYear > currentPlanYear + 1) {
    throw problem.validation('规划年度无效', [
      { field: 'planYear', reason: `只能备案 ${currentPlanYear - 1}–${currentPlanYear + 1} 年度的规划` },
    ]);
  }
  const deadlineDay = ctx.regulation.rules.editionAt(now).annualPlanDeadline;
  const status = filingStatus(planYear, now, deadlineDay);
  try {
    const plan = await ctx.store.transaction(async (tx) => {
      const filed = await fileAnnualPlan(tx, {
        tenantId: p.tenantId,
        unitId: unitId as string,
        planYear,
        summary: input.summary,
        content: { projects: input.projects ?? [] },
        filedAt: now.toISOString(),
        filedBy: p.accountId,
        onTime: status.onTime,
        daysLate: status.daysLate,
      });
      await audit(tx, ctx, actor, {
        action: 'annual-plan.file',
        entityType: 'annual-plan',
        entityId: filed.id,
        payload: {
          planYear,
          unitId,
          filingNumber: filed.filingNumber,
          onTime: status.onTime,
          daysLate: status.daysLate,
        },
      });
      return filed;
    });
    return { ...plan, deadline: filingDeadline(planYear, deadlineDay).deadline };
  } catch (e) {
    if (e instanceof DuplicatePlanError) {
      throw problem.conflict(`本单位 ${planYear} 年度规划已备案（${e.existing.filingNumber}）`, [
        { field: 'planYear', reason: '该年度已备案' },
      ]);
    }
    throw e;
  }
}

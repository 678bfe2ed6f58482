// P-1: a Unit files its next-year informatization plan; the filing is numbered (备案) and marked on time or late
// against the deadline of the rule edition in force (30 November, Asia/Shanghai, inclusive). G-6: it goes out only
// once the Unit's 责任科室 approved it. While the campaign has the Unit's plan of that year open, the post completes
// the campaign's task and the plan waits for the section (annual-plan-campaign.ts). Outside a campaign only the
// section itself files it — its filing is its sign-off; the staff is refused with 409 naming planYear.
import { filingDeadline, filingStatus, planYearOfFiling } from '../../domain/annual-plan.ts';
import {
  type AnnualPlan,
  DuplicatePlanError,
  fileAnnualPlan,
  fileSupplement,
  findAnnualPlan,
  listAnnualPlans,
  type PlanSupplement,
} from '../../store/annual-plans.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import {
  type HandedOn,
  handOnThroughCampaign,
  openCampaignTask,
  type PlanInput,
} from './annual-plan-campaign.ts';
import { type Actor, audit, type CommandContext, ensure } from './context.ts';

export async function fileAnnualPlanCommand(
  ctx: CommandContext,
  actor: Actor,
  input: PlanInput,
): Promise<(AnnualPlan & { deadline: string }) | (HandedOn & { deadline: string })> {
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
  const deadlineDay = ctx.regulation.rules.editionAt(now, p.tenantId).annualPlanDeadline;
  const { deadline } = filingDeadline(planYear, deadlineDay);
  const task = await openCampaignTask(ctx, p.tenantId, unitId as string, planYear);
  if (task) return { ...(await handOnThroughCampaign(ctx, actor, task, planYear, input)), deadline };
  if (!p.roles.includes('unit-section')) await refuseStaff(ctx, p.tenantId, unitId as string, planYear);
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
    return { ...plan, deadline };
  } catch (e) {
    if (e instanceof DuplicatePlanError) {
      throw problem.conflict(`本单位 ${planYear} 年度规划已备案（${e.existing.filingNumber}）`, [
        { field: 'planYear', reason: '该年度已备案' },
      ]);
    }
    throw e;
  }
}

/** Outside a campaign the staff cannot file: already filed, or the plan has to go through the Unit's section (G-6). */
async function refuseStaff(
  ctx: CommandContext,
  tenantId: string,
  unitId: string,
  planYear: number,
): Promise<never> {
  const [filed] = await listAnnualPlans(ctx.store.db, { tenantId, unitId, planYear });
  if (filed) {
    throw problem.conflict(`本单位 ${planYear} 年度规划已备案（${filed.filingNumber}）`, [
      { field: 'planYear', reason: '该年度已备案' },
    ]);
  }
  throw problem.conflict(
    `本单位 ${planYear} 年度规划须经本单位责任科室审核同意后报送（G-6）：当前没有该年度的规划备案任务，请由责任科室备案，或待市政数局启动年度规划备案后在此报送`,
    [{ field: 'planYear', reason: `${planYear} 年度没有进行中的规划备案任务，经办人不能直接备案` }],
  );
}

/**
 * 补充备案 (issue 16): the Unit adds to the plan it filed — numbered as a filing of its own, kept beside the plan,
 * never replacing it. G-6: it goes out on the 责任科室's word, so only the section files it (the staff 403). P-1
 * sets only the filing deadline; a supplement after it is accepted and recorded as after the deadline; a plan
 * whose year is over takes none (409). Another Unit's plan does not exist (404).
 */
export async function supplementAnnualPlan(
  ctx: CommandContext,
  actor: Actor,
  planId: string,
  input: Pick<PlanInput, 'summary' | 'projects'>,
): Promise<PlanSupplement> {
  const p = actor.principal;
  const plan = await findAnnualPlan(ctx.store.db, p.tenantId, planId);
  if (!plan) throw problem.notFound(`年度规划 ${planId} 不存在或无权查看`);
  // another Unit's plan does not exist for it (404); a role that files no plans is refused (403)
  ensure(decide(p, 'plan.file', { tenantId: p.tenantId, unitId: plan.unitId }));
  if (!p.roles.includes('unit-section'))
    throw problem.forbidden('年度规划的补充备案须由本单位责任科室审核报送（G-6）');
  const now = ctx.now();
  if (plan.planYear < planYearOfFiling(now) - 1)
    throw problem.conflict(`${plan.planYear} 年度已结束，不能再补充该年度的规划`, [
      { field: 'planId', reason: `${plan.planYear} 年度已结束` },
    ]);
  const deadlineDay = ctx.regulation.rules.editionAt(now, p.tenantId).annualPlanDeadline;
  const afterDeadline = !filingStatus(plan.planYear, now, deadlineDay).onTime;
  return ctx.store.transaction(async (tx) => {
    const filed = await fileSupplement(tx, plan, {
      summary: input.summary,
      content: { projects: input.projects ?? [] },
      filedAt: now.toISOString(),
      filedBy: p.accountId,
      afterDeadline,
    });
    await audit(tx, ctx, actor, {
      action: 'annual-plan.supplement',
      entityType: 'annual-plan',
      entityId: plan.id,
      payload: {
        planYear: plan.planYear,
        unitId: plan.unitId,
        filingNumber: filed.filingNumber,
        afterDeadline,
      },
    });
    return filed;
  });
}

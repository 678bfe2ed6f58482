// G-6 and P-1: the annual plan goes out on one path. While the campaign (processes/annual-plan-filing.bpmn) has the
// Unit's plan of that year open with its staff — 报送 (Task_FileAnnualPlan) or 按责任科室意见修改 (Task_ReviseAnnualPlan)
// — what the Plans page posts completes that task, and the plan waits for the Unit's 责任科室; only its approval files
// it (yunfu.record-filing numbers it and judges it on time or late at that moment).
import { problem } from '../problem.ts';
import type { UserTask, Variables } from '../process-gateway.ts';
import type { Actor, CommandContext } from './context.ts';
import { tenantOfVariables } from './context.ts';
import { completeTask } from './tasks.ts';

const PROCESS = 'annual-plan-filing';
/** The steps where the Unit's staff holds the plan. */
const WITH_STAFF = ['Task_FileAnnualPlan', 'Task_ReviseAnnualPlan'];
const WITH_SECTION = 'Task_SectionReviewAnnualPlan';

export interface PlanInput {
  planYear?: number;
  summary: string;
  projects?: Array<{ name: string; estimatedAmount: number }>;
  contactName?: string;
  contactPhone?: string;
}

export interface HandedOn {
  status: 'awaiting-section';
  planYear: number;
  unitId: string;
  userTaskKey: string;
  processInstanceKey: string;
}

/** The campaign's open task of this Unit's plan of `planYear` (tenant-checked), or null when there is none. */
export async function openCampaignTask(
  ctx: CommandContext,
  tenantId: string,
  unitId: string,
  planYear: number,
): Promise<UserTask | null> {
  if (!ctx.processes) return null; // no engine, no campaign
  const gateway = ctx.processes;
  const { items } = await gateway.searchUserTasks({
    processDefinitionId: PROCESS,
    candidateGroups: [`unit-${unitId}`, `unit-section-${unitId}`],
    state: 'CREATED',
    page: { from: 0, limit: 50 },
  });
  for (const task of items) {
    if (![...WITH_STAFF, WITH_SECTION].includes(task.elementId)) continue;
    const vars = await gateway.userTaskVariables(task.userTaskKey);
    if (vars.planYear === planYear && vars.unitId === unitId && tenantOfVariables(vars) === tenantId)
      return task;
  }
  return null;
}

/** The campaign task's variables from the Plans page's body (the form file-annual-plan / revise-annual-plan). */
function taskVariables(input: PlanInput): Variables {
  const missing = (['contactName', 'contactPhone'] as const)
    .filter((k) => !input[k]?.trim())
    .map((field) => ({ field, reason: '经年度规划备案任务报送时必填' }));
  if (missing.length > 0) throw problem.validation('请填写联系人和联系电话', missing);
  const projects = input.projects ?? [];
  return {
    planSummary: input.summary,
    plannedProjects:
      projects.map((x) => `${x.name}：${x.estimatedAmount}元`).join('\n') || '（本年度暂无拟申报项目）',
    estimatedTotalAmount: projects.reduce((sum, x) => sum + x.estimatedAmount, 0),
    contactName: input.contactName?.trim(),
    contactPhone: input.contactPhone?.trim(),
  } as Variables;
}

/**
 * Hands the plan on through the campaign's task: completes the staff's open step (so it goes to the section), or
 * refuses with 409 while the section holds it.
 */
export async function handOnThroughCampaign(
  ctx: CommandContext,
  actor: Actor,
  task: UserTask,
  planYear: number,
  input: PlanInput,
): Promise<HandedOn> {
  const unitId = actor.principal.unitId as string;
  if (task.elementId === WITH_SECTION) {
    throw problem.conflict(`本单位 ${planYear} 年度规划已报责任科室审核，审核前不能再次报送`, [
      { field: 'planYear', reason: '该年度规划正待本单位责任科室审核（G-6）' },
    ]);
  }
  await completeTask(ctx, actor, { userTaskKey: task.userTaskKey, variables: taskVariables(input) });
  return {
    status: 'awaiting-section',
    planYear,
    unitId,
    userTaskKey: task.userTaskKey,
    processInstanceKey: task.processInstanceKey,
  };
}

// PUB-2: the experts and the cost reviewers see no project of their own (authz.ts `readScope` is empty for them);
// what they review reaches them through their tasks. While one of them holds an open task on a project — assigned
// to them, or open for one of their groups, exactly the tasks `decideTask` lets them read — they read that project
// and its documents; once the task is completed (or cancelled) the project is hidden again. Looked up in the
// engine only for principals without a read scope, so the Bureau's and the Units' reads cost nothing more.
import type { Project } from '../../store/projects.ts';
import { candidateGroupsOf, type Principal, readScope, type Target } from '../authz.ts';
import { ProblemError } from '../problem.ts';
import type { ProcessGateway, UserTaskFilter } from '../process-gateway.ts';

/** Whether `p` holds an open task of its tenant on `projectId` (two searches of one item each). */
export async function holdsOpenTask(
  gateway: ProcessGateway,
  p: Principal,
  projectId: string,
): Promise<boolean> {
  const base: UserTaskFilter = {
    state: 'CREATED',
    tenantId: p.tenantId,
    projectId,
    page: { from: 0, limit: 1 },
  };
  const groups = candidateGroupsOf(p);
  const searches = [gateway.searchUserTasks({ ...base, assignee: p.accountId })];
  if (groups.length > 0) searches.push(gateway.searchUserTasks({ ...base, candidateGroups: groups }));
  try {
    return (await Promise.all(searches)).some((r) => r.total > 0);
  } catch {
    throw new ProblemError(503, 'engine-unavailable', '流程引擎暂不可用，无法确认您的审核任务，请稍后重试');
  }
}

/** The project as an authorisation target, with `reviewing` set for a principal without a read scope. */
export async function projectTarget(
  ctx: { processes: ProcessGateway | null },
  p: Principal,
  project: Pick<Project, 'id' | 'tenantId' | 'unitId' | 'category'>,
): Promise<Target> {
  const target: Target = { tenantId: project.tenantId, unitId: project.unitId, category: project.category };
  if (project.tenantId !== p.tenantId || readScope(p).kind !== 'none' || !ctx.processes) return target;
  return { ...target, reviewing: await holdsOpenTask(ctx.processes, p, project.id) };
}

// Who may do what — the one place that decides (G-5..G-8, SV-2, SU-3). Routes ask `decide(principal, action,
// target)` and turn the decision into a response:
//   - another tenant's resource does not exist for you (404, never 403: SU-3 isolation leaks nothing);
//   - a resource of your tenant that your role may not see is also 404 (a Unit does not learn which projects
//     other Units have);
//   - a resource you may see but an action your role may not take is 403, with the reason.
import type { Role } from '../domain/roles.ts';
import { isReadOnlyRole, ROLES } from '../domain/roles.ts';
import { organisationGroup } from '../domain/third-parties.ts';
import { ISSUED_DOCUMENT_KINDS } from '../store/documents.ts';

export interface Principal {
  accountId: string;
  tenantId: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  /** A third party's account: its organisation (IM-3, IM-4, src/domain/third-parties.ts). */
  organisationId?: string | null;
}

/** The role recorded in the audit trail for this principal's actions. */
export function auditRole(p: Principal): string {
  return p.roles.join(',');
}

const UNIT_WRITERS: Role[] = ['unit-staff', 'unit-section'];
const UNIT_READERS: Role[] = ['unit-staff', 'unit-section', 'unit-leadership'];
/** Roles that see every project of their tenant. */
const TENANT_READERS: Role[] = ['bureau-reviewer', 'bureau-admin', 'audit', 'city-government', 'finance'];
const BUREAU: Role[] = ['bureau-reviewer', 'bureau-admin'];

const has = (p: Principal, roles: Role[]) => p.roles.some((r) => roles.includes(r));

export type Scope = { kind: 'tenant' } | { kind: 'unit'; unitId: string } | { kind: 'none' };

/**
 * Which projects (and plans, filings, statistics) a principal sees in its tenant. The experts, cost reviewers and
 * supervisors see none here: what they need of a project reaches them through the tasks they are given.
 */
export function readScope(p: Principal): Scope {
  if (has(p, TENANT_READERS)) return { kind: 'tenant' };
  if (p.unitId && has(p, UNIT_READERS)) return { kind: 'unit', unitId: p.unitId };
  return { kind: 'none' };
}

/** SV-2: Finance sees funds and status of every project; every other reader sees the whole record. */
export function projectView(p: Principal): 'full' | 'funds' {
  if (has(p, ['finance']) && !has(p, [...BUREAU, 'audit', 'city-government', ...UNIT_READERS]))
    return 'funds';
  return 'full';
}

/** Audit (G-8) reads everything and changes nothing. */
export function isReadOnly(p: Principal): boolean {
  return p.roles.length > 0 && p.roles.every((r) => isReadOnlyRole(r));
}

export type Action =
  | 'project.read'
  | 'project.create'
  | 'project.edit'
  | 'document.read'
  | 'document.upload'
  | 'plan.read'
  | 'plan.file'
  | 'filing.read'
  | 'statistics.read'
  | 'audit.read'
  | 'audit.export'
  // Process, task and operations routes:
  | 'project.submit'
  | 'project.file'
  | 'request.create'
  | 'audit-request.create'
  | 'needs.open'
  | 'needs.read'
  | 'process.operate'
  // SV-1, SV-2: the tenant-wide view of every open task and its deadlines (the overdue overview, scope=overview)
  | 'tasks.overview';

export interface Target {
  tenantId: string;
  /** The owning Unit of the resource (a project's, a plan's), if any. */
  unitId?: string | null;
  /** A project's category (G-5): the Bureau owns every step of a 公共类 project. */
  category?: string | null;
  /** For document.read: the document's kind (Finance reads the documents issued to it, PRO-3). */
  documentKind?: string | null;
  /**
   * The principal holds an open task on this project — assigned to it or open for one of its groups
   * (src/app/commands/task-access.ts looks it up in the engine): an expert or cost reviewer (PUB-2), whose read
   * scope is otherwise empty, reads the project and its documents while it reviews them, and nothing else.
   */
  reviewing?: boolean;
}

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

const allow: Decision = { allowed: true };
const hidden = (reason = '资源不存在或无权查看'): Decision => ({ allowed: false, status: 404, reason });
const forbid = (reason: string): Decision => ({ allowed: false, status: 403, reason });

function sees(p: Principal, target: Target): boolean {
  if (target.tenantId !== p.tenantId) return false;
  const scope = readScope(p);
  if (scope.kind === 'tenant') return true;
  if (scope.kind === 'unit') return target.unitId === scope.unitId;
  // PUB-2: a reviewer without a scope of its own reads the project it holds an open task on
  return target.reviewing === true;
}

/** Whether only an open review task lets the principal see the project (then it reads, never writes). */
function seesByTask(p: Principal, target: Target): boolean {
  return target.tenantId === p.tenantId && readScope(p).kind === 'none' && target.reviewing === true;
}

/** The refusal of a write to a project the principal cannot see, or sees only through its review task. */
function unseen(p: Principal, target: Target): Decision {
  return seesByTask(p, target) ? forbid('审核任务只能查阅项目及其材料，不能修改（PUB-2）') : hidden();
}

/** Who uploads a project's documents: the Bureau, the owning Unit's writers, and an engaged third party its report. */
function decideUpload(p: Principal, target: Target): Decision {
  // IM-4: the engaged organisation attaches its own report (测评报告) while it holds the task on the project
  if (p.organisationId && seesByTask(p, target) && target.documentKind === 'assessment-report') return allow;
  if (!sees(p, target) || seesByTask(p, target)) return unseen(p, target);
  if (has(p, BUREAU) || (has(p, UNIT_WRITERS) && p.unitId === target.unitId)) return allow;
  return forbid('当前角色不能为该项目上传材料');
}

/** PUB-1, G-5: the Bureau's administrators open needs collections; the Bureau and Audit read them. */
function decideNeeds(p: Principal, action: 'needs.open' | 'needs.read'): Decision {
  if (action === 'needs.read') {
    return has(p, [...BUREAU, 'audit']) ? allow : forbid('公共类服务需求汇总由市政数局查看（PUB-1）');
  }
  if (isReadOnly(p)) return forbid(`${ROLES.audit.name}只能查阅，不能修改数据（G-8）`);
  return has(p, ['bureau-admin']) ? allow : forbid('公共类服务需求征集由市政数局管理员发起（PUB-1、G-5）');
}

export function decide(p: Principal, action: Action, target: Target): Decision {
  // SU-3: nothing of another tenant exists for this principal, whatever the action.
  if (target.tenantId !== p.tenantId) return hidden();
  const readOnly = isReadOnly(p);
  const readOnlyReason = `${ROLES.audit.name}只能查阅，不能修改数据（G-8）`;
  switch (action) {
    case 'project.read':
    case 'plan.read':
    case 'filing.read':
      return sees(p, target) ? allow : hidden();
    case 'statistics.read':
      return readScope(p).kind === 'none' ? forbid('当前角色不能查看项目统计') : allow;
    case 'document.read':
      if (!sees(p, target)) return hidden();
      if (projectView(p) === 'funds' && !ISSUED_DOCUMENT_KINDS.includes(target.documentKind ?? ''))
        return forbid(
          '市财政局可查看项目资金和状态（SV-2）及立项审批意见（PRO-3），其他项目材料请通过审核任务查阅',
        );
      return allow;
    case 'project.create':
    case 'project.edit':
    case 'plan.file':
      if (readOnly) return forbid(readOnlyReason);
      if (!sees(p, target) || seesByTask(p, target)) return unseen(p, target);
      if (!(has(p, UNIT_WRITERS) && p.unitId === target.unitId)) {
        return forbid(
          action === 'plan.file'
            ? '年度信息化规划由本单位经办人员或责任科室备案（P-1）'
            : '项目申报材料由本单位经办人员或责任科室编制（G-6）',
        );
      }
      return allow;
    case 'document.upload':
      return readOnly ? forbid(readOnlyReason) : decideUpload(p, target);
    case 'audit.read':
      return has(p, ['audit', 'bureau-admin'])
        ? allow
        : forbid('只有审计人员和管理局管理员可以查阅审计日志（SV-4）');
    case 'audit.export':
      if (!sees(p, target)) return hidden();
      return has(p, ['audit', 'bureau-admin'])
        ? allow
        : forbid('只有审计人员和管理局管理员可以导出项目审计资料包（SV-3）');
    case 'project.submit':
      if (readOnly) return forbid(readOnlyReason);
      if (!sees(p, target)) return hidden();
      return has(p, UNIT_WRITERS) && p.unitId === target.unitId
        ? allow
        : forbid('项目申报由本单位经办人员或责任科室提交（G-6）');
    case 'project.file':
      // IM-8, IM-9: the owner of the implementation files changes, delays and terminations — the Unit for a
      // 专业类 project, the Bureau's administrators for a 公共类 one (G-5).
      if (readOnly) return forbid(readOnlyReason);
      if (!sees(p, target)) return hidden();
      if (has(p, UNIT_WRITERS) && p.unitId === target.unitId) return allow;
      if (target.category === 'public' && has(p, ['bureau-admin'])) return allow;
      return forbid('变更、延期、终止备案由项目实施责任方提出（IM-8、IM-9）');
    case 'request.create':
      // IM-6 infrastructure requests and IM-7 coordination requests come from a Unit.
      if (readOnly) return forbid(readOnlyReason);
      if (!sees(p, target)) return hidden();
      return has(p, UNIT_WRITERS) && p.unitId === target.unitId
        ? allow
        : forbid('基础设施服务申请和重大问题协调需求由市直单位经办人员或责任科室提出（IM-6、IM-7）');
    case 'audit-request.create':
      // SV-3: Audit asks for materials; asking changes no project data, so the read-only role may do it.
      if (!sees(p, target)) return hidden();
      return has(p, ['audit']) ? allow : forbid('审计资料调取由市审计局提出（SV-3）');
    case 'needs.open':
    case 'needs.read':
      return decideNeeds(p, action);
    case 'process.operate':
    case 'tasks.overview':
      return decideOversight(p, action);
  }
}

/**
 * Operations are the Bureau's administrator's; the tenant-wide view of every task and its deadlines is also
 * Audit's (SV-1, G-8) — a reviewer or a Unit sees its own tasks only.
 */
function decideOversight(p: Principal, action: 'process.operate' | 'tasks.overview'): Decision {
  if (action === 'process.operate') {
    return has(p, ['bureau-admin']) ? allow : forbid('只有市政数局管理员可以查看和处理流程实例（运维）');
  }
  return has(p, ['bureau-admin', 'audit'])
    ? allow
    : forbid('全辖区任务总览与期限执行情况仅供市政数局管理员和审计人员查看（SV-1）');
}

/** The candidate group of a Unit's people (`unit-<unitId>`). */
export const unitGroup = (unitId: string): string => `unit-${unitId}`;
/** The candidate group of a Unit's 责任科室 (`unit-section-<unitId>`, G-6). */
export const unitSectionGroup = (unitId: string): string => `unit-section-${unitId}`;

/**
 * The candidate groups of a principal: its roles, `unit-<unitId>` for a Unit's people, `unit-section-<unitId>` for
 * its 责任科室 and `org-<organisationId>` for a third party's people (docs/process-contract.md).
 */
export function candidateGroupsOf(p: Pick<Principal, 'roles' | 'unitId' | 'organisationId'>): string[] {
  const groups: string[] = p.roles.filter((r) => !UNIT_READERS.includes(r));
  if (p.unitId && has(p as Principal, UNIT_READERS)) groups.push(unitGroup(p.unitId));
  // G-6: the Unit's 责任科室 signs off what its staff prepared; only that Unit's section holds its group.
  if (p.unitId && has(p as Principal, ['unit-section'])) groups.push(unitSectionGroup(p.unitId));
  // IM-3, IM-4: a third party's people work the tasks of the projects that engaged their organisation only.
  if (p.organisationId) groups.push(organisationGroup(p.organisationId));
  return groups;
}

/** A user task as authorisation sees it: the business tenant of its process, its groups and its assignee. */
export interface TaskTarget {
  tenantId: string;
  candidateGroups: string[];
  /** The account id of whoever claimed it. */
  assignee: string | null;
}

/**
 * Tasks: a reviewer sees and works only the tasks of their groups (and those assigned to them); Audit and the
 * Bureau's administrators see every task of their tenant but work only their own groups' (G-8: Audit changes
 * no project data; it works only its own group's tasks, SV-3's review). Another tenant's task, or one the principal may not see, does not exist (404).
 */
export function decideTask(p: Principal, action: 'task.read' | 'task.work', task: TaskTarget): Decision {
  if (task.tenantId !== p.tenantId) return hidden('任务不存在或无权查看');
  const groups = candidateGroupsOf(p);
  const inGroup = task.candidateGroups.some((g) => groups.includes(g));
  const own = task.assignee === p.accountId || inGroup;
  const overseer = has(p, ['audit', 'bureau-admin']);
  if (!own && !overseer) return hidden('任务不存在或无权查看');
  if (action === 'task.read') return allow;
  // G-8: Audit changes no project data. The tasks of its own group (SV-3: reviewing the materials it asked for)
  // are its own work, by group only — a task handed to an Audit account by someone else is not.
  if (isReadOnly(p))
    return inGroup ? allow : forbid(`${ROLES.audit.name}只能查阅，不能办理其他部门的任务（G-8）`);
  return own ? allow : forbid('该任务不属于您所在的候选组，不能办理');
}

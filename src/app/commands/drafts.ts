// Create and correct a project draft (G-2): the draft is checked with src/domain — the closed vocabulary of service
// lines (G-4), integer amounts, scope (G-3, G-9 refused with the rule's reason), the category (G-5/G-6; a project in
// both categories is refused with the domain's reason) and PRO-1 completeness (reported, required only at
// submission) — and stored with its audit entry in one transaction.
import { DateTime } from 'luxon';
import {
  amountsIssues,
  checkApplication,
  classifyProject,
  DomainValidationError,
  type FieldIssue,
  type FundingLine,
  type FundingSource,
  fundingLinesOf,
  mainFundingSource,
  PUBLIC_NEED_ROUTE,
  projectAmounts,
  type ServiceLine,
  ZONE,
} from '../../domain/index.ts';
import {
  insertProject,
  nextProjectId,
  PROJECT_STAGES,
  type Project,
  type ProjectContent,
  updateDraft,
  VersionConflictError,
} from '../../store/projects.ts';
import { findUnit } from '../../store/units.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import { type Actor, audit, type CommandContext, ensure, visibleProject } from './context.ts';

export interface DraftInput {
  unitId?: string;
  projectName: string;
  description?: string;
  planYear: number;
  /** G-3: the sources and their amounts, adding up to the total of the service lines. */
  fundingLines?: FundingLine[];
  /** Earlier clients' single source: one line carrying the whole total (ignored when `fundingLines` is given). */
  fundingSource?: FundingSource;
  classified: boolean;
  hasDataCatalogue?: boolean;
  supportsIpv6?: boolean;
  serviceLines: ServiceLine[];
}

export type DraftChanges = Partial<Omit<DraftInput, 'unitId'>>;

export interface ApplicationCheck {
  applicationComplete: boolean;
  missingItems: string[];
}

const COMPLETENESS_FIELDS = new Set(['hasDataCatalogue', 'supportsIpv6']);

/** Checks a draft with the domain rules and derives category, amounts and the rule edition in force (SU-4). */
function buildContent(
  ctx: CommandContext,
  input: DraftInput,
  unitId: string,
  tenantId: string,
): { content: ProjectContent; check: ApplicationCheck } {
  const total = projectAmounts(input.serviceLines).totalInvestment;
  const fundingLines = fundingLinesOf(input, total) as FundingLine[];
  const { fundingScope } = ctx.regulation.rules.editionAt(ctx.now(), tenantId);
  const check = checkApplication({ ...input, fundingLines, unitId }, { fundingScope });
  if (check.refusalReason) {
    const field = input.classified ? 'classified' : input.fundingLines ? 'fundingLines' : 'fundingSource';
    throw problem.refused(check.refusalReason, [{ field, reason: check.refusalReason }]);
  }
  const blocking = check.issues.filter((i) => !COMPLETENESS_FIELDS.has(i.field));
  if (blocking.length > 0) throw problem.validation('项目信息有误', blocking);
  let category: ProjectContent['category'];
  try {
    category = classifyProject(input.serviceLines, unitId).category;
  } catch (e) {
    if (e instanceof DomainValidationError) throw problem.refused(e.issues[0]?.reason ?? e.message, e.issues);
    throw e;
  }
  if (category === 'public') {
    throw problem.refused(PUBLIC_NEED_ROUTE, [{ field: 'serviceLines', reason: PUBLIC_NEED_ROUTE }]);
  }
  const amounts = projectAmounts(input.serviceLines);
  const amountProblems: FieldIssue[] = amountsIssues(amounts).map((i) => ({
    field: 'serviceLines',
    reason: `合计${i.reason}`,
  }));
  if (amountProblems.length > 0) throw problem.validation('项目金额有误', amountProblems);
  const content: ProjectContent = {
    unitId,
    name: input.projectName.trim(),
    description: input.description ?? '',
    planYear: input.planYear,
    fundingSource: mainFundingSource(fundingLines),
    fundingLines,
    classified: input.classified,
    hasDataCatalogue: input.hasDataCatalogue ?? false,
    supportsIpv6: input.supportsIpv6 ?? false,
    serviceLines: input.serviceLines,
    ...amounts,
    category,
    ruleEdition: ctx.regulation.rules.editionAt(ctx.now(), tenantId).id,
  };
  return {
    content,
    check: { applicationComplete: check.applicationComplete, missingItems: check.missingItems },
  };
}

export async function createDraft(
  ctx: CommandContext,
  actor: Actor,
  input: DraftInput,
): Promise<{ project: Project; check: ApplicationCheck }> {
  const p = actor.principal;
  const unitId = input.unitId ?? p.unitId;
  if (!unitId) throw problem.validation('须指定项目所属单位', [{ field: 'unitId', reason: '必填' }]);
  ensure(decide(p, 'project.create', { tenantId: p.tenantId, unitId }));
  if (!(await findUnit(ctx.store.db, p.tenantId, unitId))) {
    throw problem.validation('单位不存在', [{ field: 'unitId', reason: `单位 ${unitId} 不存在` }]);
  }
  const { content, check } = buildContent(ctx, input, unitId, p.tenantId);
  const now = ctx.now();
  const project = await ctx.store.transaction(async (tx) => {
    const id = await nextProjectId(tx, p.tenantId, DateTime.fromJSDate(now, { zone: ZONE }).year);
    const created = await insertProject(tx, {
      id,
      tenantId: p.tenantId,
      createdBy: p.accountId,
      at: now.toISOString(),
      content,
    });
    await audit(tx, ctx, actor, {
      action: 'project.create',
      entityType: 'project',
      entityId: id,
      projectId: id,
      payload: content,
    });
    return created;
  });
  return { project, check };
}

/**
 * The funding of an edited draft: the lines sent, or the single source sent (converted), or the draft's own lines —
 * a draft funded by one source keeps that source for the whole of its new total when only its service lines change.
 */
function fundingOfEdit(
  project: Project,
  changes: DraftChanges,
): Pick<DraftInput, 'fundingLines' | 'fundingSource'> {
  if (changes.fundingLines) return { fundingLines: changes.fundingLines };
  if (changes.fundingSource) return { fundingSource: changes.fundingSource };
  const [only, ...more] = project.fundingLines;
  if (only && more.length === 0 && changes.serviceLines) return { fundingSource: only.source };
  return { fundingLines: project.fundingLines };
}

/** Corrects a draft (only while it is one), against the version the editor saw. */
export async function editDraft(
  ctx: CommandContext,
  actor: Actor,
  input: { projectId: string; version: number; changes: DraftChanges },
): Promise<{ project: Project; check: ApplicationCheck }> {
  const p = actor.principal;
  const { projectId, version, changes } = input;
  const project = await visibleProject(ctx, p, projectId);
  ensure(decide(p, 'project.edit', project));
  if (project.stage !== 'draft') {
    throw problem.conflict(`项目处于“${PROJECT_STAGES[project.stage]}”阶段，只有草稿可以修改`);
  }
  if (version !== project.version) {
    throw problem.conflict('项目已被他人修改，请刷新后重试', [
      { field: 'version', reason: `当前版本为 ${project.version}` },
    ]);
  }
  const merged: DraftInput = {
    projectName: changes.projectName ?? project.name,
    description: changes.description ?? project.description,
    planYear: changes.planYear ?? project.planYear,
    ...fundingOfEdit(project, changes),
    classified: changes.classified ?? project.classified,
    hasDataCatalogue: changes.hasDataCatalogue ?? project.hasDataCatalogue,
    supportsIpv6: changes.supportsIpv6 ?? project.supportsIpv6,
    serviceLines: changes.serviceLines ?? project.serviceLines,
  };
  const { content, check } = buildContent(ctx, merged, project.unitId, project.tenantId);
  const at = ctx.now().toISOString();
  const updated = await ctx.store
    .transaction(async (tx) => {
      const result = await updateDraft(tx, {
        tenantId: p.tenantId,
        id: projectId,
        expectedVersion: version,
        accountId: p.accountId,
        at,
        content,
        changes,
      });
      await audit(tx, ctx, actor, {
        action: 'project.edit',
        entityType: 'project',
        entityId: projectId,
        projectId,
        payload: { version, changes },
      });
      return result;
    })
    .catch((e: unknown) => {
      if (e instanceof VersionConflictError) throw problem.conflict('项目已被他人修改，请刷新后重试');
      throw e;
    });
  return { project: updated, check };
}

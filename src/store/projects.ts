// The 项目库 (G-2): one registry of every Unit's projects, with their service lines, amounts (integers of 元),
// category, rule edition (SU-4), stage and history. Validation lives in src/domain and the API; this module
// persists and queries.
import { randomUUID } from 'node:crypto';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { CATEGORY_NAMES, type Category } from '../domain/category.ts';
import type { FundingLine } from '../domain/funding.ts';
import type { ServiceLine } from '../domain/service-types.ts';
import { canonicalJson } from './canonical-json.ts';
import { nextValue } from './counters.ts';
import type { Database, ProjectRow } from './schema.ts';
import type { Conn } from './store.ts';

/** A project's stage in its life (G-2), as the API and the 项目库 show it. */
export const PROJECT_STAGES = {
  draft: '草稿',
  submitted: '已提交',
  initiation: '立项中',
  approved: '已立项',
  procurement: '采购中',
  implementation: '实施中',
  acceptance: '验收中',
  'acceptance-rectification': '验收整改中',
  evaluation: '评价中',
  closed: '已完结',
  refused: '不予受理',
  rejected: '未通过',
  'not-accepted': '未通过验收',
  terminated: '已终止',
} as const;
export type ProjectStage = keyof typeof PROJECT_STAGES;

/** What a draft holds; amounts and category are derived from the lines by the caller (src/domain). */
export interface ProjectContent {
  unitId: string;
  name: string;
  description: string;
  planYear: number;
  /** The main source (the largest line): the single field of earlier clients. */
  fundingSource: string;
  /** G-3: the sources with their amounts; they add up to the total investment. */
  fundingLines: FundingLine[];
  classified: boolean;
  hasDataCatalogue: boolean;
  supportsIpv6: boolean;
  serviceLines: ServiceLine[];
  totalInvestment: number;
  softwareDevCost: number;
  category: Category;
  ruleEdition: string;
}

/** A project of the 项目库: its content, and where it stands. */
export interface Project extends ProjectContent {
  id: string;
  tenantId: string;
  stage: ProjectStage;
  processInstanceKey: string | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export function toProject(row: ProjectRow): Project {
  return {
    ...row,
    planYear: Number(row.planYear),
    classified: row.classified === 1,
    hasDataCatalogue: row.hasDataCatalogue === 1,
    supportsIpv6: row.supportsIpv6 === 1,
    serviceLines: JSON.parse(row.serviceLines),
    fundingLines: JSON.parse(row.fundingLines),
    totalInvestment: Number(row.totalInvestment),
    softwareDevCost: Number(row.softwareDevCost),
    version: Number(row.version),
    category: row.category as Category,
    stage: row.stage as ProjectStage,
  };
}

function contentColumns(c: ProjectContent) {
  return {
    unitId: c.unitId,
    name: c.name,
    description: c.description,
    planYear: c.planYear,
    fundingSource: c.fundingSource,
    fundingLines: JSON.stringify(c.fundingLines),
    classified: c.classified ? 1 : 0,
    hasDataCatalogue: c.hasDataCatalogue ? 1 : 0,
    supportsIpv6: c.supportsIpv6 ? 1 : 0,
    serviceLines: JSON.stringify(c.serviceLines),
    totalInvestment: c.totalInvestment,
    softwareDevCost: c.softwareDevCost,
    category: c.category,
    ruleEdition: c.ruleEdition,
  };
}

/** `YF-2026-0007`: the tenant's prefix, the year of creation, a per-tenant sequence. */
export async function nextProjectId(tx: Conn, tenantId: string, year: number): Promise<string> {
  const tenant = await tx.db
    .selectFrom('tenants')
    .select('projectPrefix')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const n = await nextValue(tx, tenantId, 'project', year);
  return `${tenant.projectPrefix}-${year}-${String(n).padStart(4, '0')}`;
}

export async function insertProject(
  tx: Conn,
  input: { id: string; tenantId: string; createdBy: string; at: string; content: ProjectContent },
): Promise<Project> {
  const row: ProjectRow = {
    id: input.id,
    tenantId: input.tenantId,
    ...contentColumns(input.content),
    stage: 'draft',
    processInstanceKey: null,
    version: 1,
    createdBy: input.createdBy,
    createdAt: input.at,
    updatedAt: input.at,
  };
  await tx.db.insertInto('projects').values(row).execute();
  await addHistory(tx, {
    tenantId: input.tenantId,
    projectId: input.id,
    at: input.at,
    accountId: input.createdBy,
    version: 1,
    action: 'created',
    stage: 'draft',
    changes: input.content,
  });
  return toProject(row);
}

/** The project of `tenantId` with that id, or undefined (another tenant's project does not exist here). */
export async function findProject(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Project | undefined> {
  const row = await db
    .selectFrom('projects')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toProject(row) : undefined;
}

export class VersionConflictError extends Error {
  constructor(readonly projectId: string) {
    super(`project ${projectId} was changed by someone else`);
    this.name = 'VersionConflictError';
  }
}

/** Replaces a draft's content; `expectedVersion` guards against a concurrent edit (optimistic locking). */
export async function updateDraft(
  tx: Conn,
  input: {
    tenantId: string;
    id: string;
    expectedVersion: number;
    accountId: string;
    at: string;
    content: ProjectContent;
    changes: Record<string, unknown>;
  },
): Promise<Project> {
  const result = await tx.db
    .updateTable('projects')
    .set({ ...contentColumns(input.content), version: input.expectedVersion + 1, updatedAt: input.at })
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .where('stage', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError(input.id);
  await addHistory(tx, {
    tenantId: input.tenantId,
    projectId: input.id,
    at: input.at,
    accountId: input.accountId,
    version: input.expectedVersion + 1,
    action: 'edited',
    stage: 'draft',
    changes: input.changes,
  });
  const project = await findProject(tx.db as Kysely<Database>, input.tenantId, input.id);
  return project!;
}

/** Moves a project to another stage (the process steps and the submit route call this), with history. */
export async function setStage(
  tx: Conn,
  input: {
    tenantId: string;
    id: string;
    stage: ProjectStage;
    accountId: string | null;
    at: string;
    processInstanceKey?: string;
    note?: unknown;
  },
): Promise<void> {
  await tx.db
    .updateTable('projects')
    .set((eb) => ({
      stage: input.stage,
      updatedAt: input.at,
      version: eb(eb.ref('version'), '+', 1),
      ...(input.processInstanceKey ? { processInstanceKey: input.processInstanceKey } : {}),
    }))
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.id)
    .execute();
  await recordStageChange(tx, input, input.stage, input.note ?? { stage: input.stage });
}

/**
 * Records that a project was submitted (its lifecycle instance exists): the instance key, and the `submitted` entry of
 * its history. The stage becomes `submitted` only while the project is still a draft: the lifecycle's workers start
 * as soon as the instance exists and may already have moved it on (e.g. to `initiation`), and a stage never goes back.
 */
export async function recordSubmission(
  tx: Conn,
  input: {
    tenantId: string;
    id: string;
    accountId: string | null;
    at: string;
    processInstanceKey: string;
    note: unknown;
  },
): Promise<void> {
  // One statement, so a worker's concurrent stage change cannot fall between reading and writing the stage.
  await tx.db
    .updateTable('projects')
    .set((eb) => ({
      stage: eb.case().when('stage', '=', 'draft').then('submitted').else(eb.ref('stage')).end(),
      processInstanceKey: input.processInstanceKey,
      updatedAt: input.at,
      version: eb(eb.ref('version'), '+', 1),
    }))
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.id)
    .execute();
  await recordStageChange(tx, input, 'submitted', input.note);
}

/** The history entry of a stage change, at the version the update just gave the project. */
async function recordStageChange(
  tx: Conn,
  input: { tenantId: string; id: string; accountId: string | null; at: string },
  stage: ProjectStage,
  changes: unknown,
): Promise<void> {
  const { version } = await tx.db
    .selectFrom('projects')
    .select('version')
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.id)
    .executeTakeFirstOrThrow();
  await addHistory(tx, {
    tenantId: input.tenantId,
    projectId: input.id,
    at: input.at,
    accountId: input.accountId,
    version: Number(version),
    action: 'stage-changed',
    stage,
    changes,
  });
}

export interface HistoryEntry {
  id: string;
  at: string;
  accountId: string | null;
  version: number;
  action: string;
  stage: string;
  changes: unknown;
}

async function addHistory(
  tx: Conn,
  h: {
    tenantId: string;
    projectId: string;
    at: string;
    accountId: string | null;
    version: number;
    action: string;
    stage: string;
    changes: unknown;
  },
): Promise<void> {
  await tx.db
    .insertInto('projectHistory')
    .values({ id: randomUUID(), ...h, changes: canonicalJson(h.changes ?? null) })
    .execute();
}

export async function projectHistory(
  db: Kysely<Database>,
  tenantId: string,
  projectId: string,
): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('projectHistory')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('projectId', '=', projectId)
    .orderBy('version', 'asc')
    .orderBy('at', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    accountId: r.accountId,
    version: Number(r.version),
    action: r.action,
    stage: r.stage,
    changes: JSON.parse(r.changes),
  }));
}

export const PROJECT_SORTS = ['id', 'name', 'planYear', 'totalInvestment', 'createdAt', 'updatedAt'] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];

export interface ProjectFilter {
  tenantId: string;
  /** Authorisation scope: only this Unit's projects (a Unit account). */
  scopeUnitId?: string;
  unitId?: string;
  category?: Category;
  stage?: ProjectStage;
  planYear?: number;
  /** Matches id, name or description, case-insensitively. */
  text?: string;
}

export interface ProjectSearch extends ProjectFilter {
  sort: ProjectSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'projects', O>,
  f: ProjectFilter,
): SelectQueryBuilder<Database, 'projects', O> {
  let q = query.where('projects.tenantId', '=', f.tenantId);
  if (f.scopeUnitId !== undefined) q = q.where('projects.unitId', '=', f.scopeUnitId);
  if (f.unitId) q = q.where('projects.unitId', '=', f.unitId);
  if (f.category) q = q.where('projects.category', '=', f.category);
  if (f.stage) q = q.where('projects.stage', '=', f.stage);
  if (f.planYear !== undefined) q = q.where('projects.planYear', '=', f.planYear);
  if (f.text) {
    const pattern = `%${escapeLike(f.text.toLowerCase())}%`;
    q = q.where(
      sql<boolean>`(lower(projects.id) like ${pattern} escape '\\' or lower(projects.name) like ${pattern} escape '\\' or lower(projects.description) like ${pattern} escape '\\')`,
    );
  }
  return q;
}

export async function searchProjects(
  db: Kysely<Database>,
  s: ProjectSearch,
): Promise<{ items: Project[]; total: number }> {
  const base = applyFilter(db.selectFrom('projects'), s);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy(`projects.${s.sort}`, s.order)
    .orderBy('projects.id', 'asc')
    .limit(s.pageSize)
    .offset((s.page - 1) * s.pageSize)
    .execute();
  return { items: rows.map(toProject), total: Number(total) };
}

export interface StatisticsRow {
  key: string;
  label: string;
  count: number;
  totalInvestment: number;
}

export interface ProjectStatistics {
  byUnit: StatisticsRow[];
  byCategory: StatisticsRow[];
  byYear: StatisticsRow[];
  byStage: StatisticsRow[];
  total: { count: number; totalInvestment: number };
}

/** Counts and 总投资 by Unit, category, plan year and stage over the projects the filter lets through. */
export async function projectStatistics(db: Kysely<Database>, f: ProjectFilter): Promise<ProjectStatistics> {
  const group = async (column: 'unitId' | 'category' | 'planYear' | 'stage') => {
    const rows = await applyFilter(db.selectFrom('projects'), f)
      .select((eb) => [
        eb.ref(`projects.${column}`).as('key'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.coalesce(eb.fn.sum<number>('projects.totalInvestment'), eb.lit(0)).as('totalInvestment'),
      ])
      .groupBy(`projects.${column}`)
      .orderBy(`projects.${column}`)
      .execute();
    return rows.map((r) => ({
      key: String(r.key),
      label: String(r.key),
      count: Number(r.count),
      totalInvestment: Number(r.totalInvestment),
    }));
  };
  const [byUnit, byCategory, byYear, byStage] = await Promise.all([
    group('unitId'),
    group('category'),
    group('planYear'),
    group('stage'),
  ]);
  const units = await db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('tenantId', '=', f.tenantId)
    .execute();
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  for (const r of byUnit) r.label = unitNames.get(r.key) ?? r.key;
  for (const r of byCategory) r.label = (CATEGORY_NAMES as Record<string, string>)[r.key] ?? r.key;
  for (const r of byStage) r.label = (PROJECT_STAGES as Record<string, string>)[r.key] ?? r.key;
  const total = byStage.reduce(
    (acc, r) => ({ count: acc.count + r.count, totalInvestment: acc.totalInvestment + r.totalInvestment }),
    { count: 0, totalInvestment: 0 },
  );
  return { byUnit, byCategory, byYear, byStage, total };
}

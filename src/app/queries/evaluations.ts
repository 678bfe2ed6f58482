// SV-1 / SV-2: the evaluation results people read — per project and per Unit and year, for the 绩效考核 of city
// organs. The Bureau and Finance (who evaluate), Audit and the city government read every Unit; a Unit reads only
// its own (another Unit's figures: 403; another Unit's project: 404). Figures: projects evaluated, the Bureau's
// application-effect grade and Finance's performance grade, fund-use compliance, whether the evaluation was
// recorded by its deadline (evaluationDue, computed by the process), and the amount the city government approved
// against the contract amount (src/store/project-amounts.ts).
import type { Kysely } from 'kysely';
import { findProject } from '../../store/projects.ts';
import type { Database } from '../../store/schema.ts';
import { listUnits } from '../../store/units.ts';
import { decide, type Principal, readScope } from '../authz.ts';
import { ensure } from '../commands/context.ts';
import { problem } from '../problem.ts';

export const GRADES = { excellent: '优秀', good: '良好', fair: '一般', poor: '较差' } as const;
export const FUND_USE = { compliant: '符合资金管理规定', irregular: '存在问题' } as const;
type Grade = keyof typeof GRADES;
type GradeCounts = Record<Grade, number>;

/** The year of an instant in Asia/Shanghai (the appraisal year of an evaluation recorded then). */
export function shanghaiYear(iso: string): number {
  return new Date(Date.parse(iso) + 8 * 3_600_000).getUTCFullYear();
}

export interface EvaluatedProject {
  evaluationId: string;
  projectId: string;
  projectName: string;
  unitId: string;
  unitName: string;
  planYear: number;
  category: string;
  year: number;
  recordedAt: string;
  evaluationDue: string | null;
  onTime: boolean | null;
  applicationEffectRating: string | null;
  applicationEffectRatingName: string | null;
  applicationEffectComment: string | null;
  performanceRating: string | null;
  performanceRatingName: string | null;
  fundUseCompliance: string | null;
  fundUseComplianceName: string | null;
  financeEvaluationComment: string | null;
  approvedAmount: number | null;
  contractAmount: number | null;
}

const nameOf = <T extends object>(vocabulary: T, key: string | null): string | null =>
  key !== null && key in vocabulary ? String(vocabulary[key as keyof T]) : null;
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The Unit whose figures `p` may read: a Unit account its own (another's is refused), others any or all. */
function unitScope(p: Principal, unitId: string | undefined): string | undefined {
  ensure(decide(p, 'statistics.read', { tenantId: p.tenantId }));
  const scope = readScope(p);
  if (scope.kind !== 'unit') return unitId;
  if (unitId !== undefined && unitId !== scope.unitId)
    throw problem.forbidden('单位只能查看本单位的评价结果（SV-1）');
  return scope.unitId;
}

/** The latest figure of the approved and contract stages of each project. */
async function approvedAndContract(db: Kysely<Database>, tenantId: string, projectIds: string[]) {
  const out = new Map<string, { approved: number | null; contract: number | null }>();
  if (projectIds.length === 0) return out;
  const rows = await db
    .selectFrom('projectAmounts')
    .select(['projectId', 'stage', 'amount'])
    .where('tenantId', '=', tenantId)
    .where('projectId', 'in', projectIds)
    .where('stage', 'in', ['approved', 'contract'])
    .orderBy('seq', 'asc')
    .execute();
  for (const r of rows) {
    const a = out.get(r.projectId) ?? { approved: null, contract: null };
    if (r.stage === 'approved') a.approved = Number(r.amount);
    else a.contract = Number(r.amount);
    out.set(r.projectId, a);
  }
  return out;
}

async function evaluatedProjects(
  db: Kysely<Database>,
  tenantId: string,
  filter: { unitId?: string; projectId?: string; year?: number },
): Promise<EvaluatedProject[]> {
  let q = db
    .selectFrom('evaluations as e')
    .innerJoin('projects as p', (j) =>
      j.onRef('p.tenantId', '=', 'e.tenantId').onRef('p.id', '=', 'e.projectId'),
    )
    .leftJoin('units as u', (j) => j.onRef('u.tenantId', '=', 'p.tenantId').onRef('u.id', '=', 'p.unitId'))
    .select([
      'e.id',
      'e.projectId',
      'e.recordedAt',
      'e.payload',
      'p.name',
      'p.unitId',
      'p.planYear',
      'p.category',
    ])
    .select(['u.name as unitName'])
    .where('e.tenantId', '=', tenantId);
  if (filter.unitId !== undefined) q = q.where('p.unitId', '=', filter.unitId);
  if (filter.projectId !== undefined) q = q.where('e.projectId', '=', filter.projectId);
  const rows = (await q.orderBy('e.recordedAt', 'asc').orderBy('e.id', 'asc').execute()).filter(
    (r) => filter.year === undefined || shanghaiYear(r.recordedAt) === filter.year,
  );
  const amounts = await approvedAndContract(db, tenantId, [...new Set(rows.map((r) => r.projectId))]);
  return rows.map((r) => {
    const v = JSON.parse(r.payload) as Record<string, unknown>;
    const due = text(v.evaluationDue);
    const effect = text(v.applicationEffectRating);
    const performance = text(v.performanceRating);
    const fundUse = text(v.fundUseCompliance);
    const a = amounts.get(r.projectId);
    return {
      evaluationId: r.id,
      projectId: r.projectId,
      projectName: r.name,
      unitId: r.unitId,
      unitName: r.unitName ?? r.unitId,
      planYear: Number(r.planYear),
      category: r.category,
      year: shanghaiYear(r.recordedAt),
      recordedAt: r.recordedAt,
      evaluationDue: due,
      onTime: due === null ? null : Date.parse(r.recordedAt) <= Date.parse(due),
      applicationEffectRating: effect,
      applicationEffectRatingName: nameOf(GRADES, effect),
      applicationEffectComment: text(v.applicationEffectComment),
      performanceRating: performance,
      performanceRatingName: nameOf(GRADES, performance),
      fundUseCompliance: fundUse,
      fundUseComplianceName: nameOf(FUND_USE, fundUse),
      financeEvaluationComment: text(v.financeEvaluationComment),
      approvedAmount: a?.approved ?? null,
      contractAmount: a?.contract ?? null,
    };
  });
}

const zeroGrades = (): GradeCounts => ({ excellent: 0, good: 0, fair: 0, poor: 0 });

/** One Unit's (or the whole tenant's) figures over its evaluated projects. */
function summarise(projects: EvaluatedProject[]) {
  const effect = zeroGrades();
  const performance = zeroGrades();
  let approved = 0;
  let contract = 0;
  for (const x of projects) {
    if (x.applicationEffectRating && x.applicationEffectRating in effect)
      effect[x.applicationEffectRating as Grade]++;
    if (x.performanceRating && x.performanceRating in performance)
      performance[x.performanceRating as Grade]++;
    approved += x.approvedAmount ?? 0;
    contract += x.contractAmount ?? 0;
  }
  return {
    projectsEvaluated: projects.length,
    applicationEffect: effect,
    performance,
    fundUseCompliant: projects.filter((x) => x.fundUseCompliance === 'compliant').length,
    fundUseIrregular: projects.filter((x) => x.fundUseCompliance === 'irregular').length,
    onTime: projects.filter((x) => x.onTime === true).length,
    late: projects.filter((x) => x.onTime === false).length,
    approvedAmount: approved,
    contractAmount: contract,
  };
}

/** GET /api/evaluations: the figures per Unit for an appraisal year, and the evaluated projects behind them. */
export async function evaluationBoard(
  db: Kysely<Database>,
  p: Principal,
  q: { year?: number; unitId?: string },
) {
  const unitId = unitScope(p, q.unitId);
  const projects = await evaluatedProjects(db, p.tenantId, { unitId, year: q.year });
  const units = (await listUnits(db, p.tenantId)).filter((u) => unitId === undefined || u.id === unitId);
  return {
    year: q.year ?? null,
    unitId: unitId ?? null,
    totals: summarise(projects),
    units: units.map((u) => ({
      unitId: u.id,
      unitName: u.name,
      ...summarise(projects.filter((x) => x.unitId === u.id)),
    })),
    projects,
  };
}

/** GET /api/projects/:projectId/evaluation: one project's evaluation records (404 when the project is not visible). */
export async function projectEvaluation(db: Kysely<Database>, p: Principal, projectId: string) {
  const project = await findProject(db, p.tenantId, projectId);
  // a missing project and another Unit's are answered alike (decide's 404), so neither is disclosed
  if (!project) throw problem.notFound('资源不存在或无权查看');
  ensure(decide(p, 'project.read', { tenantId: p.tenantId, unitId: project.unitId }));
  const evaluations = await evaluatedProjects(db, p.tenantId, { projectId });
  return { projectId, projectName: project.name, unitId: project.unitId, evaluations };
}

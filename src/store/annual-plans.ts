// P-1: each Unit files its next-year informatization plan with the Bureau before 30 November. A filing is recorded
// with its 备案 number and whether it was on time (src/domain/annual-plan.ts decides that).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from './canonical-json.ts';
import { recordFiling } from './filings.ts';
import type { AnnualPlanRow, Database } from './schema.ts';
import type { Conn } from './store.ts';

export interface AnnualPlan {
  id: string;
  tenantId: string;
  unitId: string;
  planYear: number;
  summary: string;
  content: unknown;
  filedAt: string;
  filedBy: string;
  onTime: boolean;
  daysLate: number;
  filingNumber: string;
}

function toPlan(r: AnnualPlanRow): AnnualPlan {
  return {
    ...r,
    planYear: Number(r.planYear),
    onTime: r.onTime === 1,
    daysLate: Number(r.daysLate),
    content: JSON.parse(r.content),
  };
}

export class DuplicatePlanError extends Error {
  constructor(
    readonly unitId: string,
    readonly planYear: number,
    readonly existing: AnnualPlan,
  ) {
    super(`unit ${unitId} has already filed its plan for ${planYear}`);
    this.name = 'DuplicatePlanError';
  }
}

export async function fileAnnualPlan(
  tx: Conn,
  p: {
    tenantId: string;
    unitId: string;
    planYear: number;
    summary: string;
    content: unknown;
    filedAt: string;
    filedBy: string;
    onTime: boolean;
    daysLate: number;
  },
): Promise<AnnualPlan> {
  const existing = await tx.db
    .selectFrom('annualPlans')
    .selectAll()
    .where('tenantId', '=', p.tenantId)
    .where('unitId', '=', p.unitId)
    .where('planYear', '=', p.planYear)
    .executeTakeFirst();
  if (existing) throw new DuplicatePlanError(p.unitId, p.planYear, toPlan(existing));
  const filing = await recordFiling(tx, {
    tenantId: p.tenantId,
    kind: 'annual-plan',
    unitId: p.unitId,
    filedBy: p.filedBy,
    filedAt: p.filedAt,
    payload: { planYear: p.planYear, onTime: p.onTime, daysLate: p.daysLate },
  });
  const row: AnnualPlanRow = {
    id: randomUUID(),
    tenantId: p.tenantId,
    unitId: p.unitId,
    planYear: p.planYear,
    summary: p.summary,
    content: canonicalJson(p.content ?? null),
    filedAt: p.filedAt,
    filedBy: p.filedBy,
    onTime: p.onTime ? 1 : 0,
    daysLate: p.daysLate,
    filingNumber: filing.number,
  };
  await tx.db.insertInto('annualPlans').values(row).execute();
  return toPlan(row);
}

export async function listAnnualPlans(
  db: Kysely<Database>,
  q: { tenantId: string; unitId?: string; planYear?: number },
): Promise<AnnualPlan[]> {
  let query = db.selectFrom('annualPlans').selectAll().where('tenantId', '=', q.tenantId);
  if (q.unitId) query = query.where('unitId', '=', q.unitId);
  if (q.planYear !== undefined) query = query.where('planYear', '=', q.planYear);
  return (await query.orderBy('planYear', 'desc').orderBy('unitId').execute()).map(toPlan);
}

export async function findAnnualPlan(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<AnnualPlan | undefined> {
  const r = await db
    .selectFrom('annualPlans')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toPlan(r) : undefined;
}

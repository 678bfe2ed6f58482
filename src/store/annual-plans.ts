// P-1: each Unit files its next-year informatization plan with the Bureau before 30 November. A filing is recorded
// with its 备案 number and whether it was on time (src/domain/annual-plan.ts decides that).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from './canonical-json.ts';
import { type Filing, listFilings, recordFiling } from './filings.ts';
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

/**
 * A supplement (补充备案) to a filed plan: what the Unit adds after its filing, numbered as a filing of its own and
 * kept beside the plan, never in place of it. P-1 sets only the filing deadline; a supplement after it is recorded
 * as such (`afterDeadline`).
 */
export interface PlanSupplement {
  id: string;
  planId: string;
  planYear: number;
  unitId: string;
  summary: string;
  content: unknown;
  filedAt: string;
  filedBy: string | null;
  filingNumber: string;
  afterDeadline: boolean;
}

interface SupplementPayload {
  planId: string;
  planYear: number;
  summary: string;
  content: unknown;
  afterDeadline: boolean;
}

export async function fileSupplement(
  tx: Conn,
  plan: AnnualPlan,
  s: { summary: string; content: unknown; filedAt: string; filedBy: string; afterDeadline: boolean },
): Promise<PlanSupplement> {
  const payload: SupplementPayload = {
    planId: plan.id,
    planYear: plan.planYear,
    summary: s.summary,
    content: s.content ?? null,
    afterDeadline: s.afterDeadline,
  };
  const filing = await recordFiling(tx, {
    tenantId: plan.tenantId,
    kind: 'annual-plan-supplement',
    unitId: plan.unitId,
    filedBy: s.filedBy,
    filedAt: s.filedAt,
    payload,
  });
  return toSupplement(filing, payload, plan.unitId);
}

/** A supplement as its filing records it. */
function toSupplement(f: Filing, payload: SupplementPayload, unitId: string): PlanSupplement {
  return { id: f.id, ...payload, unitId, filedAt: f.filedAt, filedBy: f.filedBy, filingNumber: f.number };
}

/** The supplements of a plan, in the order they were filed. */
export async function listSupplements(db: Kysely<Database>, plan: AnnualPlan): Promise<PlanSupplement[]> {
  const filings = await listFilings(db, {
    tenantId: plan.tenantId,
    unitId: plan.unitId,
    kind: 'annual-plan-supplement',
  });
  return filings.flatMap((f) => {
    const p = f.payload as SupplementPayload | null;
    return p?.planId === plan.id ? [toSupplement(f, p, plan.unitId)] : [];
  });
}

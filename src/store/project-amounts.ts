// IM-3, IM-4, SV-2: a project's amounts as the regulation's stages produce them, and the 项目库 row kept equal to
// the process after every change of service lines. Each figure is a row written where it was produced (the
// classification after every change of lines, the stage steps of the lifecycle that read the decided figures);
// a figure equal to the last one of its stage is not written again, so the history shows changes, not repeats.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Category } from '../domain/category.ts';
import type { ServiceLine } from '../domain/service-types.ts';
import type { Database } from './schema.ts';
import type { Conn } from './store.ts';

/** The stages that produce an amount, the process variable each is read from, and its name in the 项目库. */
export const AMOUNT_STAGES = {
  applied: { variable: 'totalInvestment', name: '申报金额（服务内容合计）' },
  'cost-review': { variable: 'reviewedAmount', name: '造价审定金额' },
  'finance-preliminary': { variable: 'preliminaryFundingAmount', name: '市财政局初步安排金额' },
  approved: { variable: 'approvedFundingAmount', name: '市政府批准金额' },
  contract: { variable: 'contractAmount', name: '合同金额' },
} as const;
export type AmountStage = keyof typeof AMOUNT_STAGES;

export interface AmountFigure {
  stage: AmountStage;
  name: string;
  amount: number;
  softwareDevCost: number | null;
  source: string;
  recordedAt: string;
}

const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Writes a stage's figure unless it equals the last one recorded for that stage. Returns whether it wrote. */
export async function recordAmount(
  tx: Conn,
  input: {
    tenantId: string;
    projectId: string;
    stage: AmountStage;
    amount: number;
    softwareDevCost?: number | null;
    source: string;
    at: string;
  },
): Promise<boolean> {
  const last = await tx.db
    .selectFrom('projectAmounts')
    .select(['amount', 'softwareDevCost'])
    .where('tenantId', '=', input.tenantId)
    .where('projectId', '=', input.projectId)
    .where('stage', '=', input.stage)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  const dev = input.softwareDevCost ?? null;
  if (
    last &&
    Number(last.amount) === input.amount &&
    (last.softwareDevCost === null ? null : Number(last.softwareDevCost)) === dev
  )
    return false;
  const { top } = await tx.db
    .selectFrom('projectAmounts')
    .select((eb) => eb.fn.max('seq').as('top'))
    .where('tenantId', '=', input.tenantId)
    .where('projectId', '=', input.projectId)
    .executeTakeFirstOrThrow();
  await tx.db
    .insertInto('projectAmounts')
    .values({
      id: randomUUID(),
      seq: Number(top ?? 0) + 1,
      tenantId: input.tenantId,
      projectId: input.projectId,
      stage: input.stage,
      amount: input.amount,
      softwareDevCost: dev,
      source: input.source,
      recordedAt: input.at,
    })
    .execute();
  return true;
}

/** Records every decided figure present in a process's variables (the applied amount comes from classification). */
export async function recordDecidedAmounts(
  tx: Conn,
  input: {
    tenantId: string;
    projectId: string;
    variables: Record<string, unknown>;
    source: string;
    at: string;
  },
): Promise<void> {
  // A process started outside the business API has no 项目库 row to keep figures for.
  const known = await tx.db
    .selectFrom('projects')
    .select('id')
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.projectId)
    .executeTakeFirst();
  if (!known) return;
  for (const [stage, spec] of Object.entries(AMOUNT_STAGES) as [
    AmountStage,
    (typeof AMOUNT_STAGES)[AmountStage],
  ][]) {
    if (stage === 'applied') continue;
    const value = input.variables[spec.variable];
    if (isAmount(value)) await recordAmount(tx, { ...input, stage, amount: value });
  }
}

/** The variables the stage steps read to record the decided figures. */
export const DECIDED_AMOUNT_VARIABLES: string[] = Object.entries(AMOUNT_STAGES)
  .filter(([stage]) => stage !== 'applied')
  .map(([, spec]) => spec.variable);

export async function amountHistory(
  db: Kysely<Database>,
  tenantId: string,
  projectId: string,
): Promise<AmountFigure[]> {
  const rows = await db
    .selectFrom('projectAmounts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('projectId', '=', projectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    stage: r.stage as AmountStage,
    name: AMOUNT_STAGES[r.stage as AmountStage]?.name ?? r.stage,
    amount: Number(r.amount),
    softwareDevCost: r.softwareDevCost === null ? null : Number(r.softwareDevCost),
    source: r.source,
    recordedAt: r.recordedAt,
  }));
}

/**
 * IM-3, IM-4: after a (re-)classification the 项目库 row holds the lines, totals and category the process holds.
 * A project not in the 项目库 (a process started outside the business API) is left alone.
 */
export async function setClassifiedContent(
  tx: Conn,
  input: {
    tenantId: string;
    id: string;
    serviceLines: ServiceLine[];
    totalInvestment: number;
    softwareDevCost: number;
    category: Category;
    at: string;
  },
): Promise<boolean> {
  const result = await tx.db
    .updateTable('projects')
    .set((eb) => ({
      serviceLines: JSON.stringify(input.serviceLines),
      totalInvestment: input.totalInvestment,
      softwareDevCost: input.softwareDevCost,
      category: input.category,
      updatedAt: input.at,
      version: eb(eb.ref('version'), '+', 1),
    }))
    .where('tenantId', '=', input.tenantId)
    .where('id', '=', input.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// 备案 (filings) of every kind, with numbers unique per tenant and year: `云政数备〔2026〕12号`. The number is taken
// in the same transaction as the filing, so a failed filing leaves no gap-filling race and no duplicate.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { ZONE } from '../domain/calendar.ts';
import { canonicalJson } from './canonical-json.ts';
import { nextValue } from './counters.ts';
import type { Database, FilingRow } from './schema.ts';
import type { Conn } from './store.ts';

/** The filing kinds of the process contract (`yunfu.record-filing`'s `filingKind`). */
export const FILING_KINDS = {
  'annual-plan': '年度信息化规划备案（P-1）',
  'annual-plan-supplement': '年度信息化规划补充备案（P-1）',
  change: '重大变更备案（IM-8）',
  delay: '延期交付备案（IM-8）',
  termination: '终止合同备案（IM-9）',
  'acceptance-report': '验收报告备案（AC-1）',
  'infrastructure-allocation': '基础设施服务分配备案（IM-6）',
  coordination: '重大问题协调备案（IM-7）',
} as const;
export type FilingKind = keyof typeof FILING_KINDS;

export interface Filing {
  id: string;
  tenantId: string;
  kind: FilingKind;
  year: number;
  seq: number;
  number: string;
  projectId: string | null;
  unitId: string | null;
  filedAt: string;
  filedBy: string | null;
  payload: unknown;
  /** The 备案回执 issued for it (a project document), when its kind has one. */
  documentId: string | null;
}

export function filingNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕${seq}号`;
}

export interface NewFiling {
  tenantId: string;
  kind: FilingKind;
  projectId?: string | null;
  unitId?: string | null;
  filedBy: string | null;
  payload: unknown;
  /** ISO instant; the number's year is this instant's year in Asia/Shanghai. */
  filedAt?: string;
}

/** Numbers and records a filing. Call inside a transaction together with what the filing is about. */
export async function recordFiling(tx: Conn, input: NewFiling): Promise<Filing> {
  const filedAt = input.filedAt ?? new Date().toISOString();
  const year = DateTime.fromISO(filedAt, { zone: ZONE }).year;
  const tenant = await tx.db
    .selectFrom('tenants')
    .select('filingPrefix')
    .where('id', '=', input.tenantId)
    .executeTakeFirstOrThrow();
  const seq = await nextValue(tx, input.tenantId, 'filing', year);
  const filing: Filing = {
    id: randomUUID(),
    tenantId: input.tenantId,
    kind: input.kind,
    year,
    seq,
    number: filingNumber(tenant.filingPrefix, year, seq),
    projectId: input.projectId ?? null,
    unitId: input.unitId ?? null,
    filedAt,
    filedBy: input.filedBy,
    payload: input.payload ?? null,
    documentId: null,
  };
  await tx.db
    .insertInto('filings')
    .values({ ...filing, payload: canonicalJson(filing.payload) })
    .execute();
  return filing;
}

/** Records the 备案回执 rendered for a filing (in the transaction that recorded the filing). */
export async function attachFilingDocument(tx: Conn, filingId: string, documentId: string): Promise<void> {
  await tx.db.updateTable('filings').set({ documentId }).where('id', '=', filingId).execute();
}

function toFiling(row: FilingRow): Filing {
  return { ...row, kind: row.kind as FilingKind, payload: JSON.parse(row.payload) };
}

export async function listFilings(
  db: Kysely<Database>,
  q: { tenantId: string; projectId?: string; unitId?: string; kind?: FilingKind; year?: number },
): Promise<Filing[]> {
  let query = db.selectFrom('filings').selectAll().where('tenantId', '=', q.tenantId);
  if (q.projectId) query = query.where('projectId', '=', q.projectId);
  if (q.unitId) query = query.where('unitId', '=', q.unitId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.year) query = query.where('year', '=', q.year);
  const rows = await query.orderBy('year', 'asc').orderBy('seq', 'asc').execute();
  return rows.map(toFiling);
}

// PRO-3: the numbered 立项审批意见. Its number (e.g. 云政数审〔2027〕3号) comes from the tenant's per-year sequence in
// the same transaction that records the opinion and its document: a rolled-back issue gives its number back, so the
// numbers of a tenant's year have no gaps and never repeat (unique per tenant).
import { randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { nextValue } from './counters.ts';
import type { Conn } from './store.ts';

export interface OpinionNumber {
  year: number;
  seq: number;
  number: string;
  /** The tenant's name (云浮市), for the issuing Bureau's name on the document. */
  tenantName: string;
}

/** The next opinion number of the tenant's year: the filing prefix with 审 (审批) for 备 (备案), 云政数备 → 云政数审. */
export async function nextOpinionNumber(tx: Conn, tenantId: string, year: number): Promise<OpinionNumber> {
  const tenant = await tx.db
    .selectFrom('tenants')
    .select(['filingPrefix', 'name'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!tenant) throw new Error(`tenant '${tenantId}' does not exist`);
  const seq = await nextValue(tx, tenantId, 'approval-opinion', year);
  return {
    year,
    seq,
    number: `${tenant.filingPrefix.replace(/备$/, '审')}〔${year}〕${seq}号`,
    tenantName: tenant.name,
  };
}

export interface ApprovalOpinionRecord {
  tenantId: string;
  projectId: string;
  issuedAt: string;
  number: OpinionNumber;
  payload: Record<string, unknown>;
  documentId: string;
}

export async function insertApprovalOpinion(tx: Conn, r: ApprovalOpinionRecord): Promise<void> {
  await tx.db
    .insertInto('approvalOpinions')
    .values({
      id: randomUUID(),
      tenantId: r.tenantId,
      projectId: r.projectId,
      year: r.number.year,
      seq: r.number.seq,
      number: r.number.number,
      issuedAt: r.issuedAt,
      payload: canonicalJson(r.payload),
      documentId: r.documentId,
    })
    .execute();
}

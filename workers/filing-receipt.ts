// PRO-3, IM-8, IM-9: when the Bureau (or, for a termination, Finance) registers a change, delay or termination filing,
// yunfu.record-filing issues its 备案回执 in the same store transaction that numbers the filing: the DOCX rendered from
// the template with the project's data and the filing's content, kept as the project's document (kind
// filing-receipt) that the Unit, Finance and Audit download, linked from the filing, and an audit entry. The receipt
// carries the filing's own number (云政数备〔year〕N号, the tenant's gap-free per-year sequence of filings).

import { bureauDisplayName } from '../src/domain/roles.ts';
import { appendAudit } from '../src/store/audit.ts';
import { attachFilingDocument, type Filing } from '../src/store/filings.ts';
import { findProject } from '../src/store/projects.ts';
import type { Conn } from '../src/store/store.ts';
import { findUnit } from '../src/store/units.ts';
import { DOCX, keepRendered } from './approval-opinion.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { receiptValue, renderFilingReceipt } from './filing-receipt-document.ts';

/** The filings that get a receipt, their names on it and what each states, in order. */
export const RECEIPT_ITEMS = {
  change: {
    name: '重大变更备案',
    items: [
      ['changeDescription', '变更内容'],
      ['changeReason', '变更理由'],
      ['changeFilingOpinion', '登记意见'],
    ],
  },
  delay: {
    name: '延期交付备案',
    items: [
      ['delayReason', '延期理由'],
      ['requestedDeliveryDate', '申请交付日期'],
      ['deliveryDate', '确定的交付日期'],
      ['delayFilingOpinion', '登记意见'],
    ],
  },
  termination: {
    name: '终止合同备案',
    items: [
      ['terminationReason', '终止理由'],
      ['bureauTerminationFilingOpinion', '市政务服务数据管理局登记意见'],
      ['financeTerminationFilingOpinion', '市财政局登记意见'],
    ],
  },
} as const;
export type ReceiptKind = keyof typeof RECEIPT_ITEMS;

export function hasReceipt(kind: string): kind is ReceiptKind {
  return Object.hasOwn(RECEIPT_ITEMS, kind);
}

/**
 * Renders and keeps the receipt of `filing` (just recorded in `tx`) and records it; returns the document's id, or
 * null when the filing names no project of the tenant (nothing to attach a receipt to).
 */
export async function issueFilingReceipt(
  tx: Conn,
  deps: StoreWorkerDeps,
  filing: Filing,
  input: { kind: ReceiptKind; filedWith: string | null; content: Record<string, unknown>; unitName: unknown },
): Promise<string | null> {
  if (!filing.projectId) return null;
  const project = await findProject(tx.db, filing.tenantId, filing.projectId);
  if (!project) return null;
  const tenant = await tx.db
    .selectFrom('tenants')
    .select('name')
    .where('id', '=', filing.tenantId)
    .executeTakeFirstOrThrow();
  const unit = await findUnit(tx.db, filing.tenantId, project.unitId);
  // SU-2, SU-4: the Bureau as the project's edition names it (云府办〔2024〕8号 renamed it 政务服务和数据管理局)
  const { rules } = deps.regulation;
  const bureauName = rules.ofProject(project).bureauName;
  const spec = RECEIPT_ITEMS[input.kind];
  // A termination is filed with both parties: each receipt states what was filed and its own party's opinion.
  const items = spec.items
    .filter(([field]) => !(input.filedWith === 'bureau' && field === 'financeTerminationFilingOpinion'))
    .filter(([field]) => !(input.filedWith === 'finance' && field === 'bureauTerminationFilingOpinion'))
    .filter(([field]) => field !== 'deliveryDate' || input.content[field] !== undefined)
    .map(([field, label]) => ({
      label: field === 'bureauTerminationFilingOpinion' ? `${bureauDisplayName(bureauName)}登记意见` : label,
      value: receiptValue(input.content[field]),
    }));
  const issuerName = input.filedWith === 'finance' ? `${tenant.name}财政局` : `${tenant.name}${bureauName}`;
  const unitName =
    typeof input.unitName === 'string' && input.unitName !== ''
      ? input.unitName
      : (unit?.name ?? project.unitId);
  const bytes = await renderFilingReceipt({
    number: filing.number,
    filingName: spec.name,
    issuerName,
    unitName,
    projectName: project.name,
    projectId: project.id,
    items,
    issuedAt: filing.filedAt,
  });
  const documentId = await keepRendered(tx, deps.documents, project, {
    name: `${spec.name}回执-${filing.number}.docx`,
    bytes,
    at: filing.filedAt,
    kind: 'filing-receipt',
    by: 'system:yunfu.record-filing',
  });
  await attachFilingDocument(tx, filing.id, documentId);
  await appendAudit(tx, {
    tenantId: filing.tenantId,
    accountId: null,
    role: null,
    action: 'filing.receipt-issued',
    entityType: 'filing',
    entityId: filing.id,
    projectId: project.id,
    payload: {
      number: filing.number,
      kind: input.kind,
      filedWith: input.filedWith,
      documentId,
      mediaType: DOCX,
      content: input.content,
    },
    at: filing.filedAt,
  });
  return documentId;
}

// yunfu.issue-approval-opinion — PRO-3: after the Bureau's person has decided the opinion (Task_BureauApprovalOpinion,
// combining Finance's), the numbered 立项审批意见 is issued: its number from the tenant's per-year sequence, the DOCX
// rendered from the template with the project's data and kept as the project's document (kind approval-opinion),
// the opinion recorded — number, document and record in one store transaction, once per job.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import { CATEGORY_NAMES, type RuleEdition, ZONE } from '../src/domain/index.ts';
import { insertApprovalOpinion, nextOpinionNumber } from '../src/store/approval-opinions.ts';
import { sha256Hex } from '../src/store/canonical-json.ts';
import { type DocumentKind, type DocumentStorage, insertDocument } from '../src/store/documents.ts';
import { recordDecidedAmounts } from '../src/store/project-amounts.ts';
import { findProject, type Project } from '../src/store/projects.ts';
import type { Conn } from '../src/store/store.ts';
import { renderApprovalOpinion } from './approval-opinion-document.ts';
import { appendDecision, editionOf } from './decision-audit.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { requireString } from './variables.ts';

const FIELDS = [
  'projectName',
  'unitName',
  'totalInvestment',
  'reviewedAmount',
  'financeOpinion',
  'preliminaryFundingAmount',
  'bureauOpinion',
  'costReviewReport',
  'expertReviewReport',
];

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const amount = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string => (typeof v === 'string' && v.trim() !== '' ? v.trim() : '—');

/** Writes the rendered file under the documents directory and records it as the project's document. */
export async function keepRendered(
  tx: Conn,
  documents: DocumentStorage,
  project: Project,
  file: { name: string; bytes: Buffer; at: string; kind?: DocumentKind; by?: string },
): Promise<string> {
  const id = randomUUID();
  await mkdir(join(documents.dir, '.incoming'), { recursive: true });
  const temp = join(documents.dir, '.incoming', id);
  await writeFile(temp, file.bytes);
  const storagePath = await documents.keep(temp, project.tenantId, id);
  await insertDocument(tx, {
    id,
    tenantId: project.tenantId,
    projectId: project.id,
    unitId: project.unitId,
    kind: file.kind ?? 'approval-opinion',
    fileName: file.name,
    mediaType: DOCX,
    size: file.bytes.length,
    sha256: sha256Hex(file.bytes),
    storagePath,
    uploadedBy: file.by ?? 'system:yunfu.issue-approval-opinion',
    uploadedAt: file.at,
  });
  return id;
}

/** The rule edition the project was initiated under (its `rules` variable), else the one in force now. */
function ruleEditionOf(deps: StoreWorkerDeps, vars: Record<string, unknown>): RuleEdition {
  const id = (vars.rules as { edition?: unknown } | undefined)?.edition;
  const { rules } = deps.regulation;
  return typeof id === 'string' ? rules.byId(id) : rules.editionAt(deps.now(), tenantOf(vars));
}

export function issueApprovalOpinionWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.issue-approval-opinion',
    fetchVariables: [...FIELDS, 'tenantId', 'projectId', 'category', 'rules'],
    handler: async (vars, job) => {
      const projectId = requireString(vars, 'projectId');
      const tenantId = tenantOf(vars);
      const project = await findProject(deps.store.db, tenantId, projectId);
      if (!project)
        return fail(`项目 ${projectId} 不在租户 ${tenantId} 的项目库中，无法出具立项审批意见（PRO-3）`, 0);
      const at = new Date(deps.now()).toISOString();
      const result = await once(deps.store, job, tenantId, at, async (tx) => {
        const number = await nextOpinionNumber(tx, tenantId, DateTime.fromISO(at, { zone: ZONE }).year);
        const category = (vars.category ?? project.category) as keyof typeof CATEGORY_NAMES;
        const bytes = await renderApprovalOpinion({
          number: number.number,
          // SU-2: the body as the project's edition names it (云府办〔2024〕8号 renamed it 政务服务和数据管理局)
          bureauName: `${number.tenantName}${ruleEditionOf(deps, vars).bureauName}`,
          unitName: text(vars.unitName),
          projectName: text(vars.projectName ?? project.name),
          projectId,
          categoryName: CATEGORY_NAMES[category] ?? '—',
          totalInvestment: amount(vars.totalInvestment),
          reviewedAmount: amount(vars.reviewedAmount),
          approvedAmount: amount(vars.preliminaryFundingAmount),
          financeOpinion: text(vars.financeOpinion),
          bureauOpinion: text(vars.bureauOpinion),
          issuedAt: at,
        });
        const documentId = await keepRendered(tx, deps.documents, project, {
          name: `立项审批意见-${number.number}.docx`,
          bytes,
          at,
        });
        const payload: Record<string, unknown> = {};
        for (const f of FIELDS) payload[f] = vars[f] ?? null;
        await insertApprovalOpinion(tx, { tenantId, projectId, issuedAt: at, number, payload, documentId });
        // SV-2: the cost reviewer's and Finance's figures the opinion rests on join the amounts' history.
        await recordDecidedAmounts(tx, { tenantId, projectId, variables: vars, source: job.type, at });
        const issued = {
          approvalOpinionNumber: number.number,
          approvalOpinionIssuedAt: at,
          approvalOpinionDocumentId: documentId,
        };
        // §4: the issuance is an automated decision: into the audit chain with the figures it rests on.
        await appendDecision(tx, job, {
          ...{ tenantId, projectId, at, kind: 'approval-issuance', ruleEdition: editionOf(vars.rules) },
          inputs: { ...payload, category },
          outputs: issued,
        });
        return issued;
      });
      return complete(result);
    },
  };
}

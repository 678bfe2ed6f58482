// IM-4, AC-3: a third party's result carries its report. The document a result names must be one of the project's 测评报告
// (kind assessment-report), uploaded by an account of the organisation that completes the task — a report the Unit
// uploaded, one of another project or another firm, or a made-up id is refused, naming the field. The form makes the
// field required; this checks what it points at.
import type { FieldIssue } from '../../domain/errors.ts';
import { findAccount } from '../../store/accounts.ts';
import { findDocument } from '../../store/documents.ts';
import type { Principal } from '../authz.ts';
import type { Variables } from '../process-gateway.ts';
import type { CommandContext } from './context.ts';

/** The form fields that name the report document of a third party's result. */
export const REPORT_DOCUMENT_FIELDS: readonly string[] = [
  'softwareTestReportDocumentId',
  'acceptanceTestReportDocumentId',
  'securityAssessmentReportDocumentId',
];

/** The issues of the report documents `submitted` names for `projectId`, as `p` completes the task. */
export async function reportDocumentIssues(
  ctx: CommandContext,
  p: Principal,
  projectId: string | null,
  submitted: Variables,
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  for (const field of REPORT_DOCUMENT_FIELDS) {
    const id = submitted[field];
    if (id === undefined) continue;
    const reason = await reportIssue(ctx, p, projectId, id);
    if (reason) issues.push({ field: `variables.${field}`, reason });
  }
  return issues;
}

async function reportIssue(
  ctx: CommandContext,
  p: Principal,
  projectId: string | null,
  id: unknown,
): Promise<string | null> {
  const doc = typeof id === 'string' && id ? await findDocument(ctx.store.db, p.tenantId, id) : undefined;
  if (!doc || doc.projectId !== projectId)
    return '不是本项目的材料：请先将报告上传至本项目，再填写其文档编号';
  if (doc.kind !== 'assessment-report') return '须为“测评报告”类材料';
  const uploader = doc.uploadedBy === p.accountId ? p : await findAccount(ctx.store.db, doc.uploadedBy);
  if (!p.organisationId || uploader?.organisationId !== p.organisationId)
    return '报告须由办理本任务的测评机构以本机构账号上传（IM-4）';
  return null;
}

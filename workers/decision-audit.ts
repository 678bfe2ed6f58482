// §4 of issue #11, SV-3 / SV-4: what the system decides by itself — a project's category, whether it needs 监理
// (IM-3) and third-party testing (IM-4), a computed deadline, the issuance of the 立项审批意见 (PRO-3), an
// acceptance gate (AC-1) — is appended to the tenant's tamper-evident audit chain like a person's action: with the
// inputs it was decided on, what was decided, the rule edition applied (SU-4) and the job that decided it. The
// entry is written in the same store transaction as the job's effect record (workers/effects.ts `once`), so a
// retried job appends nothing twice. Actions are `decision.<kind>`; the entry has no account (role `system`).
import type { JobContext } from '../src/camunda/worker-runtime.ts';
import { appendAudit } from '../src/store/audit.ts';
import type { Conn } from '../src/store/store.ts';

export const DECISION_KINDS = [
  'classification',
  'implementation-requirements',
  'deadline',
  'approval-issuance',
  'acceptance-gate',
  'campaign-opening',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface Decision {
  tenantId: string;
  /** The project decided about; without one (a plan campaign's deadline) the process instance is the entity. */
  projectId: string | null;
  kind: DecisionKind;
  /** The rule edition the decision applied (SU-4); null only where none was in force for the process. */
  ruleEdition: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  at: string;
}

/** The rule edition id carried in a process's `rules` variable, if any. */
export function editionOf(rules: unknown): string | null {
  const id = (rules as { edition?: unknown } | null | undefined)?.edition;
  return typeof id === 'string' ? id : null;
}

/** Appends one automated decision inside the caller's transaction. */
export async function appendDecision(tx: Conn, job: JobContext, d: Decision): Promise<void> {
  await appendAudit(tx, {
    tenantId: d.tenantId,
    accountId: null,
    role: 'system',
    action: `decision.${d.kind}`,
    entityType: d.projectId ? 'project' : 'process-instance',
    entityId: d.projectId ?? job.processInstanceKey,
    projectId: d.projectId,
    payload: {
      ruleEdition: d.ruleEdition,
      inputs: d.inputs,
      outputs: d.outputs,
      job: {
        type: job.type,
        jobKey: job.jobKey,
        elementId: job.elementId,
        processDefinitionId: job.processDefinitionId,
        processInstanceKey: job.processInstanceKey,
      },
    },
    at: d.at,
  });
}

// The business store's tables as kysely sees them (camelCase here, snake_case in the database through
// CamelCasePlugin). One schema for SQLite and PostgreSQL: timestamps are ISO 8601 UTC strings (they sort as text),
// booleans are 0/1 integers, JSON is text, amounts are integers of 元 (BIGINT on PostgreSQL).
import type { Insertable, Selectable } from 'kysely';

/** SU-3: the city and its counties, fully isolated from one another. */
export interface TenantTable {
  id: string;
  name: string;
  kind: 'city' | 'county';
  /** Prefix of project ids, e.g. `YF` → `YF-2026-0007`. */
  projectPrefix: string;
  /** Prefix of 备案 numbers, e.g. `云政数备` → `云政数备〔2026〕12号`. */
  filingPrefix: string;
  createdAt: string;
}

/** A 市直单位 with its 责任科室 (G-6). */
export interface UnitTable {
  tenantId: string;
  id: string;
  name: string;
  responsibleSection: string;
  createdAt: string;
}

export interface AccountTable {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  /** scrypt, see src/app/auth/passwords.ts. */
  passwordHash: string;
  /** JSON array of role ids (src/domain/roles.ts). */
  roles: string;
  unitId: string | null;
  disabled: number;
  createdAt: string;
  /** Where notifications are also e-mailed, if SMTP is configured. */
  email: string | null;
  /** A third party's account: its organisation (src/domain/third-parties.ts, IM-3, IM-4). */
  organisationId: string | null;
}

export interface SessionTable {
  /** SHA-256 of the opaque token; the token itself is never stored. */
  tokenHash: string;
  accountId: string;
  tenantId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ProjectTable {
  id: string;
  tenantId: string;
  unitId: string;
  name: string;
  description: string;
  planYear: number;
  /** The main funding source (the largest line), for readers of the single field. */
  fundingSource: string;
  /** G-3: JSON array of funding lines `{ source, amount }`. */
  fundingLines: string;
  classified: number;
  hasDataCatalogue: number;
  supportsIpv6: number;
  /** JSON array of service lines (G-4). */
  serviceLines: string;
  totalInvestment: number;
  softwareDevCost: number;
  category: string;
  /** SU-4: the rule edition in force when the project was created. */
  ruleEdition: string;
  stage: string;
  processInstanceKey: string | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectHistoryTable {
  id: string;
  tenantId: string;
  projectId: string;
  at: string;
  accountId: string | null;
  /** The project's version after this change: orders the history even within one millisecond. */
  version: number;
  action: string;
  stage: string;
  /** JSON: what changed. */
  changes: string;
}

/** P-1: a Unit's next-year informatization plan, filed with the Bureau. */
export interface AnnualPlanTable {
  id: string;
  tenantId: string;
  unitId: string;
  planYear: number;
  summary: string;
  /** JSON: the planned projects. */
  content: string;
  filedAt: string;
  filedBy: string;
  onTime: number;
  daysLate: number;
  filingNumber: string;
}

/** 备案 of every kind, numbered per tenant and year. */
export interface FilingTable {
  id: string;
  tenantId: string;
  kind: string;
  year: number;
  seq: number;
  number: string;
  projectId: string | null;
  unitId: string | null;
  filedAt: string;
  filedBy: string | null;
  /** JSON. */
  payload: string;
  /** The 备案回执 rendered for it (documents.id, kind filing-receipt); null for other kinds and before 0012. */
  documentId: string | null;
}

export interface DocumentTable {
  id: string;
  tenantId: string;
  projectId: string;
  unitId: string;
  kind: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  /** Relative to the documents directory. */
  storagePath: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface NotificationTable {
  id: string;
  tenantId: string;
  accountId: string;
  title: string;
  body: string;
  projectId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Issue 16: an e-mail of a notification waiting to be sent, or sent (src/store/mail-outbox.ts). */
export interface MailOutboxTable {
  id: string;
  tenantId: string;
  notificationId: string | null;
  recipient: string;
  subject: string;
  body: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** SV-3 / SV-4: the tamper-evident trail, one hash chain per tenant. */
export interface AuditLogTable {
  tenantId: string;
  seq: number;
  at: string;
  accountId: string | null;
  role: string | null;
  action: string;
  entityType: string;
  entityId: string;
  projectId: string | null;
  requestId: string | null;
  /** Canonical JSON of what the action was about. */
  payload: string;
  payloadSha256: string;
  prevHash: string;
  hash: string;
}

/** The head of each tenant's chain: serialises appends and lets verification notice a removed last entry. */
export interface AuditHeadTable {
  tenantId: string;
  seq: number;
  hash: string;
  updatedAt: string;
}

/** SV-4: where each tenant's chain became keyed (HMAC); see migration 0006. */
export interface AuditKeyingTable {
  tenantId: string;
  keyedFromSeq: number;
  /** The hash of entry keyedFromSeq - 1 (the genesis hash for a chain keyed from the start). */
  prefixHash: string;
  keyId: string;
  at: string;
  mac: string;
}

export interface CounterTable {
  tenantId: string;
  name: string;
  year: number;
  value: number;
}

export interface Database {
  tenants: TenantTable;
  units: UnitTable;
  accounts: AccountTable;
  sessions: SessionTable;
  projects: ProjectTable;
  projectHistory: ProjectHistoryTable;
  annualPlans: AnnualPlanTable;
  filings: FilingTable;
  documents: DocumentTable;
  notifications: NotificationTable;
  mailOutbox: MailOutboxTable;
  auditLog: AuditLogTable;
  auditHeads: AuditHeadTable;
  auditKeying: AuditKeyingTable;
  counters: CounterTable;
  jobEffects: JobEffectTable;
  approvalOpinions: ApprovalOpinionTable;
  dataResources: DataResourceTable;
  evaluations: EvaluationTable;
  submissionIntents: SubmissionIntentTable;
  completionIntents: CompletionIntentTable;
  projectAmounts: ProjectAmountTable;
  opsBatches: OpsBatchTable;
  opsBatchItems: OpsBatchItemTable;
}

/** IM-3, IM-4, SV-2: one figure of a project's amounts as a stage produced it (src/store/project-amounts.ts). */
export interface ProjectAmountTable {
  id: string;
  tenantId: string;
  projectId: string;
  seq: number;
  stage: string;
  amount: number;
  softwareDevCost: number | null;
  source: string;
  recordedAt: string;
}

/** The first result of a store-writing job, by job key (idempotency of workers). */
export interface JobEffectTable {
  jobKey: string;
  tenantId: string;
  jobType: string;
  /** JSON: the completion variables. */
  result: string;
  createdAt: string;
}

/** PRO-3: the numbered 立项审批意见. */
export interface ApprovalOpinionTable {
  id: string;
  tenantId: string;
  projectId: string;
  year: number;
  seq: number;
  number: string;
  issuedAt: string;
  /** JSON. */
  payload: string;
  /** The rendered document (documents.id, kind approval-opinion); null for opinions issued before 0009. */
  documentId: string | null;
}

/** AC-2: a project's data resources in the city's government data-resource catalogue. */
export interface DataResourceTable {
  id: string;
  tenantId: string;
  projectId: string;
  unitId: string | null;
  catalogueRef: string;
  registeredAt: string;
  /** JSON. */
  payload: string;
}

/** SV-1 / SV-2: the evaluation of a project's application effect and fund use. */
export interface EvaluationTable {
  id: string;
  tenantId: string;
  projectId: string;
  unitId: string | null;
  applicationEffectRating: string | null;
  performanceRating: string | null;
  fundUseCompliance: string | null;
  recordedAt: string;
  /** JSON. */
  payload: string;
}

export type Tenant = Selectable<TenantTable>;
export type Unit = Selectable<UnitTable>;
export type AccountRow = Selectable<AccountTable>;
export type ProjectRow = Selectable<ProjectTable>;
export type NewProjectRow = Insertable<ProjectTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type FilingRow = Selectable<FilingTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type AnnualPlanRow = Selectable<AnnualPlanTable>;

/**
 * A project's submission, recorded before the engine is asked to start its lifecycle (src/store/submission-intents.ts
 * says what each state means).
 */
export interface SubmissionIntentTable {
  id: string;
  tenantId: string;
  projectId: string;
  state: 'pending' | 'started' | 'refused' | 'uncertain' | 'compensated' | 'abandoned';
  accountId: string;
  role: string | null;
  requestId: string | null;
  processId: string;
  initiationRoute: string;
  /** JSON: the variables the instance is started with (they carry `submissionId` = `id`). */
  variables: string;
  processInstanceKey: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A task completion, recorded before the engine is asked to complete the task (src/store/submission-intents.ts). */
export interface CompletionIntentTable {
  id: string;
  tenantId: string;
  userTaskKey: string;
  projectId: string | null;
  state: 'pending' | 'completed' | 'refused' | 'uncertain' | 'abandoned';
  accountId: string;
  role: string | null;
  requestId: string | null;
  /** JSON: the variables the task is completed with. */
  variables: string;
  /** SHA-256 of the canonical JSON of `variables`. */
  variablesHash: string;
  /** JSON: what the audit entry says of the task (element, name, process, instance key, candidate groups). */
  task: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A batch operation of the operations view (src/store/ops-batches.ts). */
export interface OpsBatchTable {
  id: string;
  tenantId: string;
  operation: 'cancel' | 'retry';
  /** JSON: the list filter the batch was made from. */
  filter: string;
  reason: string;
  accountId: string;
  createdAt: string;
  updatedAt: string;
}

/** One instance of a batch: `pending` until the engine answered and its audit entry is written. */
export interface OpsBatchItemTable {
  batchId: string;
  processInstanceKey: string;
  state: 'pending' | 'done' | 'failed';
  detail: string | null;
  updatedAt: string;
}

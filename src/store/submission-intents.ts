// Submission intents: the store's record of "this project is being submitted", written in its own transaction before
// the engine is called and settled in a second one after it answered. States:
//   pending     recorded; the engine call has not answered yet (or the process died while it was running)
//   started     the engine started the lifecycle; the project is `submitted` with this instance key, audited
//   refused     the engine said no (4xx): certainly no instance; the project stayed a draft, nothing audited
//   uncertain   the engine did not answer (unreachable, 5xx, timeout): an instance may exist; the user was told no
//   compensated the store failed after the engine started an instance; that instance was cancelled
//   abandoned   a reconciler found no instance for a pending or uncertain intent and closed it
// The instance carries the intent's id as the process variable `submissionId`, so an instance search by that
// variable tells a reconciler whether the engine acted on an intent.
import type { Kysely } from 'kysely';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import type { CompletionIntentTable, Database, SubmissionIntentTable } from './schema.ts';
import type { Conn } from './store.ts';

export type SubmissionIntentState = SubmissionIntentTable['state'];

export interface SubmissionIntent {
  id: string;
  tenantId: string;
  projectId: string;
  state: SubmissionIntentState;
  accountId: string;
  role: string | null;
  requestId: string | null;
  processId: string;
  initiationRoute: string;
  variables: Record<string, unknown>;
  processInstanceKey: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Another submission of the same project is pending (the partial unique index refused a second one). */
export class SubmissionPendingError extends Error {
  constructor(readonly projectId: string) {
    super(`a submission of project ${projectId} is already pending`);
    this.name = 'SubmissionPendingError';
  }
}

function toIntent(row: SubmissionIntentTable): SubmissionIntent {
  return { ...row, variables: JSON.parse(row.variables) as Record<string, unknown> };
}

export async function hasPendingSubmission(tx: Conn, tenantId: string, projectId: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('submissionIntents')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('projectId', '=', projectId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordSubmissionIntent(
  tx: Conn,
  input: Omit<SubmissionIntent, 'state' | 'processInstanceKey' | 'error' | 'updatedAt'>,
): Promise<void> {
  if (await hasPendingSubmission(tx, input.tenantId, input.projectId)) {
    throw new SubmissionPendingError(input.projectId);
  }
  await tx.db
    .insertInto('submissionIntents')
    .values({
      ...input,
      variables: JSON.stringify(input.variables),
      state: 'pending',
      processInstanceKey: null,
      error: null,
      updatedAt: input.createdAt,
    })
    .execute();
}

/** Moves an intent out of `pending` (or `uncertain`), with the instance key or the error that settled it. */
export async function settleSubmissionIntent(
  tx: Conn,
  input: {
    id: string;
    state: Exclude<SubmissionIntentState, 'pending'>;
    at: string;
    processInstanceKey?: string | null;
    error?: string | null;
  },
): Promise<void> {
  await tx.db
    .updateTable('submissionIntents')
    .set({
      state: input.state,
      updatedAt: input.at,
      ...(input.processInstanceKey !== undefined ? { processInstanceKey: input.processInstanceKey } : {}),
      ...(input.error !== undefined ? { error: input.error } : {}),
    })
    .where('id', '=', input.id)
    .execute();
}

export async function findSubmissionIntent(
  db: Kysely<Database>,
  id: string,
): Promise<SubmissionIntent | undefined> {
  const row = await db.selectFrom('submissionIntents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toIntent(row) : undefined;
}

/** The intents a start-up reconciler must look at: `pending` and `uncertain` ones, oldest first. */
export async function unsettledSubmissionIntents(db: Kysely<Database>): Promise<SubmissionIntent[]> {
  const rows = await db
    .selectFrom('submissionIntents')
    .selectAll()
    .where('state', 'in', ['pending', 'uncertain'])
    .orderBy('createdAt')
    .execute();
  return rows.map(toIntent);
}

/** Every intent of a project, oldest first (tests and the operations view). */
export async function submissionIntentsOf(
  db: Kysely<Database>,
  tenantId: string,
  projectId: string,
): Promise<SubmissionIntent[]> {
  const rows = await db
    .selectFrom('submissionIntents')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('projectId', '=', projectId)
    .orderBy('createdAt')
    .execute();
  return rows.map(toIntent);
}

// Completion intents: the same pattern for a task completion (migration 0007). States:
//   pending     recorded; the engine call has not answered yet (or the process died around it)
//   completed   the engine completed the task and its audit entry is written
//   refused     the engine said no (4xx): the task was not completed by this request
//   uncertain   the engine did not answer: it may have completed the task; the user was told no
//   abandoned   a reconciler found the task still open (or completed by another, audited request) and closed it

export type CompletionIntentState = CompletionIntentTable['state'];

export interface CompletionIntent {
  id: string;
  tenantId: string;
  userTaskKey: string;
  projectId: string | null;
  state: CompletionIntentState;
  accountId: string;
  role: string | null;
  requestId: string | null;
  variables: Record<string, unknown>;
  variablesHash: string;
  /** What the audit entry says of the task. */
  task: Record<string, unknown>;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Another completion of the same task is pending. */
export class CompletionPendingError extends Error {
  constructor(readonly userTaskKey: string) {
    super(`a completion of task ${userTaskKey} is already pending`);
    this.name = 'CompletionPendingError';
  }
}

function toCompletion(row: CompletionIntentTable): CompletionIntent {
  return {
    ...row,
    variables: JSON.parse(row.variables) as Record<string, unknown>,
    task: JSON.parse(row.task) as Record<string, unknown>,
  };
}

export async function recordCompletionIntent(
  tx: Conn,
  input: Omit<CompletionIntent, 'state' | 'error' | 'updatedAt' | 'variablesHash'>,
): Promise<void> {
  const pending = await tx.db
    .selectFrom('completionIntents')
    .select('id')
    .where('userTaskKey', '=', input.userTaskKey)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (pending) throw new CompletionPendingError(input.userTaskKey);
  await tx.db
    .insertInto('completionIntents')
    .values({
      ...input,
      variables: JSON.stringify(input.variables),
      variablesHash: sha256Hex(canonicalJson(input.variables)),
      task: JSON.stringify(input.task),
      state: 'pending',
      error: null,
      updatedAt: input.createdAt,
    })
    .execute();
}

export async function settleCompletionIntent(
  tx: Conn,
  input: { id: string; state: Exclude<CompletionIntentState, 'pending'>; at: string; error?: string | null },
): Promise<void> {
  await tx.db
    .updateTable('completionIntents')
    .set({
      state: input.state,
      updatedAt: input.at,
      ...(input.error !== undefined ? { error: input.error } : {}),
    })
    .where('id', '=', input.id)
    .execute();
}

/** The completion intents a start-up reconciler must look at: `pending` and `uncertain` ones, oldest first. */
export async function unsettledCompletionIntents(db: Kysely<Database>): Promise<CompletionIntent[]> {
  const rows = await db
    .selectFrom('completionIntents')
    .selectAll()
    .where('state', 'in', ['pending', 'uncertain'])
    .orderBy('createdAt')
    .execute();
  return rows.map(toCompletion);
}

/** Every completion intent of a task, oldest first. */
export async function completionIntentsOf(
  db: Kysely<Database>,
  userTaskKey: string,
): Promise<CompletionIntent[]> {
  const rows = await db
    .selectFrom('completionIntents')
    .selectAll()
    .where('userTaskKey', '=', userTaskKey)
    .orderBy('createdAt')
    .execute();
  return rows.map(toCompletion);
}

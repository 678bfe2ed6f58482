// PRO-3: the numbered 立项审批意见 is a document the Unit, Finance and the auditors download: each opinion records the
// project document (kind approval-opinion) rendered for it, and the Bureau's own opinion that it combines with
// Finance's.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('approval_opinions').addColumn('document_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('approval_opinions').dropColumn('document_id').execute();
}

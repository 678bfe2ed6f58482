// PRO-3, IM-8, IM-9: a change, delay or termination filing the Bureau (or Finance) registers gets a numbered 备案回执,
// a DOCX kept as the project's document (kind filing-receipt); each filing records the document rendered for it.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('filings').addColumn('document_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('filings').dropColumn('document_id').execute();
}

// IM-3, IM-4: an account of a third-party organisation (监理 firm, testing organisation) carries the organisation's
// id from src/domain/third-parties.ts; its accounts hold the candidate group `org-<id>`.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('organisation_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('organisation_id').execute();
}

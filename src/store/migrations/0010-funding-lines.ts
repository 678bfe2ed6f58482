// G-3: a project records its funding as a list of sources with amounts (co-funding), no longer one source. Every
// existing project keeps its single source as a one-line list carrying its whole total investment, so old drafts
// stay readable and editable; `funding_source` stays as the main source for readers of the single field. The
// source `county-fiscal` (县级财政资金) left the vocabulary: such a line becomes `other` (其他).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('funding_lines', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  // Plain SQL, the same in SQLite and PostgreSQL (no rows read back, so no plugin renames their columns).
  await sql`UPDATE projects SET funding_source = 'other' WHERE funding_source = 'county-fiscal'`.execute(db);
  await sql`UPDATE projects SET funding_lines = '[{"source":"' || funding_source || '","amount":' || CAST(total_investment AS TEXT) || '}]'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('funding_lines').execute();
}

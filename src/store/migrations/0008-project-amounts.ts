// IM-3, IM-4, SV-2: the amounts of a project as the regulation's stages produce them — applied (from the service
// lines, again after every change of lines), 造价审定 (the cost reviewer's approved amount), Finance's preliminary
// amount, the approved amount and the contract amount. A row per figure as it was produced (seq: the order within
// the project, since a pinned clock gives equal times); never updated.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('project_amounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('software_dev_cost', 'bigint')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('project_amounts_project')
    .on('project_amounts')
    .columns(['tenant_id', 'project_id', 'seq'])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('project_amounts').execute();
}

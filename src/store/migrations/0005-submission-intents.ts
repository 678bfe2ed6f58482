// A submission is recorded as an intent before the engine is asked to start the project's lifecycle, so that no
// store transaction is held across the engine call and a crash in between leaves a row a start-up reconciler can
// find (design.md: record the intent, call idempotently, reconcile at start-up). At most one intent per project is
// `pending` at a time: that is the guard against two concurrent submissions.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('submission_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('request_id', 'text')
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('initiation_route', 'text', (c) => c.notNull())
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('process_instance_key', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('submission_intents_project')
    .on('submission_intents')
    .columns(['tenant_id', 'project_id'])
    .execute();
  await db.schema.createIndex('submission_intents_state').on('submission_intents').column('state').execute();
  // Both SQLite and PostgreSQL support partial unique indexes.
  await sql`CREATE UNIQUE INDEX submission_intents_one_pending ON submission_intents (tenant_id, project_id) WHERE state = 'pending'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('submission_intents').execute();
}

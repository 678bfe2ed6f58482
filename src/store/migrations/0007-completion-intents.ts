// A task completion is recorded as an intent before the engine is asked to complete the task, and settled in the
// transaction that writes its audit entry. A crash between the engine's completion and that transaction leaves a
// `pending` row the start-up reconciler finds: it writes the missing audit entry when the engine shows the task
// COMPLETED, and abandons the intent when the task is still open (the person can complete it again). At most one
// intent per task is `pending` at a time: the guard against two concurrent completions of one task.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('completion_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_task_key', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('request_id', 'text')
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('variables_hash', 'text', (c) => c.notNull())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('completion_intents_task')
    .on('completion_intents')
    .column('user_task_key')
    .execute();
  await db.schema.createIndex('completion_intents_state').on('completion_intents').column('state').execute();
  await sql`CREATE UNIQUE INDEX completion_intents_one_pending ON completion_intents (user_task_key) WHERE state = 'pending'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('completion_intents').execute();
}

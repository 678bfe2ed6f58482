// What the job workers record besides filings and notifications: the numbered 立项审批意见 (PRO-3), the data
// resources registered in the city catalogue (AC-2), the evaluation records (SV-1, SV-2) — and `job_effects`, which
// makes every store-writing job idempotent: a job that runs again (its lease expired, or its completion was lost)
// finds its first result there instead of writing a second filing.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_effects')
    .addColumn('job_key', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('job_type', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('approval_opinions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addUniqueConstraint('approval_opinions_number_unique', ['tenant_id', 'number'])
    .execute();

  await db.schema
    .createTable('data_resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('catalogue_ref', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_resources_project')
    .on('data_resources')
    .columns(['tenant_id', 'project_id'])
    .execute();

  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('application_effect_rating', 'text')
    .addColumn('performance_rating', 'text')
    .addColumn('fund_use_compliance', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evaluations_unit')
    .on('evaluations')
    .columns(['tenant_id', 'unit_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['evaluations', 'data_resources', 'approval_opinions', 'job_effects']) {
    await db.schema.dropTable(table).execute();
  }
}

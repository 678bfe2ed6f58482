// Batch operations of the operations view (cancel or retry every instance of a filter): the batch and each of its
// instances are recorded before the engine is asked anything, and each instance is settled (done / failed) with its
// audit entry in one transaction after the engine answered. A crash mid-batch leaves `pending` items that the
// batch shows and that a resume acts on again — each step checks the instance first, so acting again is harmless.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ops_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ops_batches_tenant')
    .on('ops_batches')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('ops_batch_items')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('ops_batches.id'))
    .addColumn('process_instance_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ops_batch_items_pk', ['batch_id', 'process_instance_key'])
    .execute();
  await db.schema
    .createIndex('ops_batch_items_state')
    .on('ops_batch_items')
    .columns(['batch_id', 'state'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ops_batch_items').execute();
  await db.schema.dropTable('ops_batches').execute();
}

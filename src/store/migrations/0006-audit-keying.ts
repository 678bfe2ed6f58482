// SV-4: the "keyed from seq N" marker of each tenant's audit chain. Entries before N were chained with plain SHA-256
// (before the trail had a key); from N on every entry is HMAC-SHA256 under the key in AUDIT_KEY_DIR. The marker is
// itself keyed (mac), so it cannot be moved to hand keyed entries back to plain SHA-256.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_keying')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('keyed_from_seq', 'bigint', (c) => c.notNull())
    .addColumn('prefix_hash', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_keying').execute();
}

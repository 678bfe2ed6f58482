// Tenants (SU-3) and their Units (市直单位) with the responsible section (责任科室, G-6).
import type { Kysely } from 'kysely';
import type { Database, Tenant, Unit } from './schema.ts';
import type { Conn } from './store.ts';

export async function listTenants(db: Kysely<Database>): Promise<Tenant[]> {
  return db.selectFrom('tenants').selectAll().orderBy('id').execute();
}

export async function findTenant(db: Kysely<Database>, id: string): Promise<Tenant | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUnits(db: Kysely<Database>, tenantId: string): Promise<Unit[]> {
  return db.selectFrom('units').selectAll().where('tenantId', '=', tenantId).orderBy('id').execute();
}

export async function findUnit(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Unit | undefined> {
  return db
    .selectFrom('units')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function upsertUnit(
  tx: Conn,
  u: { tenantId: string; id: string; name: string; responsibleSection: string },
): Promise<void> {
  await tx.db
    .insertInto('units')
    .values({ ...u, createdAt: new Date().toISOString() })
    .onConflict((oc) =>
      oc.columns(['tenantId', 'id']).doUpdateSet({ name: u.name, responsibleSection: u.responsibleSection }),
    )
    .execute();
}

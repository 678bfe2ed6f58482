// SU-3: the city and its five counties (县、市、区) as tenants. Reference data that every installation has;
// Units and accounts are not seeded here (production loads its own, `seedDemo` loads demo ones).
import type { Kysely } from 'kysely';

export const TENANTS = [
  { id: 'yunfu', name: '云浮市', kind: 'city', projectPrefix: 'YF', filingPrefix: '云政数备' },
  { id: 'yuncheng', name: '云城区', kind: 'county', projectPrefix: 'YC', filingPrefix: '云城政数备' },
  // 云安区 and 郁南县 are both "Yunan" in pinyin; the ids keep them apart.
  { id: 'yunan', name: '云安区', kind: 'county', projectPrefix: 'YA', filingPrefix: '云安政数备' },
  { id: 'xinxing', name: '新兴县', kind: 'county', projectPrefix: 'XX', filingPrefix: '新兴政数备' },
  { id: 'yunanxian', name: '郁南县', kind: 'county', projectPrefix: 'YN', filingPrefix: '郁南政数备' },
  { id: 'luoding', name: '罗定市', kind: 'county', projectPrefix: 'LD', filingPrefix: '罗定政数备' },
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  const createdAt = new Date().toISOString();
  await db
    .insertInto('tenants')
    .values(
      TENANTS.map((t) => ({
        id: t.id,
        name: t.name,
        kind: t.kind,
        project_prefix: t.projectPrefix,
        filing_prefix: t.filingPrefix,
        created_at: createdAt,
      })),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('tenants')
    .where(
      'id',
      'in',
      TENANTS.map((t) => t.id),
    )
    .execute();
}

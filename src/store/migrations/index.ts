// Versioned migrations as a static list (no directory scanning: the same code runs from tsx, tests and bundles).
// Add a file `NNNN-what.ts` with up/down and list it here; never edit one that has shipped.
import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-tenants.ts';
import * as m0003 from './0003-worker-records.ts';
import * as m0004 from './0004-account-email.ts';
import * as m0005 from './0005-submission-intents.ts';
import * as m0006 from './0006-audit-keying.ts';
import * as m0007 from './0007-completion-intents.ts';
import * as m0008 from './0008-project-amounts.ts';
import * as m0009 from './0009-approval-opinion-documents.ts';
import * as m0010 from './0010-funding-lines.ts';
import * as m0011 from './0011-ops-batches.ts';
import * as m0012 from './0012-filing-receipts.ts';
import * as m0013 from './0013-account-organisation.ts';
import * as m0014 from './0014-mail-outbox.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-tenants': m0002,
  '0003-worker-records': m0003,
  '0004-account-email': m0004,
  '0005-submission-intents': m0005,
  '0006-audit-keying': m0006,
  '0007-completion-intents': m0007,
  '0008-project-amounts': m0008,
  '0009-approval-opinion-documents': m0009,
  '0010-funding-lines': m0010,
  '0011-ops-batches': m0011,
  '0012-filing-receipts': m0012,
  '0013-account-organisation': m0013,
  '0014-mail-outbox': m0014,
};

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      `store migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationError';
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

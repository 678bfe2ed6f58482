// Store-writing jobs are idempotent: a job that runs again — its lease expired while the handler was busy, or the
// engine never received its completion — gets the result of its first run instead of writing a second filing or a
// second notification. The effect and its record are one transaction.
import type { JobContext } from '../src/camunda/worker-runtime.ts';
import type { Conn, Store } from '../src/store/store.ts';

export type Result = Record<string, unknown>;

export async function once(
  store: Store,
  job: JobContext,
  tenantId: string,
  at: string,
  effect: (tx: Conn) => Promise<Result>,
): Promise<Result> {
  return store.transaction(async (tx) => {
    const prior = await tx.db
      .selectFrom('jobEffects')
      .select('result')
      .where('jobKey', '=', job.jobKey)
      .executeTakeFirst();
    if (prior) return JSON.parse(prior.result) as Result;
    const result = await effect(tx);
    await tx.db
      .insertInto('jobEffects')
      .values({
        jobKey: job.jobKey,
        tenantId,
        jobType: job.type,
        result: JSON.stringify(result),
        createdAt: at,
      })
      .execute();
    return result;
  });
}

/** The tenant of a job: `tenantId` of the process (SU-3), the city by default. */
export function tenantOf(vars: Record<string, unknown>): string {
  return typeof vars.tenantId === 'string' && vars.tenantId !== '' ? vars.tenantId : 'yunfu';
}

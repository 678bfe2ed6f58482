// yunfu.open-annual-plan-campaigns — P-1, SU-2, SU-3: the annual plan campaign opens on the day the edition in force
// for the tenant says (`campaignOpens`, MM-dd, Asia/Shanghai), not on a date fixed in the model. A timer start
// event's expression is evaluated when the model is deployed, without any instance's variables, so it cannot read a
// tenant's edition; instead annual-plan-filing's daily timer (09:00 Shanghai) runs this job, which starts the next
// year's campaign (the process's none start event, with tenantId and planYear) for each tenant whose edition opens
// it today — a county with its own edition on its own date. A check that could not run on the day (the system was
// down: Zeebe fires a missed cron once, when it is back) opens it on the next check within the week after, never
// after the plan deadline.
// Each tenant's campaign of a plan year is started once: the claim `annual-plan-filing:<tenant>:<year>` in
// job_effects holds the instance, written here or by yunfu.list-units of a campaign started by hand, and a retried
// or later check finds it (a claim without an instance, left by a crash between the claim and the start, is started
// again).
import { DateTime } from 'luxon';
import type { JobContext, WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import { type RuleEdition, ZONE } from '../src/domain/index.ts';
import type { Conn } from '../src/store/store.ts';
import { listTenants, listUnits } from '../src/store/units.ts';
import { appendDecision } from './decision-audit.ts';
import type { StoreWorkerDeps } from './deps.ts';

const CAMPAIGN = 'annual-plan-filing';

type StartProcess = NonNullable<StoreWorkerDeps['startProcess']>;

interface Opened {
  tenantId: string;
  planYear: number;
  processInstanceKey: string;
  alreadyOpen: boolean;
}

/** The claim of a tenant's campaign of a plan year in job_effects. */
export function campaignClaim(tenantId: string, planYear: number): string {
  return `${CAMPAIGN}:${tenantId}:${planYear}`;
}

/** yunfu.list-units: a campaign started by hand claims its tenant and year, so the daily check opens no second. */
export async function claimCampaign(
  tx: Conn,
  job: JobContext,
  c: { tenantId: string; planYear: number; at: string },
): Promise<void> {
  await tx.db
    .insertInto('jobEffects')
    .values({
      jobKey: campaignClaim(c.tenantId, c.planYear),
      tenantId: c.tenantId,
      jobType: job.type,
      result: JSON.stringify({ processInstanceKey: job.processInstanceKey, claimedBy: job.jobKey }),
      createdAt: c.at,
    })
    .onConflict((oc) => oc.column('jobKey').doNothing())
    .execute();
}

/** How long after its opening day a campaign the checks missed (the system was down) still opens. */
const CATCH_UP_DAYS = 7;

/**
 * The plan year whose campaign the edition opens on `today` for the tenant: on its `campaignOpens` (Asia/Shanghai),
 * or within the week after it when the check of that day was missed, never after the plan deadline; else null.
 */
export function campaignYearOpen(edition: RuleEdition, today: DateTime): number | null {
  // an edition opens its campaign before its deadline in the same year (checked at start-up)
  const day = today.setZone(ZONE).startOf('day');
  const opens = DateTime.fromFormat(`${day.year}-${edition.campaignOpens}`, 'yyyy-MM-dd', { zone: ZONE });
  const open =
    day >= opens &&
    day < opens.plus({ days: CATCH_UP_DAYS }) &&
    day.toFormat('MM-dd') <= edition.annualPlanDeadline;
  return open ? day.year + 1 : null;
}

/** The campaign of (tenant, year) once: the key of the instance started now or before. */
async function openOnce(
  deps: StoreWorkerDeps,
  startProcess: StartProcess,
  job: JobContext,
  c: { tenantId: string; planYear: number; edition: RuleEdition; at: string },
): Promise<Opened> {
  const claim = campaignClaim(c.tenantId, c.planYear);
  const { tenantId, planYear, at } = c;
  const prior = await deps.store.transaction(async (tx) => {
    const row = await tx.db
      .selectFrom('jobEffects')
      .select('result')
      .where('jobKey', '=', claim)
      .executeTakeFirst();
    if (row) return JSON.parse(row.result) as { processInstanceKey: string | null };
    await tx.db
      .insertInto('jobEffects')
      .values({
        jobKey: claim,
        tenantId,
        jobType: job.type,
        result: JSON.stringify({ processInstanceKey: null, claimedBy: job.jobKey }),
        createdAt: at,
      })
      .execute();
    return null;
  });
  if (prior?.processInstanceKey)
    return { tenantId, planYear, processInstanceKey: prior.processInstanceKey, alreadyOpen: true };
  const { processInstanceKey } = await startProcess(CAMPAIGN, { tenantId, planYear }, tenantId);
  await deps.store.transaction(async (tx) => {
    await tx.db
      .updateTable('jobEffects')
      .set({ result: JSON.stringify({ processInstanceKey, claimedBy: job.jobKey }) })
      .where('jobKey', '=', claim)
      .execute();
    // §4: the opening is a decision the system took by itself, with the edition and the day it was taken on.
    await appendDecision(tx, job, {
      ...{ tenantId, projectId: null, at, kind: 'campaign-opening', ruleEdition: c.edition.id },
      inputs: {
        campaignOpens: c.edition.campaignOpens,
        today: DateTime.fromISO(at, { zone: ZONE }).toISODate(),
      },
      outputs: { planYear, processInstanceKey },
    });
  });
  return { tenantId, planYear, processInstanceKey, alreadyOpen: false };
}

export function openAnnualPlanCampaignsWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.open-annual-plan-campaigns',
    fetchVariables: [],
    handler: async (_vars, job) => {
      const startProcess = deps.startProcess;
      if (!startProcess) return fail('工作者未配置启动流程的客户端（startProcess），无法启动年度规划备案', 0);
      const now = deps.now();
      const today = DateTime.fromMillis(now, { zone: ZONE });
      const at = new Date(now).toISOString();
      const opened: Opened[] = [];
      for (const tenant of await listTenants(deps.store.db)) {
        let edition: RuleEdition;
        try {
          edition = deps.regulation.rules.editionAt(now, tenant.id);
        } catch {
          continue; // no edition in force for this tenant today: nothing opens under no rules
        }
        const planYear = campaignYearOpen(edition, today);
        if (planYear === null) continue;
        // a tenant without Units has nobody to ask (yunfu.list-units would refuse the campaign)
        if ((await listUnits(deps.store.db, tenant.id)).length === 0) continue;
        opened.push(await openOnce(deps, startProcess, job, { tenantId: tenant.id, planYear, edition, at }));
      }
      return complete({ openedCampaigns: opened });
    },
  };
}

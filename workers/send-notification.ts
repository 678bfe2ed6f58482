// yunfu.send-notification — tells the people who must act (in-app notifications, one per account of each recipient
// group). Headers: `template` (workers/notification-templates.ts), `recipients` (docs/process-contract.md).

import type { Kysely } from 'kysely';
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete } from '../src/camunda/worker-runtime.ts';
import { bureauDisplayName, ROLES } from '../src/domain/roles.ts';
import { emailsOfGroups } from '../src/store/accounts.ts';
import { notify } from '../src/store/notifications.ts';
import type { Database } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { render, TEMPLATES, templateVariables } from './notification-templates.ts';
import { requireHeader, VariableError } from './variables.ts';

/** Resolves the `recipients` header to candidate groups. */
export function recipientGroups(header: string, vars: Record<string, unknown>): string[] {
  const groups = new Set<string>();
  const unitGroup = (name: string) => {
    const unitId = vars.unitId;
    if (typeof unitId !== 'string' || unitId === '') {
      throw new VariableError('unitId', `recipients '${name}' needs the Unit of the project or request`);
    }
    return `unit-${unitId}`;
  };
  for (const part of header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (part === 'unit') groups.add(unitGroup(part));
    else if (part === 'owner')
      groups.add(typeof vars.ownerGroup === 'string' ? vars.ownerGroup : unitGroup(part));
    else if (part === 'requesting-units') {
      const needs = Array.isArray(vars.unitNeeds)
        ? (vars.unitNeeds as Array<{ unitId?: unknown; hasNeed?: unknown }>)
        : [];
      for (const n of needs)
        if (n.hasNeed === true && typeof n.unitId === 'string') groups.add(`unit-${n.unitId}`);
      if (typeof vars.unitId === 'string' && vars.unitId !== '') groups.add(`unit-${vars.unitId}`);
    } else if (Object.hasOwn(ROLES, part) || part.startsWith('unit-')) groups.add(part);
    else
      throw new Error(
        `task header 'recipients' names '${part}', which is neither a group nor unit/owner/requesting-units`,
      );
  }
  return [...groups];
}

export function sendNotificationWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.send-notification',
    fetchVariables: [
      ...new Set([
        ...templateVariables().filter((v) => v !== 'bureauName'),
        ...['tenantId', 'unitId', 'ownerGroup', 'unitNeeds', 'projectId', 'rules'],
      ]),
    ],
    handler: async (vars, job) => {
      const name = requireHeader(job.customHeaders, 'template', Object.keys(TEMPLATES));
      const groups = recipientGroups(requireHeader(job.customHeaders, 'recipients'), vars);
      const text = render(TEMPLATES[name]!, { ...vars, bureauName: bureauNameOf(deps, vars) });
      const tenantId = tenantOf(vars);
      const at = new Date(deps.now()).toISOString();
      const mailer = deps.mailer ?? null;
      const done = await once(deps.store, job, tenantId, at, async (tx) => {
        const count = await notify(tx, {
          tenantId,
          groups,
          title: text.title,
          body: text.body,
          projectId: typeof vars.projectId === 'string' ? vars.projectId : null,
          at,
        });
        job.logger.info({ template: name, groups, recipients: count }, 'notified');
        const mailTo = mailer ? await emailsOfGroups(tx.db as Kysely<Database>, tenantId, groups) : [];
        return { mailTo, mailed: mailTo.length === 0 };
      });
      // The e-mail goes out after the in-app notification is committed. If the SMTP server refuses, the job fails
      // and is retried: the retry finds the in-app notification done and sends only the e-mail.
      if (mailer && done.mailed === false) {
        await mailer.send(done.mailTo as string[], text.title, text.body);
        await markMailed(deps.store, job.jobKey, done);
      }
      return complete({});
    },
  };
}

async function markMailed(store: Store, jobKey: string, done: Record<string, unknown>): Promise<void> {
  await store.db
    .updateTable('jobEffects')
    .set({ result: JSON.stringify({ ...done, mailed: true }) })
    .where('jobKey', '=', jobKey)
    .execute();
}

/**
 * SU-2, SU-4: the Bureau as the notices name it — under the project's edition (its `rules`: the name it carries, or
 * its edition's when the rules predate the field), else under the edition in force today for the tenant (a
 * campaign, a collection of needs: no project).
 */
function bureauNameOf(deps: StoreWorkerDeps, vars: Record<string, unknown>): string {
  const rules = vars.rules as { edition?: unknown; bureauName?: unknown } | null | undefined;
  if (typeof rules?.bureauName === 'string') return bureauDisplayName(rules.bureauName);
  const kept = deps.regulation.rules.find(rules?.edition);
  const edition = kept ?? deps.regulation.rules.editionAt(deps.now(), tenantOf(vars));
  return bureauDisplayName(edition.bureauName);
}

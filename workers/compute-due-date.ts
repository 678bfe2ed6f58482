// yunfu.compute-due-date — a working-day deadline (Asia/Shanghai, official holidays and make-up days) from now, in
// the working days of the project's rule edition (`rules`, SU-4) or, without one, of the edition in force today.
// Headers: `deadline` (a name in config/deadlines.json), `resultVariable`. Writes the due date as an ISO date-time
// with +08:00, which BPMN timers and user-task due dates read, and `<resultVariable>Provisional` when the period
// runs into a year whose holiday schedule is not published yet. With a store, the computed deadline is an automated
// decision and goes into the audit chain with its inputs and rule edition (workers/decision-audit.ts), once per job.
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete } from '../src/camunda/worker-runtime.ts';
import type { RulesVariable } from '../src/domain/index.ts';
import type { Store } from '../src/store/store.ts';
import { appendDecision, editionOf } from './decision-audit.ts';
import type { WorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { optionalString, requireHeader } from './variables.ts';

export function computeDueDateWorker(deps: WorkerDeps & { store?: Store }): WorkerDefinition {
  const { rules, calendar } = deps.regulation;
  return {
    type: 'yunfu.compute-due-date',
    fetchVariables: ['rules', 'tenantId', 'projectId'],
    handler: async (vars, job) => {
      const deadline = requireHeader(job.customHeaders, 'deadline', Object.keys(rules.deadlines));
      const resultVariable = requireHeader(job.customHeaders, 'resultVariable');
      if (!/^[a-z][A-Za-z0-9]*$/.test(resultVariable)) {
        throw new Error(`task header 'resultVariable'='${resultVariable}' is not a camelCase variable name`);
      }
      const now = deps.now();
      const edition = isRules(vars.rules) ? vars.rules : rules.editionAt(now, tenantOf(vars));
      const workingDays = rules.workingDays(edition, deadline);
      const due = calendar.addWorkingDays(now, workingDays);
      const result = { [resultVariable]: due.iso, [`${resultVariable}Provisional`]: due.provisional };
      if (!deps.store) return complete(result);
      const tenantId = tenantOf(vars);
      const at = new Date(now).toISOString();
      return complete(
        await once(deps.store, job, tenantId, at, async (tx) => {
          await appendDecision(tx, job, {
            ...{ tenantId, projectId: optionalString(vars, 'projectId'), at, kind: 'deadline' },
            ruleEdition: 'id' in edition ? edition.id : editionOf(edition),
            inputs: { deadline, from: at, workingDays },
            outputs: result,
          });
          return result;
        }),
      );
    },
  };
}

function isRules(v: unknown): v is RulesVariable {
  return typeof v === 'object' && v !== null && typeof (v as RulesVariable).deadlines === 'object';
}

// yunfu.classify-project — G-4..G-6: the category and the owner of every step, from the service lines; SU-4: the rule
// edition in force on the day the project was initiated, kept for the project's whole life (a re-classification
// after a correction keeps the edition it already has). IM-3 / IM-4: the totals are derived from the lines, never
// taken as typed, and 监理 and third-party testing are decided from them — again after every change of lines (the
// correction, revision and consolidation loops all pass through this task). With a store, the 项目库 row gets the
// new lines, totals and category, and the applied amount its history row (SV-2).
import type { JobContext, WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import {
  CATEGORY_NAMES,
  type Category,
  classifyProject,
  DomainValidationError,
  type ImplementationRequirements,
  implementationRequirements,
  projectAmounts,
  type RuleEdition,
  type ServiceLine,
} from '../src/domain/index.ts';
import { recordAmount, setClassifiedContent } from '../src/store/project-amounts.ts';
import type { Conn, Store } from '../src/store/store.ts';
import { appendDecision } from './decision-audit.ts';
import type { WorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { optionalString, VariableError } from './variables.ts';

type Deps = WorkerDeps & { store?: Store };

/** The 项目库 follows the process (IM-3, IM-4, SV-2); once per job, so a retried job writes nothing twice. */
async function recordInStore(
  store: Store,
  job: JobContext,
  vars: Record<string, unknown>,
  content: {
    serviceLines: ServiceLine[];
    totalInvestment: number;
    softwareDevCost: number;
    category: Category;
  },
  decided: { edition: RuleEdition; ownerGroup: string; required: ImplementationRequirements },
  at: string,
): Promise<void> {
  const projectId = optionalString(vars, 'projectId');
  if (!projectId) return;
  const tenantId = tenantOf(vars);
  await once(store, job, tenantId, at, async (tx) => {
    if (!(await setClassifiedContent(tx, { tenantId, id: projectId, ...content, at }))) return {};
    await auditDecisions(tx, job, { tenantId, projectId, at, content, decided });
    await recordAmount(tx, {
      tenantId,
      projectId,
      stage: 'applied',
      amount: content.totalInvestment,
      softwareDevCost: content.softwareDevCost,
      source: `${job.type}:${job.elementId}`,
      at,
    });
    return {};
  });
}

/** §4: the classification and the 监理/testing requirements go into the audit chain with their inputs. */
async function auditDecisions(
  tx: Conn,
  job: JobContext,
  d: {
    tenantId: string;
    projectId: string;
    at: string;
    content: {
      serviceLines: ServiceLine[];
      totalInvestment: number;
      softwareDevCost: number;
      category: Category;
    };
    decided: { edition: RuleEdition; ownerGroup: string; required: ImplementationRequirements };
  },
): Promise<void> {
  const { tenantId, projectId, at, content, decided } = d;
  const ruleEdition = decided.edition.id;
  await appendDecision(tx, job, {
    ...{ tenantId, projectId, at, ruleEdition, kind: 'classification' },
    inputs: { serviceLines: content.serviceLines },
    outputs: { category: content.category, ownerGroup: decided.ownerGroup },
  });
  await appendDecision(tx, job, {
    ...{ tenantId, projectId, at, ruleEdition, kind: 'implementation-requirements' },
    inputs: {
      totalInvestment: content.totalInvestment,
      softwareDevCost: content.softwareDevCost,
      supervisionThreshold: decided.edition.supervisionThreshold,
      testingThreshold: decided.edition.testingThreshold,
    },
    outputs: { ...decided.required },
  });
}

export function classifyProjectWorker(deps: Deps): WorkerDefinition {
  return {
    type: 'yunfu.classify-project',
    fetchVariables: ['serviceLines', 'unitId', 'initiatedAt', 'rules', 'category', 'tenantId', 'projectId'],
    handler: async (vars, job) => {
      // A public project belongs to the Bureau and may have no single Unit; a professional one needs its Unit.
      const unitId = optionalString(vars, 'unitId');
      let classification: ReturnType<typeof classifyProject>;
      try {
        classification = classifyProject(vars.serviceLines, unitId ?? '');
        if (classification.category === 'professional' && !unitId) {
          throw new VariableError('unitId', 'a professional project needs the id of its Unit (G-6)');
        }
      } catch (e) {
        if (e instanceof DomainValidationError) {
          // The Unit must change the application; retrying cannot help.
          return fail(`项目分类失败：${e.issues.map((i) => `${i.field}: ${i.reason}`).join('；')}`, 0);
        }
        throw e;
      }
      // A re-classification inside a category's initiation (header keepCategory) cannot move the project to the
      // other category's process: the changed lines must stay in the category the process is for (G-5, G-6).
      const before = vars.category;
      if (job.customHeaders.keepCategory === 'true' && before !== classification.category) {
        const was = CATEGORY_NAMES[before as Category] ?? String(before);
        return fail(
          `修改后的服务内容属于${CATEGORY_NAMES[classification.category]}，与本立项流程的${was}不符（G-5、G-6）`,
          0,
        );
      }
      const { rules } = deps.regulation;
      const kept = vars.rules as { edition?: unknown } | undefined;
      const initiatedAt = optionalString(vars, 'initiatedAt') ?? new Date(deps.now()).toISOString();
      const edition =
        typeof kept?.edition === 'string'
          ? rules.byId(kept.edition)
          : rules.editionAt(Date.parse(initiatedAt), tenantOf(vars));
      const lines = vars.serviceLines as ServiceLine[];
      const amounts = projectAmounts(lines);
      const required = implementationRequirements(amounts, edition);
      if (deps.store) {
        const at = new Date(deps.now()).toISOString();
        await recordInStore(
          deps.store,
          job,
          vars,
          { serviceLines: lines, ...amounts, category: classification.category },
          { edition, ownerGroup: classification.ownerGroup, required },
          at,
        );
      }
      return complete({
        category: classification.category,
        ownerGroup: classification.ownerGroup,
        rules: rules.rulesVariable(edition),
        initiatedAt,
        // IM-3, IM-4: always the sum of the lines; a typed total has no say.
        totalInvestment: amounts.totalInvestment,
        softwareDevCost: amounts.softwareDevCost,
        requiresSupervision: required.requiresSupervision,
        requiresThirdPartyTesting: required.requiresThirdPartyTesting,
      });
    },
  };
}

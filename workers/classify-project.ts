// yunfu.classify-project — G-4..G-6: the category and the owner of every step, from the service lines; SU-4: the rule
// edition in force on the day the project was initiated, kept for the project's whole life (a re-classification
// after a correction keeps the edition it already has).
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import {
  classifyProject,
  DomainValidationError,
  projectAmounts,
  type ServiceLine,
} from '../src/domain/index.ts';
import type { WorkerDeps } from './deps.ts';
import { optionalString, VariableError } from './variables.ts';

export function classifyProjectWorker(deps: WorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.classify-project',
    fetchVariables: ['serviceLines', 'unitId', 'initiatedAt', 'rules', 'totalInvestment', 'softwareDevCost'],
    handler: (vars) => {
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
      const { rules } = deps.regulation;
      const kept = vars.rules as { edition?: unknown } | undefined;
      const initiatedAt = optionalString(vars, 'initiatedAt') ?? new Date(deps.now()).toISOString();
      const edition =
        typeof kept?.edition === 'string'
          ? rules.byId(kept.edition)
          : rules.editionAt(Date.parse(initiatedAt));
      const amounts = projectAmounts(vars.serviceLines as ServiceLine[]);
      return complete({
        category: classification.category,
        ownerGroup: classification.ownerGroup,
        rules: rules.rulesVariable(edition),
        initiatedAt,
        totalInvestment:
          typeof vars.totalInvestment === 'number' ? vars.totalInvestment : amounts.totalInvestment,
        softwareDevCost:
          typeof vars.softwareDevCost === 'number' ? vars.softwareDevCost : amounts.softwareDevCost,
      });
    },
  };
}

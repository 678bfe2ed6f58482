// IM-3: total investment ≥ 1,000,000 元 (以上，含) → 监理 is mandatory.
// IM-4: application software development cost ≥ 500,000 元 (以上，含) → third-party testing of the application software.
// The thresholds come from the rule edition in force at initiation (SU-2, SU-4). The same rule is the DMN table
// processes/implementation-requirements.dmn that the implementation process evaluates; a test keeps them equal.
import { amountsIssues } from './application.ts';
import { throwIfIssues } from './errors.ts';
import type { RuleEdition, RulesVariable } from './rule-editions.ts';

export interface ImplementationRequirements {
  requiresSupervision: boolean;
  requiresThirdPartyTesting: boolean;
}

export function implementationRequirements(
  amounts: { totalInvestment: unknown; softwareDevCost: unknown },
  edition: Pick<RuleEdition | RulesVariable, 'supervisionThreshold' | 'testingThreshold'>,
): ImplementationRequirements {
  throwIfIssues(amountsIssues(amounts));
  return {
    requiresSupervision: (amounts.totalInvestment as number) >= edition.supervisionThreshold,
    requiresThirdPartyTesting: (amounts.softwareDevCost as number) >= edition.testingThreshold,
  };
}

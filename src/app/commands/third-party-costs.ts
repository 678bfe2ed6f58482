// IM-3, AC-3, IM-4 (issue 11): what an engagement costs is checked against the project's lines, where the Unit enters
// it — the rule itself is src/domain/third-party-costs.ts.
import type { FieldIssue } from '../../domain/errors.ts';
import { thirdPartyFeeIssue } from '../../domain/third-party-costs.ts';
import type { Variables } from '../process-gateway.ts';

/** The fee fields of the forms where the Unit engages a third party, and the lines each must lie within. */
const FEE_FIELDS = [
  // supervisor-engagement: the 监理 contract (IM-3)
  { field: 'supervisionFee', subType: 'supervision' },
  // implementation-progress on completion: the software test (IM-4), acceptance test and security assessment (AC-3)
  { field: 'assessmentFee', subType: 'assessment' },
] as const;

/**
 * IM-3, AC-3: the fees the engagement names must lie within the project's lines of that service as the task sees
 * them (`serviceLines`), the cost the total investment holds for it.
 */
export function thirdPartyCostIssues(submitted: Variables, seen: Variables): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { field, subType } of FEE_FIELDS) {
    if (submitted[field] === undefined) continue;
    const issue = thirdPartyFeeIssue(subType, submitted[field], seen.serviceLines, `variables.${field}`);
    if (issue) issues.push(issue);
  }
  return issues;
}

// IM-3 (issue 11): what an engagement costs is checked against the project's lines, where the Unit enters it — the
// rule itself is src/domain/third-party-costs.ts.
import type { FieldIssue } from '../../domain/errors.ts';
import { supervisionFeeIssue } from '../../domain/third-party-costs.ts';
import type { Variables } from '../process-gateway.ts';

/**
 * IM-3: the 监理 fee the engagement names (supervisor-engagement's `supervisionFee`) must lie within the project's
 * 监理 line(s) as the task sees them (`serviceLines`), the cost the total investment holds for it.
 */
export function thirdPartyCostIssues(submitted: Variables, seen: Variables): FieldIssue[] {
  if (submitted.supervisionFee === undefined) return [];
  const issue = supervisionFeeIssue(submitted.supervisionFee, seen.serviceLines, 'variables.supervisionFee');
  return issue ? [issue] : [];
}

// A rule refused some input. Each issue names the field (a JSON path into the input) and the reason in
// Chinese, so the API can answer with a problem detail and a worker can fail a job with an actionable message.
export interface FieldIssue {
  field: string;
  reason: string;
}

export class DomainValidationError extends Error {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'DomainValidationError';
    this.issues = issues;
  }
}

/** Throws when any issue was collected; returns otherwise. */
export function throwIfIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new DomainValidationError(issues);
}

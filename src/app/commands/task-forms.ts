// What the task commands and queries read from a Camunda Form: its fields as form-js reads them (src/app/forms), so
// a completion is checked against exactly what the page can submit and a Unit cannot overwrite a variable the form
// does not have (`ownerGroup`, `tenantId`).
export { formFields, formIssues, formVariableNames } from '../forms/submission.ts';

/** Process variables every task item shows: which project or request it is about, and whose tenant. */
export const CONTEXT_VARIABLES = ['tenantId', 'projectId', 'projectName', 'unitId', 'unitName'];

// Reading job variables: each reader returns the typed value or throws an Error whose message names the variable
// and the reason, which the runtime turns into a job failure (an incident an administrator can read).
import type { JobVariables } from '../src/camunda/worker-runtime.ts';
import { amountIssue } from '../src/domain/amounts.ts';

export class VariableError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`variable '${variable}': ${reason}`);
    this.name = 'VariableError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}

export function requireString(vars: JobVariables, name: string): string {
  const v = vars[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new VariableError(name, `expected a non-empty string, got ${describe(v)}`);
  return v;
}

export function optionalString(vars: JobVariables, name: string): string | null {
  const v = vars[name];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new VariableError(name, `expected a string, got ${describe(v)}`);
  return v;
}

export function requireBoolean(vars: JobVariables, name: string): boolean {
  const v = vars[name];
  if (typeof v !== 'boolean') throw new VariableError(name, `expected true or false, got ${describe(v)}`);
  return v;
}

export function requireInteger(vars: JobVariables, name: string): number {
  const v = vars[name];
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new VariableError(name, `expected an integer, got ${describe(v)}`);
  return v;
}

/** An amount of 元: an integer ≥ 0 (see src/domain/amounts.ts). */
export function requireAmount(vars: JobVariables, name: string): number {
  const issue = amountIssue(vars[name], name);
  if (issue) throw new VariableError(name, `${issue.reason} (got ${describe(vars[name])})`);
  return vars[name] as number;
}

export function requireList(vars: JobVariables, name: string): unknown[] {
  const v = vars[name];
  if (!Array.isArray(v)) throw new VariableError(name, `expected a list, got ${describe(v)}`);
  return v;
}

/** A date-time with an offset, as FEEL and Camunda Forms write it; returns epoch milliseconds. */
export function requireDateTime(vars: JobVariables, name: string): number {
  const v = vars[name];
  if (
    typeof v !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)
  ) {
    throw new VariableError(name, `expected an ISO 8601 date-time with offset, got ${describe(v)}`);
  }
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new VariableError(name, `not a valid date-time: ${v}`);
  return ms;
}

/** A task header the model must set (zeebe:taskHeaders). */
export function requireHeader(
  headers: Record<string, string>,
  name: string,
  allowed?: readonly string[],
): string {
  const v = headers[name];
  if (!v) throw new Error(`task header '${name}' is missing on this service task`);
  if (allowed && !allowed.includes(v))
    throw new Error(`task header '${name}'='${v}' is not one of ${allowed.join(', ')}`);
  return v;
}

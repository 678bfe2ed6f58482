// Request checks that collect every violation, worded as Camunda's gateway words them
// ("No type provided", "The value for timeout is '0' but must be greater than 0").
import { invalidArgument } from './problem.ts';

export type Body = Record<string, unknown>;

export class Violations {
  readonly list: string[] = [];

  add(message: string): void {
    this.list.push(message);
  }

  /** Throws a 400 problem if anything was found. */
  check(): void {
    if (this.list.length > 0) throw invalidArgument(this.list);
  }

  requiredString(body: Body, field: string, label = field): string | undefined {
    const v = body[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      this.add(`No ${label} provided`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add(`The value for ${label} is '${show(v)}' but must be a string`);
      return undefined;
    }
    return v;
  }

  optionalString(body: Body, field: string): string | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.add(`The value for ${field} is '${show(v)}' but must be a string`);
      return undefined;
    }
    return v;
  }

  integer(
    body: Body,
    field: string,
    opts: { required?: boolean; min?: number; minText?: string; label?: string } = {},
  ): number | undefined {
    const label = opts.label ?? field;
    let v = body[field];
    // int64 fields arrive as numbers or as decimal strings (the official client sends big integers as strings)
    if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) v = Number(v);
    if (v === undefined || v === null) {
      if (opts.required) this.add(`No ${label} provided`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.add(`The value for ${label} is '${show(v)}' but must be an integer`);
      return undefined;
    }
    if (opts.min !== undefined && v < opts.min) {
      this.add(`The value for ${label} is '${v}' but must be ${opts.minText ?? `at least ${opts.min}`}`);
      return undefined;
    }
    return v;
  }

  boolean(body: Body, field: string): boolean | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.add(`The value for ${field} is '${show(v)}' but must be a boolean`);
      return undefined;
    }
    return v;
  }

  /** A JSON object of variables (null and absent mean none). */
  variables(body: Body, field = 'variables'): Record<string, unknown> | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.add(`The value for ${field} is '${show(v)}' but must be a JSON object`);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  stringArray(body: Body, field: string): string[] | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.add(`The value for ${field} is '${show(v)}' but must be a list of strings`);
      return undefined;
    }
    return v as string[];
  }

  /** Fields the embedded engine does not implement: refused rather than silently ignored. */
  unsupported(body: Body, fields: string[]): void {
    for (const f of fields) {
      const v = body[f];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      this.add(`The embedded engine does not support ${f}; remove it or use Camunda 8`);
    }
  }

  /** Multi-tenancy is disabled: only Camunda's default tenant is accepted. */
  tenant(body: Body, field = 'tenantId'): void {
    const v = body[field];
    if (v === undefined || v === null || v === '<default>') return;
    this.add(
      `Expected to handle request with tenant identifier '${show(v)}', but multi-tenancy is disabled (only '<default>')`,
    );
  }
}

export function show(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The request body as an object (absent body = empty object); anything else is a 400. */
export function bodyOf(raw: unknown, optional = true): Body {
  if (raw === undefined || raw === null || raw === '') {
    if (optional) return {};
    throw invalidArgument(['Required request body is missing']);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidArgument([`Expected the request body to be a JSON object, but got '${show(raw)}'`]);
  }
  return raw as Body;
}

/** A path key: a decimal integer, as Camunda's keys are (Java long). */
export function pathKey(value: string, field: string): string {
  if (!/^\d{1,19}$/.test(value) || BigInt(value) > 9223372036854775807n) {
    throw invalidArgument([`The provided ${field} '${value}' is not a valid key. Expected a numeric value`]);
  }
  return value;
}

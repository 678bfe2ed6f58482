// A person filling a task form: the form opens with the task's variables (as the page imports them into form-js);
// every field still empty gets a realistic value of its type; the decisions are the test's (`choices`). Walks the
// form as form-js reads it: keys (dotted keys nest), group paths, dynamic lists as arrays of objects.
import { PROFESSIONAL_LINES } from '../support/projects.ts';

type Component = Record<string, unknown>;
type Data = Record<string, unknown>;

const empty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const clone = <T>(v: T): T => structuredClone(v);

function objectAt(scope: Data, path: string[]): Data {
  let here = scope;
  for (const p of path) {
    if (typeof here[p] !== 'object' || here[p] === null || Array.isArray(here[p])) here[p] = {};
    here = here[p] as Data;
  }
  return here;
}

function firstOption(c: Component, variables: Data): unknown {
  const options = Array.isArray(c.values)
    ? c.values
    : typeof c.valuesKey === 'string' && Array.isArray(variables[c.valuesKey])
      ? (variables[c.valuesKey] as unknown[])
      : [];
  const o = options[0] as { value?: unknown } | undefined;
  return o && typeof o === 'object' && 'value' in o ? o.value : (o ?? null);
}

/** Text within the field's limits; a 统一社会信用代码 looks like one. */
function textFor(c: Component, label: string): string {
  if (typeof c.key === 'string' && /CreditCode$/.test(c.key)) return '91445300MA4W3X2K7B';
  const { minLength = 0, maxLength = Number.POSITIVE_INFINITY } = (c.validate ?? {}) as {
    minLength?: number;
    maxLength?: number;
  };
  return `${label}：表单测试填写`.padEnd(minLength, '。').slice(0, maxLength);
}

/** A realistic value for an empty field of this type (undefined: leave it to form-js). */
function valueFor(c: Component, variables: Data): unknown {
  const label = typeof c.label === 'string' ? c.label : String(c.key);
  const v = (c.validate ?? {}) as { min?: number; max?: number };
  switch (c.type) {
    case 'textfield':
    case 'textarea':
      return textFor(c, label);
    case 'number': {
      // a fee a third party charges (IM-3, AC-3) lies within the fixture's 监理 and 测评 lines; other amounts are large
      let n = typeof c.key === 'string' && /Fee$/.test(c.key) ? 10_000 : 1_060_000;
      if (typeof v.max === 'number') n = Math.min(n, v.max);
      if (typeof v.min === 'number') n = Math.max(n, v.min);
      return n;
    }
    case 'checkbox':
      return true;
    case 'checklist':
    case 'taglist':
      return [firstOption(c, variables)];
    case 'radio':
    case 'select':
      return firstOption(c, variables);
    case 'datetime':
      return c.subtype === 'time'
        ? '10:00'
        : c.subtype === 'datetime'
          ? '2027-06-30T18:00+08:00'
          : '2027-01-15';
    default:
      return undefined;
  }
}

function fillScope(components: Component[], scope: Data, variables: Data): void {
  for (const c of components) {
    const children = Array.isArray(c.components) ? (c.components as Component[]) : null;
    if (typeof c.key === 'string' && !children) {
      const path = c.key.split('.');
      const parent = objectAt(scope, path.slice(0, -1));
      const name = path[path.length - 1]!;
      if (empty(parent[name])) {
        const value = valueFor(c, variables);
        if (value !== undefined) parent[name] = value;
      }
    } else if (children && (c.type === 'group' || c.type === 'dynamiclist')) {
      const path = typeof c.path === 'string' && c.path ? c.path.split('.') : [];
      if (c.type === 'dynamiclist' && c.isRepeating === true && path.length > 0) {
        const parent = objectAt(scope, path.slice(0, -1));
        const name = path[path.length - 1]!;
        if (!Array.isArray(parent[name]) || (parent[name] as unknown[]).length === 0)
          parent[name] = name === 'serviceLines' ? clone(PROFESSIONAL_LINES) : [{}];
        for (const item of parent[name] as Data[]) fillScope(children, item, variables);
      } else {
        fillScope(children, objectAt(scope, path), variables);
      }
    }
  }
}

/** The data the form holds once the person has filled it: the task's variables, then every empty field, then `choices`. */
export function fill(schema: Data, variables: Data, choices: Data = {}): Data {
  const data = clone(variables);
  fillScope((schema.components ?? []) as Component[], data, variables);
  return { ...data, ...choices };
}

// Camunda Forms as the task commands read them: the fields a form has, which are required (with the simple FEEL
// conditions that hide them), which values are allowed — so that a completion is validated against its form and a
// Unit cannot overwrite a variable the form does not have (`ownerGroup`, `tenantId`).
import type { FieldIssue } from '../../domain/index.ts';
import type { TaskForm, Variables } from '../process-gateway.ts';

/** Process variables every task item shows: which project or request it is about, and whose tenant. */
export const CONTEXT_VARIABLES = ['tenantId', 'projectId', 'projectName', 'unitId', 'unitName'];

interface FormField {
  key: string;
  label: string;
  type: string;
  required: boolean;
  /** Allowed values of a radio, select or checklist, with their JSON types (`true`, not `"true"`). */
  values: unknown[] | null;
  /** `conditional.hide` of the field or an enclosing group. */
  hide: string[];
}

type Component = Record<string, unknown>;

const INPUT_TYPES = new Set([
  'textfield',
  'textarea',
  'number',
  'datetime',
  'checkbox',
  'checklist',
  'radio',
  'select',
  'taglist',
  'expression',
  'filepicker',
]);

export function formFields(schema: Record<string, unknown>): FormField[] {
  const fields: FormField[] = [];
  const walk = (components: unknown, hide: string[]) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Component[]) {
      const conditional = (c.conditional as { hide?: unknown } | undefined)?.hide;
      const hides = typeof conditional === 'string' ? [...hide, conditional] : hide;
      if (typeof c.key === 'string' && INPUT_TYPES.has(String(c.type))) {
        const values = Array.isArray(c.values)
          ? (c.values as Array<{ value?: unknown }>).map((v) => v.value)
          : null;
        fields.push({
          key: c.key,
          label: typeof c.label === 'string' ? c.label : c.key,
          type: String(c.type),
          required: (c.validate as { required?: unknown } | undefined)?.required === true,
          values,
          hide: hides,
        });
      }
      // Groups nest their fields; dynamic lists repeat theirs under one key (validated as a whole by the engine).
      if (c.type === 'group' || c.type === 'iframe') walk(c.components, hides);
    }
  };
  walk(schema.components, []);
  return fields;
}

/**
 * Evaluates the simple FEEL conditions the forms use to hide fields (`=x != "a"`, `=x = true`, joined by `and`/
 * `or`). Anything else is "unknown": the field is then not required here, and the engine's gateways decide.
 */
export function hidden(expression: string, data: Variables): boolean | null {
  const body = expression.trim().replace(/^=/, '').trim();
  const evalOne = (part: string): boolean | null => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(!=|=)\s*(".*"|true|false|null|-?\d+(?:\.\d+)?)$/.exec(
      part.trim(),
    );
    if (!m) return null;
    const actual = data[m[1]!] ?? null;
    const expected: unknown = JSON.parse(m[3]!);
    const equal = actual === expected;
    return m[2] === '=' ? equal : !equal;
  };
  for (const op of [' or ', ' and '] as const) {
    if (body.includes(op)) {
      const parts = body.split(op).map(evalOne);
      if (parts.some((x) => x === null)) return null;
      return op === ' or ' ? parts.some(Boolean) : parts.every(Boolean);
    }
  }
  return evalOne(body);
}

/** What is wrong with `submitted` for this form, field by field (zh-CN). */
export function formIssues(
  form: TaskForm | null,
  submitted: Variables,
  context: Variables,
): { issues: FieldIssue[]; required: string[] } {
  const fields = form ? formFields(form.schema) : [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(submitted)) {
    if (!byKey.has(key)) issues.push({ field: `variables.${key}`, reason: '表单中没有此字段，不能提交' });
  }
  const data = { ...context, ...submitted };
  const required: string[] = [];
  for (const f of fields) {
    const isHidden = f.hide.map((h) => hidden(h, data));
    if (isHidden.some((h) => h === true)) continue;
    const value = submitted[f.key];
    const empty =
      value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (f.required && !isHidden.includes(null)) {
      required.push(f.key);
      if (empty) {
        issues.push({ field: `variables.${f.key}`, reason: `必填（${f.label}）` });
        continue;
      }
    }
    if (empty) continue;
    if (f.values && (f.type === 'radio' || f.type === 'select')) {
      if (!f.values.some((v) => v === value))
        issues.push({
          field: `variables.${f.key}`,
          reason: `必须是以下之一：${f.values.map((v) => JSON.stringify(v)).join('、')}`,
        });
    }
    if (f.type === 'number' && typeof value !== 'number') {
      issues.push({ field: `variables.${f.key}`, reason: '必须是数字' });
    }
    if (f.type === 'checkbox' && typeof value !== 'boolean') {
      issues.push({ field: `variables.${f.key}`, reason: '必须是布尔值（true/false）' });
    }
  }
  return { issues, required };
}

/** The variable names a form reads or writes: its field keys and the names in its texts and expressions. */
export function formVariableNames(schema: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const text = JSON.stringify(schema.components ?? []);
  for (const f of formFields(schema)) names.add(f.key);
  for (const m of text.matchAll(/"key":"([A-Za-z_][A-Za-z0-9_]*)"/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  for (const m of text.matchAll(/":"=([^"\\]*(?:\\.[^"\\]*)*)"/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  return names;
}

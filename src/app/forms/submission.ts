// The server's check of a task completion against the task's Camunda form: the data must be what form-js 1.x's
// Form.submit() can produce for that form — every value at a field's path (keys, group and dynamic-list paths,
// repetitions), of the field's type, one of its options, within its limits, required ones present unless the
// field is hidden by its `conditional.hide` (evaluated with feelin in form-js's expression context) — and nothing
// the form does not define. form-js's behaviour mirrored here: Form._getSubmitData (only rendered keyed fields,
// not disabled ones), ConditionChecker.applyConditions (hidden fields and their containers are not submitted;
// `this`/`parent`/`i` in repetitions), Validator.validateFieldInstance (required, min/max, lengths, pattern) —
// node_modules/@bpmn-io/form-js-viewer/dist/index.es.js.
import { evaluate, unaryTest } from 'feelin';
import { type FieldIssue, isIsoDate, isIsoDateTime, serviceLineIssues } from '../../domain/index.ts';
import { supervisionLineIssue } from '../../domain/third-party-costs.ts';
import type { TaskForm, Variables } from '../process-gateway.ts';
import {
  type Component,
  childrenOf,
  containerPath,
  isContainer,
  isKeyed,
  isRepeating,
  keyPath,
  type Shape,
  submissionShape,
} from './schema.ts';

export { type FormField, formFields, formVariableNames } from './schema.ts';

type Path = Array<string | number>;

const showPath = (path: Path) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
const fieldName = (path: Path) => `variables.${showPath(path)}`;

function get(data: unknown, path: Path): unknown {
  let here = data;
  for (const p of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[p];
  }
  return here;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// --- FEEL as form-js evaluates it (feelin, without Camunda's extra built-ins) ------------------------------------

/** form-js's buildExpressionContext: the data, plus `this`, `parent`, `i` and their `_x_` aliases. */
function expressionContext(data: Variables, self: unknown, parent: unknown, i: number[]): Variables {
  const special = { this: self, parent, i };
  return { ...special, ...data, _this_: self, _parent_: parent, _i_: i };
}

function feel(expression: unknown, context: Variables): unknown {
  if (typeof expression !== 'string' || !expression.startsWith('=')) return null;
  try {
    return evaluate(expression.slice(1), context).value;
  } catch {
    return null;
  }
}

/** ConditionChecker._checkHideCondition: a unary test that hides only when it is exactly `true`. */
function hiddenBy(c: Component, context: Variables): boolean {
  const hide = (c.conditional as { hide?: unknown } | undefined)?.hide;
  if (typeof hide !== 'string' || !hide.startsWith('=')) return false;
  try {
    return unaryTest(hide.slice(1), context).value === true;
  } catch {
    return false;
  }
}

/** The allowed values of a radio, select, checklist or taglist: static, from the data, or from FEEL. */
function optionsOf(c: Component, context: Variables): unknown[] | null {
  let raw: unknown = null;
  if (Array.isArray(c.values)) raw = c.values;
  else if (typeof c.valuesKey === 'string') raw = get(context, c.valuesKey.split('.'));
  else if (typeof c.valuesExpression === 'string') raw = feel(c.valuesExpression, context);
  if (!Array.isArray(raw)) return null;
  return raw.map((o) => (isObject(o) && 'value' in o ? o.value : o));
}

// --- one field's value ----------------------------------------------------------------------------------------

const TIME = /^([01]\d|2[0-3]):[0-5]\d(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Validator.validateFieldInstance's "required": unset, empty text, an unchecked checkbox, an empty multiselect. */
function isEmpty(type: string, value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (type === 'checkbox' && value === false) ||
    (Array.isArray(value) && value.length === 0)
  );
}

function oneOf(options: unknown[]): string {
  return `必须是以下之一：${options.map((v) => JSON.stringify(v)).join('、')}`;
}

function numberIssue(c: Component, value: unknown): string | null {
  const n = c.serializeToString === true && typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return '必须是数字';
  const v = (c.validate ?? {}) as { min?: unknown; max?: unknown };
  if (typeof v.min === 'number' && n < v.min) return `不能小于 ${v.min}`;
  if (typeof v.max === 'number' && n > v.max) return `不能大于 ${v.max}`;
  if (typeof c.decimalDigits === 'number') {
    const digits = (String(n).split('.')[1] ?? '').length;
    if (digits > c.decimalDigits)
      return c.decimalDigits === 0 ? '必须是整数' : `最多保留 ${c.decimalDigits} 位小数`;
  }
  return null;
}

function textIssue(c: Component, value: unknown): string | null {
  if (typeof value !== 'string') return '必须是文本';
  const v = (c.validate ?? {}) as { minLength?: unknown; maxLength?: unknown; pattern?: unknown };
  if (typeof v.minLength === 'number' && value.length < v.minLength) return `长度不能少于 ${v.minLength}`;
  if (typeof v.maxLength === 'number' && value.length > v.maxLength) return `长度不能超过 ${v.maxLength}`;
  if (typeof v.pattern === 'string' && v.pattern && !new RegExp(v.pattern).test(value)) return '格式不正确';
  return null;
}

function datetimeIssue(c: Component, value: unknown): string | null {
  const subtype = typeof c.subtype === 'string' ? c.subtype : 'date';
  // A day of the calendar: 2028-13-45 or 2027-02-30 is refused, not rolled over into another day.
  const valid = (s: string) =>
    subtype === 'time' ? TIME.test(s) : subtype === 'datetime' ? isIsoDateTime(s) : isIsoDate(s);
  if (typeof value !== 'string' || !valid(value))
    return subtype === 'time'
      ? '必须是时间（HH:mm）'
      : subtype === 'datetime'
        ? '必须是日期时间'
        : '必须是日期（YYYY-MM-DD）';
  return null;
}

function choiceIssue(c: Component, value: unknown, context: Variables): string | null {
  const options = optionsOf(c, context);
  const many = c.type === 'checklist' || c.type === 'taglist';
  if (many && !Array.isArray(value)) return '必须是选项列表';
  if (!options) return null;
  const chosen = many ? (value as unknown[]) : [value];
  return chosen.every((v) => options.some((o) => o === v)) ? null : oneOf(options);
}

function valueIssue(c: Component, value: unknown, context: Variables): string | null {
  switch (c.type) {
    case 'number':
      return numberIssue(c, value);
    case 'textfield':
    case 'textarea':
      return textIssue(c, value);
    case 'checkbox':
      return typeof value === 'boolean' ? null : '必须是布尔值（true/false）';
    case 'datetime':
      return datetimeIssue(c, value);
    case 'radio':
    case 'select':
    case 'checklist':
    case 'taglist':
      return choiceIssue(c, value, context);
    case 'expression': {
      // form-js computes it from the form's data; a different value is not what the form produced.
      const expected = feel(c.expression, context);
      return JSON.stringify(expected ?? null) === JSON.stringify(value ?? null)
        ? null
        : `计算字段的值应为 ${JSON.stringify(expected ?? null)}`;
    }
    default:
      return null;
  }
}

// --- the walk -------------------------------------------------------------------------------------------------

interface Scope {
  path: Path;
  /** The FEEL context of this level (form-js's local expression context). */
  context: Variables;
  /** The repetition's data (`this`) and the indexes (`i`), for nested repetitions. */
  self: unknown;
  indexes: number[];
}

interface Walk {
  submitted: Variables;
  data: Variables;
  issues: FieldIssue[];
  required: string[];
}

function checkField(c: Component, scope: Scope, w: Walk): void {
  const path = [...scope.path, ...keyPath(c)];
  const value = get(w.submitted, path);
  const type = String(c.type);
  const label = typeof c.label === 'string' ? c.label : String(c.key);
  if (c.disabled === true) {
    if (value !== undefined)
      w.issues.push({ field: fieldName(path), reason: `只读字段，不能提交（${label}）` });
    return;
  }
  const required = (c.validate as { required?: unknown } | undefined)?.required === true;
  if (required) w.required.push(showPath(path));
  if (isEmpty(type, value)) {
    if (required) w.issues.push({ field: fieldName(path), reason: `必填（${label}）` });
    // form-js submits an untouched optional field as its empty value: '', null, false or [].
    if (value === undefined || value === null || value === '' || value === false) return;
    if (Array.isArray(value) && (type === 'checklist' || type === 'taglist')) return;
  }
  const reason = valueIssue(c, value, scope.context);
  if (reason) w.issues.push({ field: fieldName(path), reason });
}

function walk(components: Component[], scope: Scope, w: Walk): void {
  for (const c of components) {
    // A hidden field is not rendered, so form-js neither submits nor validates it; nor anything inside a hidden
    // container. (A value sent for it anyway is the form's own field and is left to the shape check.)
    if (hiddenBy(c, scope.context)) continue;
    if (isKeyed(c)) {
      checkField(c, scope, w);
      continue;
    }
    if (!isContainer(c)) continue;
    const path = [...scope.path, ...containerPath(c)];
    if (!isRepeating(c)) {
      walk(childrenOf(c), { ...scope, path }, w);
      continue;
    }
    const items = get(w.submitted, path);
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      const indexes = [...scope.indexes, index + 1];
      walk(
        childrenOf(c),
        {
          path: [...path, index],
          context: expressionContext(w.data, item, scope.self, indexes),
          self: item,
          indexes,
        },
        w,
      );
    });
  }
}

/** Names the form does not define, and values of the wrong structure (a list where an object is due…). */
function shapeIssues(shape: Shape, value: Record<string, unknown>, path: Path, issues: FieldIssue[]): void {
  for (const [name, v] of Object.entries(value)) {
    const node = shape.get(name);
    const here = [...path, name];
    if (!node) {
      issues.push({ field: fieldName(here), reason: '表单中没有此字段，不能提交' });
    } else if (node.kind === 'object') {
      if (isObject(v)) shapeIssues(node.shape, v, here, issues);
      else if (v !== null) issues.push({ field: fieldName(here), reason: '必须是对象' });
    } else if (node.kind === 'list') {
      if (!Array.isArray(v)) {
        if (v !== null) issues.push({ field: fieldName(here), reason: '必须是列表' });
        continue;
      }
      v.forEach((item, i) => {
        if (isObject(item)) shapeIssues(node.shape, item, [...here, i], issues);
        else issues.push({ field: fieldName([...here, i]), reason: '必须是对象' });
      });
    }
  }
}

/**
 * What is wrong with `submitted` for this form, field by field (zh-CN), and the paths of the required fields
 * that were visible. `context` is the task's variables: form-js evaluates the form's conditions with them.
 */
export function formIssues(
  form: TaskForm | null,
  submitted: Variables,
  context: Variables,
): { issues: FieldIssue[]; required: string[] } {
  const components = Array.isArray(form?.schema.components) ? (form.schema.components as Component[]) : [];
  const issues: FieldIssue[] = [];
  shapeIssues(submissionShape(components), submitted, [], issues);
  const data = { ...context, ...submitted };
  const w: Walk = { submitted, data, issues, required: [] };
  walk(
    components,
    { path: [], context: expressionContext(data, data, null, []), self: data, indexes: [] },
    w,
  );
  // G-4: service lines are more than a form's fields — a subtype belongs to its type, some lines need the system
  // they serve. Checked here so a wrong combination is a 400 naming the line, not a failed classification later.
  if (
    Array.isArray(submitted.serviceLines) &&
    !issues.some((i) => i.field.startsWith('variables.serviceLines'))
  ) {
    for (const i of serviceLineIssues(submitted.serviceLines))
      issues.push({ field: `variables.${i.field}`, reason: i.reason });
    // IM-3: a correction or revision may not drop the 监理 line a project of its size must carry — checked against
    // the threshold of the edition the project was initiated under (its `rules`), as at submission
    const threshold = (context.rules as { supervisionThreshold?: unknown } | undefined)?.supervisionThreshold;
    const supervision =
      typeof threshold === 'number'
        ? supervisionLineIssue(submitted.serviceLines, threshold, 'variables.serviceLines')
        : null;
    if (supervision) issues.push(supervision);
  }
  return { issues, required: w.required };
}

// What a task's Camunda form shows, in plain Chinese (issue 16): the form's display-only parts — its text
// templates (`{{totalInvestment}} 元`) and tables — read copies of the task's variables made for people: G-4 codes
// as their names, amounts as `1,200,000 元（120 万元）`, times as `2026年12月14日 18:00`, yes/no for booleans.
// The copies sit under one extra key (`zhDisplay`) the form's templates are pointed at; the form's fields keep
// their own keys and raw values, so what form-js submits is exactly what the server's form check expects.
import { fmtZhDate } from './dates.js';

export const DISPLAY_KEY = 'zhDisplay';

const AMOUNT_KEY = /(amount|investment|cost|fee)$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const yuan = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
const wan = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });

/** 1200000 → `1,200,000 元（120 万元）`. */
export function fmtAmount(n) {
  const v = Number(n);
  return Math.abs(v) >= 10000
    ? `${yuan.format(v)} 元（${wan.format(v / 10000)} 万元）`
    : `${yuan.format(v)} 元`;
}

/** code → name for every closed vocabulary the forms carry, the key's own vocabulary first. */
function namesOf(vocab) {
  const serviceTypes = {};
  const subTypes = {};
  for (const [code, t] of Object.entries(vocab?.serviceTypes ?? {})) {
    serviceTypes[code] = t.name;
    Object.assign(subTypes, t.subTypes);
  }
  const byKey = {
    serviceType: serviceTypes,
    subType: subTypes,
    relatedTo: vocab?.relatedTo ?? {},
    fundingSource: vocab?.fundingSources ?? {},
    stage: vocab?.stages ?? {},
  };
  const any = { ...byKey.stage, ...byKey.fundingSource, ...byKey.relatedTo, ...subTypes, ...serviceTypes };
  return (key, code) => byKey[key]?.[code] ?? any[code];
}

/** A value as a person reads it, or undefined when it reads well as it is. */
function shown(key, value, nameOf) {
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return AMOUNT_KEY.test(key) ? fmtAmount(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) return fmtZhDate(value);
  return nameOf(key, value);
}

function at(data, path) {
  return path.split('.').reduce((here, p) => (here && typeof here === 'object' ? here[p] : undefined), data);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}(\s*元)?/g;

/** A text template's `{{path}}` (and the ` 元` after an amount) pointed at the readable copy, where one is needed. */
function textOf(text, data, display, nameOf) {
  if (typeof text !== 'string' || text.startsWith('=')) return text;
  return text.replace(PLACEHOLDER, (whole, path, unit) => {
    const key = path.split('.').at(-1);
    const value = shown(key, at(data, path), nameOf);
    if (value === undefined) return whole;
    const name = path.replaceAll('.', '_');
    display[name] = value;
    // An amount reads `1,200,000 元（120 万元）` already; other values keep what follows them.
    return `{{${DISPLAY_KEY}.${name}}}${typeof at(data, path) === 'number' && AMOUNT_KEY.test(key) ? '' : (unit ?? '')}`;
  });
}

/** A table's rows with its columns' values readable, and its data source pointed at them. */
function tableOf(component, data, display, nameOf) {
  const source = String(component.dataSource ?? '');
  const expression = source.startsWith('=') ? source.slice(1) : source;
  const columns = (component.columns ?? []).map((c) => c.key);
  let rewritten = expression;
  for (const [name, rows] of Object.entries(data)) {
    if (!Array.isArray(rows) || !new RegExp(`(?<![\\w.])${name}(?![\\w])`).test(expression)) continue;
    display[name] = rows.map((row) => {
      if (!row || typeof row !== 'object') return row;
      const copy = { ...row };
      for (const key of columns) {
        const value = shown(key, row[key], nameOf);
        if (value !== undefined) copy[key] = value;
      }
      return copy;
    });
    rewritten = rewritten.replace(new RegExp(`(?<![\\w.])${name}(?![\\w])`, 'g'), `${DISPLAY_KEY}.${name}`);
  }
  return rewritten === expression ? component.dataSource : `=${rewritten}`;
}

/**
 * An amount typed in 元 read back in 万元 under the field as it is typed (`合 60 万元`): the figure people check
 * against the documents. The field and its value stay form-js's own.
 */
function wanHint(c, inRepeat) {
  const ref = inRepeat ? `this.${c.key}` : c.key;
  const hint = `{{if ${ref} = null then "" else "合 " + string(${ref} / 10000) + " 万元"}}`;
  return c.description ? `${c.description}　${hint}` : hint;
}

/** The schema and data to import: the same fields and values, display parts reading plain Chinese. */
export function displayView(schema, variables, vocab) {
  const data = { ...(variables ?? {}) };
  const display = {};
  const nameOf = namesOf(vocab);
  const walk = (components, inRepeat) =>
    (components ?? []).map((c) => {
      const copy = { ...c };
      if (c.type === 'text') copy.text = textOf(c.text, data, display, nameOf);
      if (c.type === 'table') copy.dataSource = tableOf(c, data, display, nameOf);
      if (c.type === 'number' && AMOUNT_KEY.test(c.key ?? '')) copy.description = wanHint(c, inRepeat);
      if (Array.isArray(c.components))
        copy.components = walk(c.components, inRepeat || c.isRepeating === true);
      return copy;
    });
  const view = { ...schema, components: walk(schema.components, false) };
  return { schema: view, data: { ...data, [DISPLAY_KEY]: display } };
}

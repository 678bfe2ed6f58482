// Small DOM helpers. Every text from the server goes in as a text node (never innerHTML), so data cannot inject
// markup. Dates are shown in Asia/Shanghai, as the regulation counts them.
import { query } from './api.js';
import { fmtZhDate } from './dates.js';
import { fmtAmount } from './form-display.js';

/**
 * h('button', { class: 'primary', onclick: fn }, '提交') → an element. Attributes: `class`, `for`, `on<event>`,
 * boolean `true` (present) / `false` or null (absent), anything else as text. Children: nodes, strings, arrays.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Appends children (nodes, strings, arrays; null and false skipped). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A unique id for label/field pairs. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

// As people write them (issue 16): 2026年12月14日 18:00, 2026年12月14日.
export function fmtDateTime(iso) {
  return iso ? fmtZhDate(iso) : '—';
}

export function fmtDate(iso) {
  if (!iso) return '—';
  return fmtZhDate(iso).replace(/ \d{2}:\d{2}$/, '');
}

/** Amounts are integers of 元: `1,200,000 元（120 万元）`, the 万元 figure beside as the documents give it. */
export function fmtYuan(n) {
  if (n === null || n === undefined || n === '') return '—';
  return fmtAmount(n);
}

/** A short toast for the result of an action, read out by screen readers (role=status). */
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.className = `toast show ${kind}`;
  el.textContent = message;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    el.className = 'toast';
  }, 5000);
}

/** A titled page section. */
export function section(title, ...children) {
  const id = uid('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A labelled field: label above, control, optional hint and an error slot bound by aria-describedby. */
export function field(label, control, { hint, name } = {}) {
  const id = control.id || uid('f');
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (name) control.dataset.field = name;
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }),
  );
  if (name) wrapper.dataset.fieldWrapper = name;
  return wrapper;
}

/** A checkbox with its label on the right and an optional hint. */
export function checkbox(label, input, { hint, name } = {}) {
  const id = input.id || uid('c');
  input.id = id;
  input.type = 'checkbox';
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (name) input.dataset.field = name;
  const wrapper = h(
    'div',
    { class: 'field check' },
    h('div', { class: 'check-row' }, input, h('label', { for: id }, label)),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }),
  );
  if (name) wrapper.dataset.fieldWrapper = name;
  return wrapper;
}

/**
 * Shows the problem's field errors next to their fields (`data-field` = the API's field name, e.g.
 * `serviceLines[0].amount`), and the rest in the form's summary. Focuses the first field in error.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const summary = form.querySelector('.form-errors');
  const rest = [];
  let first = null;
  for (const issue of error.errors ?? []) {
    const control = form.querySelector(`[data-field="${CSS.escape(issue.field)}"]`);
    const slot = control && document.getElementById(`${control.id}-err`);
    if (slot) {
      slot.hidden = false;
      slot.textContent = issue.reason;
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    } else rest.push(issue);
  }
  if (summary) {
    mount(
      summary,
      h('p', {}, h('strong', {}, error.detail || error.message || '操作失败')),
      rest.length > 0
        ? h(
            'ul',
            {},
            rest.map((i) => h('li', {}, `${i.field}：${i.reason}`)),
          )
        : null,
    );
    summary.hidden = false;
  }
  if (first) first.focus();
  else summary?.focus();
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-errors');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** The error summary box of a form (focusable, announced). */
export function errorSummary() {
  return h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true });
}

/** A message box for a failed load. */
export function failure(error) {
  return h('div', { class: 'notice error', role: 'alert' }, error.detail || error.message || String(error));
}

/** Loads a classic (UMD) script once and resolves with the global it defines. */
const scripts = new Map();
export function loadScript(src, globalName) {
  if (!scripts.has(src)) {
    scripts.set(
      src,
      new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => resolve(window[globalName]);
        s.onerror = () => reject(new Error(`无法加载 ${src}`));
        document.head.append(s);
      }),
    );
  }
  return scripts.get(src);
}

const styles = new Set();
export function loadStyle(href) {
  if (styles.has(href)) return;
  styles.add(href);
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** Previous / next page links of a list view (`route` like `#/projects`), kept in the filters of the hash. */
export function pager(route, filters, pages) {
  if (pages <= 1) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': '分页' },
    filters.page > 1
      ? h('a', { href: `${route}${query({ ...filters, page: filters.page - 1 })}` }, '上一页')
      : null,
    h('span', {}, `第 ${filters.page} / ${pages} 页`),
    filters.page < pages
      ? h('a', { href: `${route}${query({ ...filters, page: filters.page + 1 })}` }, '下一页')
      : null,
  );
}

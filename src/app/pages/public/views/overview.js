// 全辖区总览 (issue #16, SV-1): for the Bureau's administrator and Audit, the tenant's open overdue tasks by step and
// by Unit — each figure a link to the task list behind it (read-only, scope=overview) — and deadline compliance per
// step over a window (GET /api/dashboard/overdue).
import { query } from '../api.js';
import { fmtDateTime, h, section } from '../dom.js';
import { processLabel } from './tasks.js';

/** The page's own link for an API link `/api/tasks?…`: the same filters on #/tasks. */
export const pageLink = (href) => `#${href.replace(/^\/api/, '')}`;

const pct = (rate) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

function countLink(count, href, label) {
  if (!href) return String(count);
  return h('a', { href: pageLink(href), 'aria-label': `${label}：${count} 项逾期待办` }, String(count));
}

function table(caption, columns, rows) {
  return h(
    'table',
    { class: 'list' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function byStep(steps) {
  if (steps.length === 0) return h('p', { class: 'empty' }, '没有逾期的待办任务。');
  return table(
    '按环节',
    ['环节', '流程', '逾期待办'],
    steps.map((s) =>
      h(
        'tr',
        { 'data-step': s.elementId },
        h('td', { 'data-label': '环节' }, s.name),
        h('td', { 'data-label': '流程' }, processLabel(s.processDefinitionId, s.processName)),
        h('td', { 'data-label': '逾期待办', class: 'num' }, countLink(s.count, s.href, s.name)),
      ),
    ),
  );
}

function byUnit(units) {
  if (units.length === 0) return null;
  return table(
    '按单位',
    ['单位', '逾期待办'],
    units.map((u) =>
      h(
        'tr',
        { 'data-unit': u.unitId },
        h('td', { 'data-label': '单位' }, u.unitName),
        h('td', { 'data-label': '逾期待办', class: 'num' }, countLink(u.count, u.href, u.unitName)),
      ),
    ),
  );
}

function compliance(c, since) {
  const days = /^\d+$/.test(since) ? since : '90';
  const form = h(
    'form',
    { class: 'filters', 'aria-label': '统计期间' },
    h(
      'label',
      {},
      '统计最近 ',
      h('input', { type: 'number', name: 'since', min: 1, max: 3660, value: days, inputmode: 'numeric' }),
      ' 天办结的任务',
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '更新')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
    q.set('since', form.elements.since.value);
    location.hash = `#/dashboard${query(Object.fromEntries(q))}`;
  });
  return [
    form,
    h(
      'p',
      { class: 'muted' },
      `${fmtDateTime(c.since)} 以来办结的有期限任务 ${c.completed} 项，按期 ${c.onTime} 项，逾期办结 ${c.late} 项，按期办结率 ${pct(c.rate)}。`,
    ),
    c.steps.length === 0
      ? null
      : table(
          '各环节期限执行情况',
          ['环节', '流程', '办结', '按期', '逾期办结', '按期办结率'],
          c.steps.map((s) =>
            h(
              'tr',
              { 'data-step': s.elementId },
              h('td', { 'data-label': '环节' }, s.name),
              h('td', { 'data-label': '流程' }, processLabel(s.processDefinitionId, s.processName)),
              h('td', { 'data-label': '办结', class: 'num' }, s.completed),
              h('td', { 'data-label': '按期', class: 'num' }, s.onTime),
              h('td', { 'data-label': '逾期办结', class: 'num' }, s.late),
              h('td', { 'data-label': '按期办结率', class: 'num' }, pct(s.rate)),
            ),
          ),
        ),
  ];
}

/** The 全辖区总览 section of the dashboard. */
export function overviewSection(data, since) {
  const o = data.overdue;
  return section(
    '全辖区总览',
    h(
      'p',
      {},
      `截至 ${fmtDateTime(data.asOf)}，全辖区共 `,
      h('a', { href: pageLink(o.href), class: 'overview-total' }, `${o.total} 项待办已逾期`),
      '。点击数字查看对应的任务（只读）。',
    ),
    h('div', { class: 'overview-tables' }, byStep(o.byStep), byUnit(o.byUnit)),
    h('h3', {}, '期限执行情况（按环节）'),
    ...compliance(data.compliance, since),
  );
}

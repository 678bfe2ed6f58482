// Operations (the Bureau administrators' Operate): process instances by process and state, those with incidents
// first to hand; each opens on its diagram. The annual filing campaign board is one click away.
import { get, query } from '../api.js';
import { add, field, fmtDateTime, h, pager } from '../dom.js';
import { can, vocabSync } from '../session.js';

export const STATES = { ACTIVE: '运行中', COMPLETED: '已完成', TERMINATED: '已取消' };

export async function render(main, _params, q) {
  if (!can.operate()) {
    add(
      main,
      h('h1', {}, '流程运维'),
      h('p', { class: 'notice' }, '流程运维仅供市政务服务数据管理局管理员使用。'),
    );
    return;
  }
  const vocab = vocabSync();
  const filters = {
    processId: q.get('processId') ?? '',
    state: q.get('state') ?? 'ACTIVE',
    hasIncident: q.get('hasIncident') ?? '',
    page: Number(q.get('page') ?? 1),
  };
  const [result, incidents] = await Promise.all([
    get(`/ops/instances${query({ ...filters, pageSize: 25 })}`),
    get(`/ops/instances${query({ state: 'ACTIVE', hasIncident: true, pageSize: 1 })}`),
  ]);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  add(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, '流程运维'),
      h('a', { class: 'button', href: '#/ops/campaign' }, '年度规划备案看板'),
    ),
    incidentNotice(incidents.total),
    filterForm(vocab, filters),
    h('p', { class: 'muted', 'aria-live': 'polite' }, `共 ${result.total} 个流程实例`),
    instanceTable(vocab, result.items),
    pager(`#/ops`, filters, pages),
  );
}

function incidentNotice(total) {
  return total > 0
    ? h(
        'p',
        { class: 'notice error' },
        `有 ${total} 个运行中的流程实例出现故障，需要处理。 `,
        h('a', { href: `#/ops${query({ state: 'ACTIVE', hasIncident: 'true' })}` }, '查看'),
      )
    : h('p', { class: 'notice ok' }, '没有出现故障的流程实例。');
}

/** Process, state and incident filters. */
function filterForm(vocab, filters) {
  const process = h(
    'select',
    { name: 'processId' },
    h('option', { value: '' }, '全部流程'),
    Object.entries(vocab.processes)
      .sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'))
      .map(([id, name]) => h('option', { value: id, selected: id === filters.processId }, name)),
  );
  const state = h(
    'select',
    { name: 'state' },
    h('option', { value: '' }, '全部状态'),
    Object.entries(STATES).map(([k, label]) =>
      h('option', { value: k, selected: k === filters.state }, label),
    ),
  );
  const incident = h(
    'select',
    { name: 'hasIncident' },
    h('option', { value: '' }, '不限'),
    h('option', { value: 'true', selected: filters.hasIncident === 'true' }, '有故障'),
    h('option', { value: 'false', selected: filters.hasIncident === 'false' }, '无故障'),
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': '筛选流程实例' },
    field('流程', process),
    field('状态', state),
    field('故障', incident),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '筛选')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/ops${query({ processId: process.value, state: state.value, hasIncident: incident.value })}`;
  });
  return form;
}

function instanceTable(vocab, items) {
  if (items.length === 0) return h('p', { class: 'empty' }, '没有符合条件的流程实例。');
  const rows = items.map((i) =>
    h(
      'tr',
      { class: i.hasIncident ? 'incident-row' : '' },
      h(
        'td',
        { 'data-label': '实例' },
        h('a', { href: `#/ops/instances/${i.processInstanceKey}` }, i.processInstanceKey),
      ),
      h(
        'td',
        { 'data-label': '流程' },
        i.processDefinitionName ?? vocab.processes[i.processDefinitionId] ?? i.processDefinitionId,
        h('small', { class: 'muted' }, ` v${i.processDefinitionVersion}`),
      ),
      h(
        'td',
        { 'data-label': '项目' },
        i.projectId ? h('a', { href: `#/projects/${encodeURIComponent(i.projectId)}` }, i.projectId) : '—',
      ),
      h('td', { 'data-label': '状态' }, STATES[i.state] ?? i.state),
      h('td', { 'data-label': '故障' }, i.hasIncident ? h('span', { class: 'badge danger' }, '有故障') : '—'),
      h('td', { 'data-label': '开始时间' }, fmtDateTime(i.startDate)),
    ),
  );
  return h(
    'table',
    { class: 'list' },
    h('caption', { class: 'sr-only' }, '流程实例'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['实例', '流程', '项目', '状态', '故障', '开始时间'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

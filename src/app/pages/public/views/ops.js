// Operations (the Bureau administrators' Operate): process instances with Operate's filters (process, version, state,
// element, variable, start/end day, project) and the engine's true total; the incidents by error type with "retry all
// of this kind"; batch cancel / retry of the current filter with a confirmation and progress. Each instance opens on
// its diagram and variables. The annual filing campaign board is one click away.
import { ApiError, get, query } from '../api.js';
import { add, field, fmtDateTime, h, pager } from '../dom.js';
import { bureau, can, vocabSync } from '../session.js';
import { batchHistory, batchSection, incidentGroupsSection } from './ops-admin.js';
import { failedMailsSection } from './ops-mail.js';

export const STATES = { ACTIVE: '运行中', COMPLETED: '已完成', TERMINATED: '已取消' };

/** The list's state filter (Operate's): running, running with an incident, completed, canceled; `ALL`: any. */
const STATE_FILTERS = {
  ALL: '全部状态',
  ACTIVE: '运行中',
  INCIDENT: '有故障',
  COMPLETED: '已完成',
  TERMINATED: '已取消',
};

/** The filter fields of the hash and of /api/ops/instances (and of a batch on the current filter). */
const FILTER_KEYS = [
  'processId',
  'version',
  'state',
  'hasIncident',
  'elementId',
  'variableName',
  'variableValue',
  'startFrom',
  'startTo',
  'endFrom',
  'endTo',
  'projectId',
];

/** The API's filter of the page's filters: empty fields and `ALL` left out. */
export function apiFilter(filters) {
  const out = {};
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v === undefined || v === null || v === '' || (k === 'state' && v === 'ALL')) continue;
    out[k] = k === 'version' ? Number(v) : k === 'hasIncident' ? v === 'true' : v;
  }
  return out;
}

export async function render(main, _params, q) {
  if (!can.operate()) {
    add(main, h('h1', {}, '流程运维'), h('p', { class: 'notice' }, `流程运维仅供${bureau()}管理员使用。`));
    return;
  }
  const vocab = vocabSync();
  const filters = { state: q.get('state') ?? 'ACTIVE', page: Number(q.get('page') ?? 1) };
  for (const k of FILTER_KEYS) if (k !== 'state' && q.get(k)) filters[k] = q.get(k);
  let result;
  try {
    result = await get(`/ops/instances${query({ ...apiFilter(filters), page: filters.page, pageSize: 25 })}`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    result = { items: [], total: 0, pageSize: 25, error: e };
  }
  const [incidents, groups] = await Promise.all([
    get(`/ops/instances${query({ state: 'INCIDENT', pageSize: 1 })}`),
    get('/ops/incident-groups'),
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
    incidentGroupsSection(groups),
    await failedMailsSection(),
    filterForm(vocab, filters),
    result.error
      ? h('p', { class: 'notice error', role: 'alert' }, `筛选条件有误：${result.error.detail}`)
      : null,
    h(
      'p',
      { class: 'muted', 'aria-live': 'polite', 'data-total': result.total },
      `共 ${result.total} 个流程实例`,
    ),
    batchSection(apiFilter(filters)),
    instanceTable(vocab, result.items),
    pager(`#/ops`, filters, pages),
    await batchHistory(),
  );
}

function incidentNotice(total) {
  return total > 0
    ? h(
        'p',
        { class: 'notice error' },
        `有 ${total} 个运行中的流程实例出现故障，需要处理。 `,
        h('a', { href: `#/ops${query({ state: 'INCIDENT' })}` }, '查看'),
      )
    : h('p', { class: 'notice ok' }, '没有出现故障的流程实例。');
}

const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });

/** Operate's filters: process, version, state, element, variable, start and end day, project. */
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
    Object.entries(STATE_FILTERS).map(([k, label]) =>
      h('option', { value: k, selected: k === filters.state }, label),
    ),
  );
  const controls = {
    processId: process,
    version: input('version', filters.version, { type: 'number', min: 1, inputmode: 'numeric' }),
    state,
    elementId: input('elementId', filters.elementId, { placeholder: '如 Task_InitialCheck' }),
    variableName: input('variableName', filters.variableName),
    variableValue: input('variableValue', filters.variableValue),
    startFrom: input('startFrom', filters.startFrom, { type: 'date' }),
    startTo: input('startTo', filters.startTo, { type: 'date' }),
    endFrom: input('endFrom', filters.endFrom, { type: 'date' }),
    endTo: input('endTo', filters.endTo, { type: 'date' }),
    projectId: input('projectId', filters.projectId, { placeholder: '如 YF-2026-0001' }),
  };
  const labels = {
    processId: '流程',
    version: '版本',
    state: '状态',
    elementId: '当前节点',
    variableName: '变量名',
    variableValue: '变量值',
    startFrom: '开始日期从',
    startTo: '开始日期至',
    endFrom: '结束日期从',
    endTo: '结束日期至',
    projectId: '项目编号',
  };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': '筛选流程实例' },
    Object.entries(controls).map(([k, c]) => field(labels[k], c, { name: k })),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, '筛选'),
      h('a', { href: '#/ops' }, '清除'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const [k, c] of Object.entries(controls)) next[k] = c.value.trim();
    location.hash = `#/ops${query(next)}`;
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
    { class: 'list instances' },
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

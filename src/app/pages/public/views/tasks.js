// The task list: the tasks of the signed-in person's candidate groups (roles and `unit-<unitId>`) and the tasks
// they claimed, with the working days left (Asia/Shanghai holidays counted by the API) and overdue tasks marked.
// Filters (claimed by me, my groups, unclaimed, done; overdue, due this week; process, Unit), the search by project
// name or number, the sort and the paging are the API's; the state lives in the URL so that the back button and a
// shared link show the same list. Claim and unclaim here; work a task on its own page. The Bureau's administrator
// and Audit also have 全辖区 (scope=overview): every open task of the tenant, read-only, where the dashboard's
// overview figures lead (filtered by step — elementId — or Unit, and overdue).
import { ApiError, get, post, query } from '../api.js';
import { add, field, fmtDateTime, h, pager, toast } from '../dom.js';
import { can, current, vocabSync } from '../session.js';

const SCOPES = [
  ['all', '全部待办'],
  ['mine', '我认领的'],
  ['groups', '我所在组的'],
  ['unassigned', '未认领'],
  ['done', '已办'],
];
const OVERVIEW = ['overview', '全辖区'];
const scopesFor = () => (can.overview() ? [...SCOPES, OVERVIEW] : SCOPES);

const DUE = { overdue: '已逾期', week: '本周到期' };
const SORTS = {
  due: '到期时间',
  created: '创建时间',
  priority: '优先级',
  'follow-up': '跟进日期',
  completed: '办结时间',
};
const ORDERS = { asc: '升序', desc: '降序' };

/** Camunda's priority 0–100 in words (Tasklist's bands: low, medium, high, critical). */
export function priorityLabel(priority) {
  if (priority >= 76) return '紧急';
  if (priority >= 51) return '高';
  if (priority >= 26) return '中';
  return '低';
}

export function groupLabel(group, task) {
  const vocab = vocabSync();
  if (group.startsWith('unit-')) {
    const unitId = group.slice(5);
    if (task?.unitId === unitId && task.unitName) return task.unitName;
    if (current()?.unitId === unitId && current().unitName) return current().unitName;
    return `市直单位（${unitId}）`;
  }
  return vocab?.roles[group] ?? group;
}

export function processLabel(processDefinitionId, processName) {
  return processName ?? vocabSync()?.processes[processDefinitionId] ?? processDefinitionId;
}

/** Due date with the working days left; overdue marked in words, not only in colour. */
export function dueBadge(task) {
  if (!task.dueDate) return h('span', { class: 'due none' }, '无期限');
  const provisional = task.dueDateProvisional ? '（暂定：该年度节假日安排未公布）' : '';
  if (task.overdue) {
    const days = task.workingDaysLeft !== null ? Math.abs(task.workingDaysLeft) : null;
    return h(
      'span',
      { class: 'due overdue', title: `到期：${fmtDateTime(task.dueDate)}${provisional}` },
      days ? `已逾期 ${days} 个工作日` : '已逾期',
    );
  }
  const left = task.workingDaysLeft;
  const soon = left !== null && left <= 2;
  return h(
    'span',
    { class: `due ${soon ? 'soon' : 'ok'}`, title: `到期：${fmtDateTime(task.dueDate)}${provisional}` },
    left === 0 ? '今日到期' : `剩余 ${left} 个工作日`,
    provisional ? '＊' : '',
  );
}

export async function claim(task, claimed) {
  try {
    await post(`/tasks/${task.userTaskKey}/${claimed ? 'claim' : 'unclaim'}`);
    toast(claimed ? `已认领“${task.name}”` : `已取消认领“${task.name}”`);
    return true;
  } catch (e) {
    toast(e instanceof ApiError ? e.detail : String(e), 'error');
    return false;
  }
}

/** The list's filters as the URL holds them; "done" is the completed tasks of my groups and mine. */
function filtersOf(q) {
  const pick = (name, allowed) => (allowed.includes(q.get(name)) ? q.get(name) : '');
  return {
    scope: scopesFor().some(([s]) => s === q.get('scope')) ? q.get('scope') : 'all',
    due: pick('due', Object.keys(DUE)),
    processDefinitionId: q.get('processDefinitionId') ?? '',
    elementId: q.get('elementId') ?? '',
    unitId: q.get('unitId') ?? '',
    q: q.get('q') ?? '',
    sort: pick('sort', Object.keys(SORTS)),
    order: pick('order', Object.keys(ORDERS)),
    page: Math.max(1, Number(q.get('page')) || 1),
  };
}

export async function render(main, _params, q) {
  const filters = filtersOf(q);
  const done = filters.scope === 'done';
  const asked = { ...filters, scope: done ? 'all' : filters.scope, state: done ? 'completed' : undefined };
  const [result, units] = await Promise.all([
    get(`/tasks${query({ ...asked, pageSize: 50 })}`),
    can.isUnit() ? Promise.resolve([]) : get('/units').catch(() => []),
  ]);
  // paged by the API: `total` counts every page; `overdue` below counts this page's tasks
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const me = current();

  add(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, '任务列表')),
    scopeTabs(filters.scope),
    filters.scope === 'overview' ? overviewNotice(filters, result) : null,
    filterForm(filters, units),
    summaryLine(result, pages, done),
    result.items.length === 0
      ? h('p', { class: 'empty' }, done ? '没有已办任务。' : '没有符合条件的待办任务。')
      : h(
          'table',
          { class: 'list' },
          h('caption', { class: 'sr-only' }, done ? '已办任务' : '待办任务'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                '任务',
                '项目',
                '办理人',
                '认领',
                '优先级',
                '创建时间',
                done ? '办结时间' : '期限',
                '操作',
              ].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            result.items.map((t) => taskRow(t, me)),
          ),
        ),
    pager('#/tasks', filters, pages),
  );
}

/** The filter bar and the search box; submitting puts them in the URL (the tab kept, back to the first page). */
function filterForm(filters, units) {
  const text = h('input', {
    type: 'search',
    name: 'q',
    value: filters.q,
    maxlength: 100,
    placeholder: '项目名称或编号',
  });
  const due = select('due', filters.due, '全部期限', DUE);
  const processes = select(
    'processDefinitionId',
    filters.processDefinitionId,
    '全部流程',
    vocabSync()?.processes ?? {},
  );
  const unit =
    units.length > 0
      ? select('unitId', filters.unitId, '全部单位', Object.fromEntries(units.map((u) => [u.id, u.name])))
      : null;
  const sort = select('sort', filters.sort, '默认排序', SORTS);
  const order = select('order', filters.order, '默认顺序', ORDERS);
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': '筛选任务' },
    field('项目', text),
    field('期限', due),
    field('流程', processes),
    unit ? field('单位', unit) : null,
    field('排序', sort),
    field('顺序', order),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '筛选')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {
      scope: filters.scope,
      q: text.value.trim(),
      due: due.value,
      processDefinitionId: processes.value,
      elementId: filters.scope === 'overview' ? filters.elementId : '',
      unitId: unit?.value ?? '',
      sort: sort.value,
      order: order.value,
    };
    location.hash = `#/tasks${query(next)}`;
  });
  return form;
}

function select(name, value, allLabel, options) {
  return h(
    'select',
    { name },
    h('option', { value: '' }, allLabel),
    Object.entries(options).map(([k, label]) => h('option', { value: k, selected: k === value }, label)),
  );
}

/** Claim or give back a task; Audit only reads (nothing to do on another's task). */
function taskActions(t, me) {
  const button = (label, take) =>
    h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        'aria-label': `${label}：${t.name}`,
        onclick: async () => {
          if (await claim(t, take)) dispatchEvent(new HashChangeEvent('hashchange'));
        },
      },
      label,
    );
  if (t.state !== 'CREATED') return [];
  // the overview reads every task of the tenant; only those of one's own groups are one's to claim
  if (!t.assignedToMe && !t.candidateGroups.some((g) => (me.groups ?? []).includes(g))) return [];
  if (me.roles.every((r) => r === 'audit') && !t.candidateGroups.includes('audit')) return [];
  if (t.assignedToMe) return [button('取消认领', false)];
  if (!t.assignee) return [button('认领', true)];
  return [];
}

function taskRow(t, me) {
  return h(
    'tr',
    { class: t.overdue ? 'overdue-row' : '' },
    h(
      'td',
      { 'data-label': '任务' },
      h('a', { href: `#/tasks/${t.userTaskKey}`, class: 'task-link' }, t.name),
      h('small', { class: 'block muted' }, processLabel(t.processDefinitionId, t.processName)),
    ),
    h(
      'td',
      { 'data-label': '项目' },
      t.projectId
        ? h(
            'span',
            {},
            h('a', { href: `#/projects/${encodeURIComponent(t.projectId)}` }, t.projectId),
            t.projectName ? h('small', { class: 'block' }, t.projectName) : null,
          )
        : (t.unitName ?? '—'),
    ),
    h('td', { 'data-label': '办理人' }, t.candidateGroups.map((g) => groupLabel(g, t)).join('、')),
    h(
      'td',
      { 'data-label': '认领' },
      t.assignee
        ? t.assignedToMe
          ? '我'
          : (t.assigneeName ?? '他人')
        : h('span', { class: 'muted' }, '未认领'),
    ),
    h(
      'td',
      { 'data-label': '优先级' },
      `${priorityLabel(t.priority)}（${t.priority}）`,
      t.followUpDate ? h('small', { class: 'block muted' }, `跟进：${fmtDateTime(t.followUpDate)}`) : null,
    ),
    h('td', { 'data-label': '创建时间' }, fmtDateTime(t.creationDate)),
    t.state === 'CREATED'
      ? h('td', { 'data-label': '期限' }, dueBadge(t))
      : h('td', { 'data-label': '办结时间' }, t.completionDate ? fmtDateTime(t.completionDate) : '—'),
    h('td', { 'data-label': '操作', class: 'row-actions' }, taskActions(t, me)),
  );
}

function scopeTabs(scope) {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': '任务范围' },
    scopesFor().map(([s, label]) =>
      h(
        'a',
        { href: `#/tasks${query({ scope: s })}`, class: 'tab', 'aria-current': s === scope ? 'page' : false },
        label,
      ),
    ),
  );
}

/** What the 全辖区 list shows: read-only, and the step it is narrowed to. */
function overviewNotice(filters, result) {
  const step = filters.elementId ? (result.items[0]?.name ?? filters.elementId) : null;
  return h(
    'p',
    { class: 'notice' },
    '全辖区所有待办任务（只读）。',
    step ? `环节：${step}。` : '',
    filters.elementId
      ? h('a', { href: `#/tasks${query({ scope: 'overview', due: filters.due })}` }, '查看全部环节')
      : '',
  );
}

function summaryLine(result, pages, done) {
  const overdue = result.items.filter((t) => t.overdue).length;
  if (done) return h('p', { class: 'muted', 'aria-live': 'polite' }, `共 ${result.total} 项已办任务。`);
  return h(
    'p',
    { class: 'muted', 'aria-live': 'polite' },
    `共 ${result.total} 项任务`,
    overdue > 0
      ? h('strong', { class: 'overdue-text' }, `，${pages > 1 ? '本页' : '其中'} ${overdue} 项已逾期`)
      : '',
    '。期限按工作日计算（法定节假日和调休按国务院安排）',
    result.items.some((t) => t.dueDateProvisional)
      ? '；标 ＊ 的为暂定期限：到期日所在年度的节假日安排尚未公布。'
      : '。',
  );
}

// The task list: the tasks of the signed-in person's candidate groups (roles and `unit-<unitId>`) and the tasks
// they claimed, soonest due first, with the working days left (Asia/Shanghai holidays counted by the API) and
// overdue tasks marked. Claim and unclaim here; work a task on its own page.
import { ApiError, get, post, query } from '../api.js';
import { add, fmtDateTime, h, pager, toast } from '../dom.js';
import { current, vocabSync } from '../session.js';

const SCOPES = [
  ['all', '全部待办'],
  ['mine', '我认领的'],
  ['groups', '我所在组的'],
];

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

export async function render(main, _params, q) {
  const scope = SCOPES.some(([s]) => s === q.get('scope')) ? q.get('scope') : 'all';
  // paged by the API: `total` counts every page; `overdue` below counts this page's tasks
  const filters = { scope, page: Math.max(1, Number(q.get('page')) || 1) };
  const result = await get(`/tasks${query({ ...filters, pageSize: 50 })}`);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const me = current();

  add(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, '任务列表')),
    scopeTabs(scope),
    summaryLine(result, pages),
    result.items.length === 0
      ? h('p', { class: 'empty' }, '没有待办任务。')
      : h(
          'table',
          { class: 'list' },
          h('caption', { class: 'sr-only' }, '待办任务'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['任务', '项目', '办理人', '认领', '创建时间', '期限', '操作'].map((c) =>
                h('th', { scope: 'col' }, c),
              ),
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
    h('td', { 'data-label': '创建时间' }, fmtDateTime(t.creationDate)),
    h('td', { 'data-label': '期限' }, dueBadge(t)),
    h('td', { 'data-label': '操作', class: 'row-actions' }, taskActions(t, me)),
  );
}

function scopeTabs(scope) {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': '任务范围' },
    SCOPES.map(([s, label]) =>
      h(
        'a',
        { href: `#/tasks${query({ scope: s })}`, class: 'tab', 'aria-current': s === scope ? 'page' : false },
        label,
      ),
    ),
  );
}

function summaryLine(result, pages) {
  const overdue = result.items.filter((t) => t.overdue).length;
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

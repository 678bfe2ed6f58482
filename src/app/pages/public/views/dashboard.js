// Dashboard: the 项目库 by stage, category, Unit and year (GET /api/statistics, scoped by the API to what the
// person may see), and deadline compliance — annual plans filed on time (P-1) and the person's tasks within their
// working-day deadlines. For the Bureau's administrator and Audit the overdue figure is the tenant's (issue #16):
// every open task past its due date, by step and by Unit, and the compliance per step (views/overview.js).
import { get, query } from '../api.js';
import { barChart, ring } from '../charts.js';
import { add, failure, field, fmtYuan, h, section } from '../dom.js';
import { can, current, vocabSync } from '../session.js';
import { overviewSection, pageLink } from './overview.js';

const CATEGORY_COLORS = { public: '#1f5fa8', professional: '#8e44ad' };

const wan = (n) =>
  n >= 10000 ? `${(n / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 万元` : `${n} 元`;

export async function render(main, _params, q) {
  if (!can.statistics()) {
    add(main, h('h1', {}, '统计看板'), h('p', { class: 'notice' }, '当前角色不能查看项目统计。'));
    return;
  }
  const planYear = q.get('planYear') ?? '';
  const category = q.get('category') ?? '';
  const since = q.get('since') ?? '';
  const [stats, plans, tasks, overview] = await Promise.all([
    get(`/statistics${query({ planYear, category })}`),
    get(`/annual-plans${query({ planYear })}`).catch(() => []),
    can.tasks() ? get('/tasks').catch(() => null) : null,
    // a failure of the overview (a bad `since` in the URL, the engine away) is said in its section, not on the page
    can.overview() ? get(`/dashboard/overdue${query({ since })}`).catch((error) => ({ error })) : null,
  ]);
  // The width one chart gets: half of the page side by side, all of it on a narrow screen (less the card's padding).
  const inner = main.clientWidth;
  const wide = window.matchMedia('(min-width: 761px)').matches;
  const width = Math.max(240, Math.min(560, Math.floor(wide ? (inner - 16) / 2 - 42 : inner - 42)));
  const withDue = (tasks?.items ?? []).filter((t) => t.dueDate);
  const overdue = withDue.filter((t) => t.overdue).length;

  add(
    main,
    h('h1', {}, can.isUnit() ? `${current().unitName ?? ''}项目统计` : '统计看板'),
    filterForm(planYear, category),
    kpis(stats, plans, tasks, overview?.overdue ?? { total: overdue, href: null }),
    h(
      'div',
      { class: 'charts' },
      ...statisticsCards(stats, width),
      deadlineCard(plans, tasks, withDue.length, overdue, overview?.compliance),
    ),
    h('p', { class: 'muted' }, `金额为项目申报的总投资（${fmtYuan(stats.total.totalInvestment)}）。`),
    overview?.error ? section('全辖区总览', failure(overview.error)) : null,
    overview?.overdue ? overviewSection(overview, since) : null,
  );
}

/** The year and category the statistics are scoped to. */
function filterForm(planYear, category) {
  const year = h('input', {
    type: 'number',
    min: 2000,
    max: 9999,
    value: planYear,
    inputmode: 'numeric',
    placeholder: '全部',
  });
  const cat = h(
    'select',
    {},
    h('option', { value: '' }, '全部类别'),
    h('option', { value: 'public', selected: category === 'public' }, '公共类'),
    h('option', { value: 'professional', selected: category === 'professional' }, '专业类'),
  );
  const form = h(
    'form',
    { class: 'filters', 'aria-label': '统计范围' },
    field('规划年度', year),
    field('类别', cat),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '更新')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/dashboard${query({ planYear: year.value, category: cat.value })}`;
  });
  return form;
}

/** `overdue`: the tenant's figure with its list for the overview roles, the person's own otherwise. */
function kpis(stats, plans, tasks, overdue) {
  const figure = overdue.href
    ? h('a', { href: pageLink(overdue.href), class: 'kpi' }, overdue.total)
    : h('span', { class: 'kpi' }, overdue.total);
  return h(
    'ul',
    { class: 'kpis' },
    h('li', {}, h('span', { class: 'kpi' }, stats.total.count), '个项目'),
    h('li', {}, h('span', { class: 'kpi' }, wan(stats.total.totalInvestment)), '总投资'),
    h('li', {}, h('span', { class: 'kpi' }, plans.length), '份年度规划备案'),
    tasks
      ? h(
          'li',
          { class: overdue.total > 0 ? 'danger' : 'ok', 'data-kpi': 'overdue' },
          figure,
          overdue.href ? '项待办已逾期（全辖区）' : '项待办已逾期',
        )
      : null,
  );
}

const TOP = 12;

/** The 项目库 by stage, category, Unit and year. */
function statisticsCards(stats, width) {
  // Stages in the order a project goes through them; Units by size, the largest first (the rest counted).
  const stageOrder = Object.keys(vocabSync().stages);
  const byStage = [...stats.byStage].sort((a, b) => stageOrder.indexOf(a.key) - stageOrder.indexOf(b.key));
  const top = (list, value) => [...list].sort((a, b) => value(b) - value(a)).slice(0, TOP);
  const more = (list) =>
    list.length > TOP ? h('p', { class: 'muted' }, `另有 ${list.length - TOP} 个单位未列出`) : null;
  const rows = (list, color) => list.map((r) => ({ label: r.label, value: r.count, color: color?.(r) }));
  const money = (list, color) =>
    list.map((r) => ({ label: r.label, value: r.totalInvestment, color: color?.(r) }));
  return [
    chartCard(
      '按阶段（项目数）',
      barChart('按阶段的项目数', rows(byStage), { format: (v) => `${v} 个`, width }),
    ),
    chartCard(
      '按类别（总投资）',
      barChart(
        '按类别的总投资',
        money(stats.byCategory, (r) => CATEGORY_COLORS[r.key]),
        { format: wan, width },
      ),
      h(
        'p',
        { class: 'muted' },
        stats.byCategory.map((r) => `${r.label} ${r.count} 个`).join('，') || '暂无数据',
      ),
    ),
    chartCard(
      `按单位（项目数${stats.byUnit.length > TOP ? `，前 ${TOP} 个` : ''}）`,
      barChart('按单位的项目数', rows(top(stats.byUnit, (r) => r.count)), {
        format: (v) => `${v} 个`,
        width,
      }),
      more(stats.byUnit),
    ),
    chartCard(
      `按单位（总投资${stats.byUnit.length > TOP ? `，前 ${TOP} 个` : ''}）`,
      barChart('按单位的总投资', money(top(stats.byUnit, (r) => r.totalInvestment)), {
        format: wan,
        color: '#00796b',
        width,
      }),
      more(stats.byUnit),
    ),
    chartCard(
      '按规划年度（项目数）',
      barChart('按年度的项目数', rows(stats.byYear), { format: (v) => `${v} 个`, color: '#ef6c00', width }),
    ),
  ];
}

/**
 * Deadline compliance: annual plans filed on time (P-1), the person's tasks within their deadlines, and for the
 * overview roles the tenant's tasks completed on time in the window (SV-1).
 */
function deadlineCard(plans, tasks, withDue, overdue, compliance) {
  const onTime = plans.filter((p) => p.onTime).length;
  return chartCard(
    '期限执行情况',
    h(
      'div',
      { class: 'rings' },
      h(
        'figure',
        {},
        ring('年度规划按时备案率', onTime, plans.length),
        h('figcaption', {}, `年度规划按时备案 ${onTime}/${plans.length}（P-1）`),
      ),
      tasks
        ? h(
            'figure',
            {},
            ring('我的待办在期限内的比例', withDue - overdue, withDue, {
              color: overdue > 0 ? '#c62828' : '#2e7d32',
            }),
            h('figcaption', {}, `我的有期限待办中未逾期 ${withDue - overdue}/${withDue}`),
          )
        : null,
      compliance
        ? h(
            'figure',
            {},
            ring('全辖区按期办结率', compliance.onTime, compliance.completed, {
              color: compliance.late > 0 ? '#ef6c00' : '#2e7d32',
            }),
            h('figcaption', {}, `全辖区期内办结任务按期 ${compliance.onTime}/${compliance.completed}`),
          )
        : null,
    ),
  );
}

function chartCard(title, ...content) {
  return h('section', { class: 'card chart-card' }, h('h2', {}, title), ...content);
}

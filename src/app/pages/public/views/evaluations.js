// SV-1 / SV-2 评价结果: the application-effect and fund-use evaluations per Unit and appraisal year, for the 绩效考核
// of city organs (GET /api/evaluations; the API scopes it: a Unit sees only its own), and the evaluated projects
// behind the figures. Read only — the evaluations themselves are tasks of the Bureau and Finance.
import { get, query } from '../api.js';
import { add, field, fmtDate, fmtDateTime, fmtYuan, h } from '../dom.js';
import { bureau, can } from '../session.js';

const GRADES = [
  ['excellent', '优秀'],
  ['good', '良好'],
  ['fair', '一般'],
  ['poor', '较差'],
];

const grades = (counts) =>
  GRADES.filter(([k]) => counts[k] > 0)
    .map(([k, label]) => `${label} ${counts[k]}`)
    .join('，') || '—';

const deadline = (p) => {
  if (p.onTime === null) return '—';
  return p.onTime
    ? `按期（期限 ${fmtDate(p.evaluationDue)}）`
    : h('span', { class: 'overdue-text' }, `逾期（期限 ${fmtDate(p.evaluationDue)}）`);
};

export async function render(main, _params, q) {
  if (!can.readProjects()) {
    add(main, h('h1', {}, '评价结果'), h('p', { class: 'notice' }, '当前角色不能查看评价结果。'));
    return;
  }
  const year = q.get('year') ?? '';
  const board = await get(`/evaluations${query({ year })}`);
  const t = board.totals;
  add(
    main,
    h('h1', {}, '应用效果评价结果'),
    h(
      'p',
      { class: 'muted' },
      `${bureau()}的应用效果评价和市财政局的资金使用与绩效评价，按单位汇总，纳入市级机关绩效考核（SV-1、SV-2）。`,
    ),
    filterForm(year),
    h(
      'ul',
      { class: 'kpis', 'aria-label': '汇总' },
      h('li', {}, h('span', { class: 'kpi' }, t.projectsEvaluated), '个项目已评价'),
      h('li', { class: 'ok' }, h('span', { class: 'kpi' }, t.onTime), '按期评价'),
      h('li', { class: 'danger' }, h('span', { class: 'kpi' }, t.late), '逾期评价'),
      h('li', { class: 'warn' }, h('span', { class: 'kpi' }, t.fundUseIrregular), '资金使用存在问题'),
    ),
    unitTable(board.units),
    projectTable(board.projects),
  );
}

function filterForm(year) {
  const input = h('input', {
    type: 'number',
    min: 2000,
    max: 9999,
    value: year,
    inputmode: 'numeric',
    placeholder: '全部',
  });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': '考核年度' },
    field('考核年度', input),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/evaluations${query({ year: input.value })}`;
  });
  return form;
}

function table(caption, heads, rows) {
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
        heads.map(([label, cls]) => h('th', { scope: 'col', ...(cls ? { class: cls } : {}) }, label)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function unitTable(units) {
  const rows = units.map((u) =>
    h(
      'tr',
      { 'data-unit': u.unitId },
      h('th', { scope: 'row', 'data-label': '单位' }, u.unitName),
      h('td', { 'data-label': '已评价项目', class: 'num' }, u.projectsEvaluated),
      h('td', { 'data-label': '应用效果' }, grades(u.applicationEffect)),
      h('td', { 'data-label': '项目绩效' }, grades(u.performance)),
      h('td', { 'data-label': '资金使用存在问题', class: 'num' }, u.fundUseIrregular),
      h('td', { 'data-label': '按期 / 逾期评价' }, `${u.onTime} / ${u.late}`),
      h('td', { 'data-label': '批准金额', class: 'num' }, fmtYuan(u.approvedAmount)),
      h('td', { 'data-label': '合同金额', class: 'num' }, fmtYuan(u.contractAmount)),
    ),
  );
  return table(
    '按单位汇总',
    [
      ['单位'],
      ['已评价项目', 'num'],
      ['应用效果'],
      ['项目绩效'],
      ['资金使用存在问题', 'num'],
      ['按期 / 逾期评价'],
      ['批准金额', 'num'],
      ['合同金额', 'num'],
    ],
    rows,
  );
}

function projectTable(projects) {
  if (projects.length === 0) return h('p', { class: 'empty' }, '尚无已完成评价的项目。');
  const rows = projects.map((p) =>
    h(
      'tr',
      { 'data-project': p.projectId, class: p.onTime === false ? 'overdue-row' : '' },
      h(
        'td',
        { 'data-label': '项目' },
        h('a', { href: `#/projects/${encodeURIComponent(p.projectId)}` }, p.projectId),
        h('small', { class: 'block' }, p.projectName),
      ),
      h('td', { 'data-label': '单位' }, p.unitName),
      h('td', { 'data-label': '应用效果' }, p.applicationEffectRatingName ?? '—'),
      h('td', { 'data-label': '项目绩效' }, p.performanceRatingName ?? '—'),
      h('td', { 'data-label': '资金使用' }, p.fundUseComplianceName ?? '—'),
      h('td', { 'data-label': '评价期限' }, deadline(p)),
      h('td', { 'data-label': '批准金额', class: 'num' }, fmtYuan(p.approvedAmount)),
      h('td', { 'data-label': '合同金额', class: 'num' }, fmtYuan(p.contractAmount)),
      h('td', { 'data-label': '评价时间' }, fmtDateTime(p.recordedAt)),
      h(
        'td',
        { 'data-label': '评价意见' },
        p.applicationEffectComment ? h('p', {}, `数据局：${p.applicationEffectComment}`) : null,
        p.financeEvaluationComment ? h('p', {}, `财政局：${p.financeEvaluationComment}`) : null,
      ),
    ),
  );
  return table(
    '已评价项目',
    [
      ['项目'],
      ['单位'],
      ['应用效果'],
      ['项目绩效'],
      ['资金使用'],
      ['评价期限'],
      ['批准金额', 'num'],
      ['合同金额', 'num'],
      ['评价时间'],
      ['评价意见'],
    ],
    rows,
  );
}

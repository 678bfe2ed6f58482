// P-1 campaign board: for a plan year, every Unit of the tenant — filed on time, filed late, not yet, overdue —
// against the deadline of 30 November of the year before (Asia/Shanghai, inclusive).
import { get } from '../api.js';
import { add, field, fmtDate, fmtDateTime, h } from '../dom.js';
import { bureau, can } from '../session.js';

const COLUMNS = [
  ['on-time', '按时备案'],
  ['late', '逾期备案'],
  ['pending', '尚未备案'],
  ['overdue', '逾期未备案'],
];

export async function render(main, _params, q) {
  if (!can.operate()) {
    add(main, h('h1', {}, '年度规划备案看板'), h('p', { class: 'notice' }, `仅供${bureau()}管理员使用。`));
    return;
  }
  const defaultYear = new Date().getFullYear() + (new Date().getMonth() >= 9 ? 1 : 0);
  const planYear = Number(q.get('planYear') ?? defaultYear);
  const board = await get(`/ops/campaigns/${planYear}`);

  const year = h('input', { type: 'number', min: 2000, max: 9999, value: planYear, inputmode: 'numeric' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': '选择规划年度' },
    field('规划年度', year),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/ops/campaign?planYear=${encodeURIComponent(year.value)}`;
  });

  const s = board.summary;
  add(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/ops' }, '← 返回流程运维')),
    h('h1', {}, `${board.planYear} 年度政务信息化规划备案`),
    h(
      'p',
      {},
      `备案截止：${fmtDateTime(board.deadline)}（P-1：每年 11 月 30 日前报送下一年度规划）`,
      board.deadlinePassed ? h('strong', { class: 'overdue-text' }, ' · 已截止') : '',
    ),
    form,
    h(
      'ul',
      { class: 'kpis' },
      h('li', {}, h('span', { class: 'kpi' }, s.units), '个单位'),
      h('li', { class: 'ok' }, h('span', { class: 'kpi' }, s.onTime), '按时备案'),
      h('li', { class: 'warn' }, h('span', { class: 'kpi' }, s.late), '逾期备案'),
      h('li', {}, h('span', { class: 'kpi' }, s.pending), '尚未备案'),
      h('li', { class: 'danger' }, h('span', { class: 'kpi' }, s.overdue), '逾期未备案'),
    ),
    h(
      'div',
      { class: 'board' },
      COLUMNS.map(([status, label]) => {
        const units = board.units.filter((u) => u.status === status);
        return h(
          'section',
          { class: `board-col status-${status}`, 'aria-label': `${label}（${units.length}）` },
          h('h2', {}, `${label}（${units.length}）`),
          units.length === 0
            ? h('p', { class: 'muted' }, '无')
            : h(
                'ul',
                {},
                units.map((u) =>
                  h(
                    'li',
                    { class: 'board-card' },
                    h('strong', {}, u.unitName),
                    u.filingNumber ? h('small', { class: 'block' }, `备案号 ${u.filingNumber}`) : null,
                    u.filedAt ? h('small', { class: 'block' }, `报送于 ${fmtDate(u.filedAt)}`) : null,
                    u.daysLate > 0
                      ? h('small', { class: 'block overdue-text' }, `逾期 ${u.daysLate} 天`)
                      : null,
                  ),
                ),
              ),
        );
      }),
    ),
  );
}

// The 项目库: a Unit sees its own projects, the Bureau, Finance, the City Government and Audit every project of the
// tenant (the API decides). Filters, sorting and paging are the API's; the state lives in the URL so that the back
// button and a shared link show the same list.
import { get, query } from '../api.js';
import { add, field, fmtDateTime, fmtYuan, h, pager } from '../dom.js';
import { can, current, vocabSync } from '../session.js';

const CATEGORY = { public: '公共类', professional: '专业类' };

export async function render(main, _params, q) {
  const vocab = vocabSync();
  const me = current();
  const filters = {
    q: q.get('q') ?? '',
    stage: q.get('stage') ?? '',
    category: q.get('category') ?? '',
    planYear: q.get('planYear') ?? '',
    unitId: q.get('unitId') ?? '',
    sort: q.get('sort') ?? 'updatedAt',
    order: q.get('order') ?? 'desc',
    page: Number(q.get('page') ?? 1),
  };
  const [result, units] = await Promise.all([
    get(`/projects${query({ ...filters, pageSize: 20 })}`),
    can.isUnit() ? Promise.resolve([]) : get('/units'),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  if (me.unitId) unitName.set(me.unitId, me.unitName);

  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  add(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, can.isUnit() ? `${me.unitName ?? ''}的项目` : '项目库'),
      can.writeProjects() ? h('a', { class: 'button primary', href: '#/projects/new' }, '新建项目') : null,
    ),
    filterForm(filters, vocab, units, unitName),
    h('p', { class: 'muted', 'aria-live': 'polite' }, `共 ${result.total} 个项目`),
    result.items.length === 0
      ? h(
          'p',
          { class: 'empty' },
          can.writeProjects() ? '还没有项目。点击“新建项目”开始申报。' : '没有符合条件的项目。',
        )
      : projectTable(result.items, filters, unitName),
    pager(`#/projects`, filters, pages),
  );
}

/** The search form; submitting it puts the filters in the URL (the sort kept, back to the first page). */
function filterForm(filters, vocab, units, unitName) {
  const text = h('input', { type: 'search', name: 'q', value: filters.q, placeholder: '编号、名称或说明' });
  const stage = select('stage', filters.stage, '全部阶段', vocab.stages);
  const category = select('category', filters.category, '全部类别', CATEGORY);
  const year = h('input', {
    type: 'number',
    name: 'planYear',
    value: filters.planYear,
    min: 2000,
    max: 9999,
    inputmode: 'numeric',
  });
  const unit =
    units.length > 0 ? select('unitId', filters.unitId, '全部单位', Object.fromEntries(unitName)) : null;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': '检索项目' },
    field('关键词', text),
    field('阶段', stage),
    field('类别', category),
    field('规划年度', year),
    unit ? field('单位', unit) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '检索')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {
      q: text.value.trim(),
      stage: stage.value,
      category: category.value,
      planYear: year.value,
      unitId: unit?.value ?? '',
      sort: filters.sort,
      order: filters.order,
    };
    location.hash = `#/projects${query(next)}`;
  });
  return form;
}

function projectTable(items, filters, unitName) {
  const sortLink = (key, label) => {
    const active = filters.sort === key;
    const order = active && filters.order === 'desc' ? 'asc' : 'desc';
    return h(
      'a',
      {
        href: `#/projects${query({ ...filters, sort: key, order, page: 1 })}`,
        'aria-label': `按${label}排序`,
      },
      label,
      active ? (filters.order === 'desc' ? ' ↓' : ' ↑') : '',
    );
  };
  const rows = items.map((p) =>
    h(
      'tr',
      {},
      h('td', { 'data-label': '编号' }, h('a', { href: `#/projects/${encodeURIComponent(p.id)}` }, p.id)),
      h('td', { 'data-label': '项目名称' }, p.name),
      h('td', { 'data-label': '单位' }, unitName.get(p.unitId) ?? p.unitId),
      h('td', { 'data-label': '年度' }, p.planYear),
      h('td', { 'data-label': '类别' }, CATEGORY[p.category] ?? '—'),
      h('td', { 'data-label': '总投资', class: 'num' }, fmtYuan(p.totalInvestment)),
      h('td', { 'data-label': '阶段' }, h('span', { class: `stage stage-${p.stage}` }, p.stageName)),
      h('td', { 'data-label': '更新时间' }, fmtDateTime(p.updatedAt)),
    ),
  );
  return h(
    'table',
    { class: 'list' },
    h('caption', { class: 'sr-only' }, '项目列表'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, sortLink('id', '编号')),
        h('th', { scope: 'col' }, sortLink('name', '项目名称')),
        h('th', { scope: 'col' }, '单位'),
        h('th', { scope: 'col' }, sortLink('planYear', '年度')),
        h('th', { scope: 'col' }, '类别'),
        h('th', { scope: 'col', class: 'num' }, sortLink('totalInvestment', '总投资')),
        h('th', { scope: 'col' }, '阶段'),
        h('th', { scope: 'col' }, sortLink('updatedAt', '更新时间')),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function select(name, value, allLabel, options) {
  return h(
    'select',
    { name },
    h('option', { value: '' }, allLabel),
    Object.entries(options).map(([k, label]) => h('option', { value: k, selected: k === value }, label)),
  );
}

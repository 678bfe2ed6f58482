// PUB-1, G-5: the Bureau's 公共类需求征集 — open a collection (all Units or chosen ones, a deadline in working days)
// and see, per collection, which Units answered what, which are still waiting and which did not answer by the
// deadline, and the public projects consolidated from it. The Units answer in their own tasks (任务列表); the Bureau
// consolidates in its task 需求汇总、方案编制与预算编报.
import { ApiError, get, post } from '../api.js';
import {
  add,
  checkbox,
  clearErrors,
  errorSummary,
  field,
  fmtDateTime,
  fmtYuan,
  h,
  section,
  showErrors,
  toast,
} from '../dom.js';
import { bureau, can } from '../session.js';

const STATUS = { answered: '已答复', waiting: '待答复', 'not-answered': '逾期未答复' };
const STATE = { ACTIVE: '进行中', COMPLETED: '已结束', TERMINATED: '已取消' };

function openForm(units) {
  const year = h('input', { type: 'number', min: 2000, max: 2100, value: new Date().getFullYear() + 1 });
  const days = h('input', { type: 'number', min: 1, max: 60, value: 10, inputmode: 'numeric' });
  const all = h('input', { checked: true });
  const boxes = units.map((u) => ({ u, input: h('input', { value: u.id }) }));
  const choice = h(
    'fieldset',
    { class: 'field', hidden: true },
    h('legend', {}, '征集的单位'),
    boxes.map(({ u, input }) => checkbox(u.name, input)),
  );
  choice.dataset.field = 'unitIds';
  all.addEventListener('change', () => {
    choice.hidden = all.checked;
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, '发起征集');
  const form = h(
    'form',
    { novalidate: true, 'aria-label': '发起公共类服务需求征集' },
    errorSummary(),
    h(
      'div',
      { class: 'grid two' },
      field('规划年度', year, { name: 'planYear' }),
      field('提出期限（工作日）', days, {
        name: 'workingDays',
        hint: '自明日起按工作日计算（扣除法定节假日、计入调休上班日），到期日 18:00 截止。',
      }),
    ),
    checkbox('向全部市直单位征集', all, { name: 'allUnits' }),
    choice,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { planYear: Number(year.value), workingDays: Number(days.value) };
    if (!all.checked) body.unitIds = boxes.filter((b) => b.input.checked).map((b) => b.u.id);
    submit.disabled = true;
    try {
      const opened = await post('/needs-collections', body);
      toast(`已发起征集 ${opened.needsCollectionId}，提出期限 ${fmtDateTime(opened.needsCollectionDue)}`);
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
      submit.disabled = false;
    }
  });
  return section('发起公共类服务需求征集', form);
}

function answersTable(c) {
  return h(
    'table',
    { class: 'table' },
    h('caption', {}, `${c.needsCollectionId} 各单位答复`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['单位', '状态', '需求', '需求说明', '估算金额（元）'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      c.answers.map((a) =>
        h(
          'tr',
          { class: `answer-${a.status}` },
          h('th', { scope: 'row' }, a.unitName),
          h('td', {}, STATUS[a.status] ?? a.status),
          h('td', {}, a.hasNeed === null ? '—' : a.hasNeed ? '有需求' : '无需求'),
          h('td', {}, a.needDescription ?? '—'),
          h('td', {}, a.estimatedAmount === null ? '—' : fmtYuan(a.estimatedAmount)),
        ),
      ),
    ),
  );
}

function collectionCard(c) {
  const answered = c.answers.filter((a) => a.status === 'answered').length;
  return section(
    `${c.needsCollectionId}（${c.planYear} 年度）`,
    h(
      'p',
      {},
      `${STATE[c.state] ?? c.state} · 提出期限 ${fmtDateTime(c.needsCollectionDue)} · 已答复 ${answered}/${c.answers.length}`,
    ),
    answersTable(c),
    h('h3', {}, '汇总形成的公共类项目'),
    c.publicProjects.length === 0
      ? h('p', { class: 'muted' }, c.state === 'ACTIVE' ? '尚未形成项目（在任务列表中办理“需求汇总”）' : '无')
      : h(
          'ul',
          {},
          c.publicProjects.map((p) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/projects/${encodeURIComponent(p.projectId)}` },
                `${p.projectId} ${p.projectName}`,
              ),
            ),
          ),
        ),
  );
}

export async function render(main) {
  if (!can.operate()) {
    add(
      main,
      h('h1', {}, '公共类需求征集'),
      h('p', { class: 'notice' }, `公共类服务需求由${bureau()}征集汇总（PUB-1）；单位请在任务列表中答复。`),
    );
    return;
  }
  const [units, collections] = await Promise.all([get('/units'), get('/needs-collections')]);
  add(
    main,
    h('h1', {}, '公共类需求征集'),
    h(
      'p',
      {},
      `${bureau()}向各市直单位征集下一年度公共类服务需求（PUB-1、G-5），汇总后形成公共类项目，经组织论证、资金审核、资金申请立项。`,
    ),
    openForm(units),
    collections.items.length === 0
      ? h('p', { class: 'muted' }, '尚未发起征集。')
      : collections.items.map(collectionCard),
  );
}

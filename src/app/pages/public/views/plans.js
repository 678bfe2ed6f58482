// Annual plans (P-1): a Unit files its next-year plan and sees its filings; the Bureau and others read all.
import { ApiError, get, post, query } from '../api.js';
import { add, clearErrors, errorSummary, field, fmtDateTime, h, section, showErrors, toast } from '../dom.js';
import { can, current } from '../session.js';

export async function render(main, _params, q) {
  const planYear = q.get('planYear') ?? '';
  const [plans, units] = await Promise.all([
    get(`/annual-plans${query({ planYear })}`),
    can.isUnit() ? [] : get('/units').catch(() => []),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  if (current().unitId) unitName.set(current().unitId, current().unitName);

  add(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, '年度政务信息化规划备案'),
      can.operate() ? h('a', { class: 'button', href: '#/ops/campaign' }, '备案进度看板') : null,
    ),
    h(
      'p',
      { class: 'muted' },
      '各市直单位应于每年 11 月 30 日前报送下一年度政务信息化规划（P-1）。规划由经办人准备，经本单位责任科室审核同意后才报出（G-6）；年度规划备案进行中时，在此报送即交责任科室审核。逾期报送的按逾期备案记录。',
    ),
  );
  if (can.writeProjects()) add(main, planForm(plans));

  const rows = plans.map((p) =>
    h(
      'tr',
      {},
      h(
        'td',
        { 'data-label': '备案号' },
        h('a', { href: `#/plans/${encodeURIComponent(p.id)}` }, p.filingNumber),
      ),
      h('td', { 'data-label': '单位' }, unitName.get(p.unitId) ?? p.unitId),
      h('td', { 'data-label': '规划年度' }, p.planYear),
      h('td', { 'data-label': '报送时间' }, fmtDateTime(p.filedAt)),
      h(
        'td',
        { 'data-label': '是否按时' },
        p.onTime
          ? h('span', { class: 'due ok' }, '按时')
          : h('span', { class: 'due overdue' }, `逾期 ${p.daysLate} 天`),
      ),
      h('td', { 'data-label': '概述' }, p.summary),
    ),
  );
  add(
    main,
    section(
      '备案记录',
      plans.length === 0
        ? h('p', { class: 'muted' }, '暂无备案。')
        : h(
            'table',
            { class: 'list' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['备案号', '单位', '规划年度', '报送时间', '是否按时', '概述'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h('tbody', {}, rows),
          ),
    ),
  );
}

/** The 拟申报项目 lines of a plan or a supplement: `element` to show, `read()` for the filled ones. */
export function projectLines() {
  const projects = h('div', { class: 'lines' });
  const addProject = () => {
    const i = projects.children.length;
    const name = h('input', { maxlength: 200, 'data-field': `projects[${i}].name` });
    const amount = h('input', {
      type: 'number',
      min: 0,
      step: 1,
      inputmode: 'numeric',
      'data-field': `projects[${i}].estimatedAmount`,
    });
    const row = h(
      'div',
      { class: 'grid two line' },
      field(`项目 ${i + 1} 名称`, name),
      field(`项目 ${i + 1} 估算金额（元）`, amount),
    );
    row.value = () =>
      name.value.trim() ? { name: name.value.trim(), estimatedAmount: Number(amount.value) } : null;
    projects.append(row);
  };
  addProject();
  const element = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, '拟申报项目（可选）'),
    projects,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: addProject }, '＋ 添加项目')),
  );
  return { element, read: () => [...projects.children].map((r) => r.value()).filter(Boolean) };
}

/** What the page checks before posting a plan or a supplement (the API checks again). */
export function planIssues(body) {
  const issues = [];
  if (!body.summary) issues.push({ field: 'summary', reason: '请填写规划概述' });
  body.projects.forEach((p, i) => {
    if (!Number.isInteger(p.estimatedAmount) || p.estimatedAmount < 0)
      issues.push({ field: `projects[${i}].estimatedAmount`, reason: '请填写金额（元，非负整数）' });
  });
  return issues;
}

/**
 * The plan to file. A year the Unit has filed already is not offered again: the page says so and links to the
 * filing, where its 责任科室 can add a 补充备案.
 */
function planForm(plans) {
  const filedYear = new Map(plans.map((p) => [Number(p.planYear), p]));
  const year = h('input', {
    type: 'number',
    min: 2000,
    max: 9999,
    inputmode: 'numeric',
    value: new Date().getFullYear() + 1,
  });
  const summary = h('textarea', { rows: 4, maxlength: 5000 });
  const contactName = h('input', { maxlength: 100, value: current().displayName ?? '' });
  const contactPhone = h('input', { maxlength: 50, type: 'tel' });
  const projects = projectLines();
  const submit = h('button', { type: 'submit', class: 'primary' }, '报送备案');
  const filed = h('p', { class: 'notice', role: 'status', hidden: true });
  const fields = h('div', {});
  const showFiled = () => {
    const plan = filedYear.get(Number(year.value));
    filed.hidden = !plan;
    fields.hidden = Boolean(plan);
    submit.disabled = Boolean(plan);
    filed.replaceChildren(
      ...(plan
        ? [
            `本单位 ${plan.planYear} 年度规划已备案（${plan.filingNumber}），不能重复报送。`,
            h('a', { href: `#/plans/${encodeURIComponent(plan.id)}` }, '查看备案及补充备案'),
          ]
        : []),
    );
  };
  year.addEventListener('input', showFiled);
  add(
    fields,
    field('规划概述', summary, { name: 'summary', hint: '本单位下一年度政务信息化建设的总体安排。' }),
    h(
      'div',
      { class: 'grid two' },
      field('联系人', contactName, { name: 'contactName' }),
      field('联系电话', contactPhone, { name: 'contactPhone', hint: '经年度规划备案任务报送时必填。' }),
    ),
    projects.element,
  );
  const form = h(
    'form',
    { novalidate: true },
    errorSummary(),
    field('规划年度', year, { name: 'planYear', hint: '默认为下一年度。' }),
    filed,
    fields,
    h('div', { class: 'actions' }, submit),
  );
  showFiled();
  const read = () => ({
    planYear: Number(year.value),
    summary: summary.value.trim(),
    ...(contactName.value.trim() ? { contactName: contactName.value.trim() } : {}),
    ...(contactPhone.value.trim() ? { contactPhone: contactPhone.value.trim() } : {}),
    projects: projects.read(),
  });
  form.addEventListener('submit', (event) => sendPlan(event, form, submit, read()));
  return section('报送年度规划', form);
}

/**
 * Posts the plan. In a campaign it completes the Unit's 报送 or 修改 task and waits for the 责任科室 (G-6, 202);
 * otherwise the section's own filing is numbered at once (201).
 */
async function sendPlan(event, form, submit, body) {
  event.preventDefault();
  clearErrors(form);
  const issues = planIssues(body);
  if (issues.length > 0) return showErrors(form, { detail: '请更正标出的内容', errors: issues });
  submit.disabled = true;
  try {
    const plan = await post('/annual-plans', body);
    toast(
      plan.status === 'awaiting-section'
        ? `${plan.planYear} 年度规划已交本单位责任科室审核，同意后报出备案`
        : `已备案，备案号 ${plan.filingNumber}${plan.onTime ? '' : `（逾期 ${plan.daysLate} 天）`}`,
    );
    dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (e) {
    showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
    submit.disabled = false;
  }
}

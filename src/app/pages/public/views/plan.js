// One annual plan filing (P-1): its number, Unit, year, when it was filed and whether on time, its summary and the
// projects it announces, and every 补充备案 added to it since. The Unit's 责任科室 adds a supplement here (G-6: the
// section's filing is its sign-off); the staff is told that the section files it.
import { ApiError, get, post } from '../api.js';
import {
  add,
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
import { can, current } from '../session.js';
import { planIssues, projectLines } from './plans.js';

export async function render(main, params) {
  const [plan, units] = await Promise.all([
    get(`/annual-plans/${encodeURIComponent(params.id)}`),
    can.isUnit() ? [] : get('/units').catch(() => []),
  ]);
  const me = current();
  const unitName =
    me.unitId === plan.unitId ? me.unitName : (units.find((u) => u.id === plan.unitId)?.name ?? plan.unitId);
  add(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/plans' }, '← 返回年度规划备案')),
    h('div', { class: 'page-head' }, h('h1', {}, `${plan.planYear} 年度政务信息化规划备案`)),
    h(
      'dl',
      { class: 'facts' },
      ...fact('备案号', plan.filingNumber),
      ...fact('单位', unitName),
      ...fact('报送时间', fmtDateTime(plan.filedAt)),
      ...fact('是否按时', plan.onTime ? '按时' : `逾期 ${plan.daysLate} 天`),
    ),
    section('规划概述', h('p', { class: 'prewrap' }, plan.summary), projectsTable(plan.content?.projects)),
    section(
      '补充备案',
      plan.supplements.length === 0
        ? h('p', { class: 'muted' }, '暂无补充备案。')
        : h(
            'ol',
            { class: 'plain supplements' },
            plan.supplements.map((s) =>
              h(
                'li',
                {},
                h(
                  'p',
                  {},
                  h('strong', {}, s.filingNumber),
                  `　${fmtDateTime(s.filedAt)}${s.afterDeadline ? '（备案截止日后报送）' : ''}`,
                ),
                h('p', { class: 'prewrap' }, s.summary),
                projectsTable(s.content?.projects),
              ),
            ),
          ),
      supplementAction(plan),
    ),
  );
}

const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];

function projectsTable(projects) {
  if (!Array.isArray(projects) || projects.length === 0) return null;
  return h(
    'table',
    { class: 'list' },
    h('caption', { class: 'sr-only' }, '拟申报项目'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['拟申报项目', '估算金额'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      projects.map((p) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': '拟申报项目' }, p.name),
          h('td', { 'data-label': '估算金额' }, fmtYuan(p.estimatedAmount)),
        ),
      ),
    ),
  );
}

/** The section of the plan's Unit adds a supplement; its staff is told who does; everyone else reads. */
function supplementAction(plan) {
  const me = current();
  if (!can.writeProjects() || me.unitId !== plan.unitId) return null;
  if (!me.roles.includes('unit-section'))
    return h('p', { class: 'notice' }, '补充备案须经本单位责任科室审核，由责任科室在此报送（G-6）。');
  const summary = h('textarea', { rows: 4, maxlength: 5000 });
  const projects = projectLines();
  const submit = h('button', { type: 'submit', class: 'primary' }, '报送补充备案');
  const form = h(
    'form',
    { novalidate: true },
    errorSummary(),
    field('补充内容', summary, {
      name: 'summary',
      hint: '对已备案规划的补充或调整，另行编号备案，原备案不变。',
    }),
    projects.element,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { summary: summary.value.trim(), projects: projects.read() };
    const issues = planIssues(body).map((i) =>
      i.field === 'summary' ? { ...i, reason: '请填写补充内容' } : i,
    );
    if (issues.length > 0) return showErrors(form, { detail: '请更正标出的内容', errors: issues });
    submit.disabled = true;
    try {
      const filed = await post(`/annual-plans/${encodeURIComponent(plan.id)}/supplements`, body);
      toast(`已补充备案，备案号 ${filed.filingNumber}`);
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
      submit.disabled = false;
    }
  });
  return h('div', {}, h('h3', {}, '报送补充备案'), form);
}

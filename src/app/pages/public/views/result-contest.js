// IM-4, AC-3 (issue 11): the project's owner reads a third party's result but does not write it — while it rectifies
// a failed 应用软件第三方测试, 第三方验收测评 or 信息安全测评 it may contest that result with its reasons. The Bureau decides (its task); the
// page offers the contest only for a result whose rectification is waiting, and the server checks it again.

import { ApiError, post } from '../api.js';
import { clearErrors, errorSummary, field, h, section, showErrors, toast } from '../dom.js';
import { bureau } from '../session.js';

/** The rectification step of each contestable result, as the timeline's waiting steps name it. */
const CONTESTABLE = [
  { result: 'software-test', step: 'Task_FixTestDefects', name: '应用软件第三方测试' },
  { result: 'acceptance-test', step: 'Task_RectifyAcceptanceTest', name: '第三方验收测评' },
  { result: 'security-assessment', step: 'Task_RectifySecurityAssessment', name: '信息安全测评' },
];

/** The results whose rectification is waiting now (the only ones the server lets the owner contest). */
export function contestableResults(timeline) {
  const waiting = new Set((timeline?.waiting ?? []).map((w) => w.elementId));
  return CONTESTABLE.filter((c) => waiting.has(c.step));
}

export function resultContestForm(project, results) {
  const result = h(
    'select',
    { name: 'result' },
    results.map((c) => h('option', { value: c.result }, `${c.name}结论（未通过）`)),
  );
  const reasons = h('textarea', { rows: 4, maxlength: 5000 });
  const submit = h('button', { type: 'submit', class: 'primary' }, '提出异议');
  const form = h(
    'form',
    { novalidate: true },
    errorSummary(),
    h(
      'p',
      { class: 'hint' },
      `测试、测评结论由受委托的测评机构出具，项目负责方不能修改（IM-4、AC-3）。对未通过的结论有异议的，写明理由提交${bureau()}审查：审查期间整改暂停；维持原结论的继续整改，异议成立的由原测评机构重新测评。`,
    ),
    field('提出异议的结论', result, { name: 'result' }),
    field('异议理由', reasons, { name: 'reasons', hint: '写明对结论不认同之处及依据。' }),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const text = reasons.value.trim();
    if (!text) {
      return showErrors(form, {
        detail: '异议理由必填',
        errors: [{ field: 'reasons', reason: '请写明异议理由' }],
      });
    }
    submit.disabled = true;
    try {
      const r = await post(`/projects/${encodeURIComponent(project.id)}/result-contests`, {
        result: result.value,
        reasons: text,
      });
      toast(r.message);
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
      submit.disabled = false;
    }
  });
  return section('对测评结论提出异议', form);
}

// Create or edit a project draft. The form explains the three things that decide whether an application can go
// ahead — 涉密 (G-9), the 政务数据共享资源目录 and the IPv6 commitment (PRO-1) — checks what it can before sending,
// and shows every refusal of the API next to its field (`serviceLines[0].amount`…).
import { ApiError, get, patch, post } from '../api.js';
import { add, checkbox, clearErrors, errorSummary, field, h, showErrors, toast, uid } from '../dom.js';
import { can, current, vocabSync } from '../session.js';
import { fundingIssues, fundingLinesEditor, withSingleLineTotal } from './funding-lines.js';

const CLASSIFIED_NOTE =
  '本办法仅适用于非涉密市级政务信息化服务项目（G-9）。涉密项目请按涉密信息系统有关规定办理，本系统不予受理。';

export async function render(main, params) {
  const vocab = vocabSync();
  const editing = Boolean(params.id);
  const project = editing ? await get(`/projects/${encodeURIComponent(params.id)}`) : null;
  if (!can.writeProjects()) {
    add(
      main,
      h('h1', {}, '新建项目'),
      h('p', { class: 'notice' }, '只有本单位经办人员或责任科室可以编制项目申报材料（G-6）。'),
    );
    return;
  }
  if (project && project.stage !== 'draft') {
    add(
      main,
      h('h1', {}, '修改项目草稿'),
      h('p', { class: 'notice' }, `项目处于“${project.stageName}”阶段，只有草稿可以修改。`),
      h('a', { href: `#/projects/${encodeURIComponent(project.id)}` }, '返回项目'),
    );
    return;
  }

  const general = generalControls(project);
  const classified = classifiedQuestion(project);
  const catalogue = h('input', { name: 'hasDataCatalogue' });
  catalogue.checked = project?.hasDataCatalogue ?? false;
  const ipv6 = h('input', { name: 'supportsIpv6' });
  ipv6.checked = project?.supportsIpv6 ?? false;
  const lines = serviceLinesEditor(vocab, project);
  const funding = fundingLinesEditor(vocab, project);

  const submit = h('button', { type: 'submit', class: 'primary' }, editing ? '保存草稿' : '创建草稿');
  const form = h(
    'form',
    { class: 'project-form', novalidate: true },
    errorSummary(),
    generalFields(general),
    classified.fieldset,
    conditionsFieldset(catalogue, ipv6),
    lines.fieldset,
    funding.fieldset,
    h(
      'div',
      { class: 'actions' },
      submit,
      h(
        'a',
        { class: 'button', href: project ? `#/projects/${encodeURIComponent(project.id)}` : '#/projects' },
        '取消',
      ),
    ),
  );
  const controls = { ...general, funding, classified, catalogue, ipv6, lines: lines.list };
  form.addEventListener('submit', (event) => submitDraft(event, form, submit, project, controls));

  add(
    main,
    h('h1', {}, editing ? `修改项目草稿 ${project.id}` : '新建项目'),
    h('p', { class: 'muted' }, '保存为草稿后可继续修改；材料齐全后在项目页面提交立项申请。标 * 的为必填项。'),
    form,
  );
  classified.update();
}

/** Name, description and plan year. */
function generalControls(project) {
  const nextYear = new Date().getFullYear() + 1;
  const name = h('input', {
    name: 'projectName',
    maxlength: 200,
    required: true,
    value: project?.name ?? '',
  });
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 5000 });
  description.value = project?.description ?? '';
  const planYear = h('input', {
    name: 'planYear',
    type: 'number',
    min: 2000,
    max: 9999,
    inputmode: 'numeric',
    required: true,
    value: project?.planYear ?? nextYear,
  });
  return { name, description, planYear };
}

function generalFields({ name, description, planYear }) {
  return [
    h(
      'div',
      { class: 'grid two' },
      field('项目名称 *', name, { name: 'projectName' }),
      field('规划年度 *', planYear, {
        name: 'planYear',
        hint: '项目所属的年度；应已列入本单位该年度的政务信息化规划（P-1）。',
      }),
    ),
    field('项目说明', description, { name: 'description', hint: '建设内容、目标和必要性的简要说明。' }),
  ];
}

/** 涉密: a required yes/no, asked explicitly (a radio group) because the answer decides everything else. */
function classifiedQuestion(project) {
  const classifiedName = uid('classified');
  const no = h('input', { type: 'radio', name: classifiedName, value: 'false', id: uid('r') });
  const yes = h('input', { type: 'radio', name: classifiedName, value: 'true', id: uid('r') });
  if (project) (project.classified ? yes : no).checked = true;
  const warning = h('p', { class: 'notice warn', role: 'alert', hidden: true }, CLASSIFIED_NOTE);
  const err = h('p', { class: 'field-error', id: `${no.id}-err`, hidden: true });
  no.dataset.field = 'classified';
  const update = () => {
    warning.hidden = !yes.checked;
  };
  no.addEventListener('change', update);
  yes.addEventListener('change', update);
  const hint = uid('h');
  for (const r of [no, yes]) r.setAttribute('aria-describedby', `${hint} ${err.id}`);
  const fieldset = h(
    'fieldset',
    { class: 'field radios', 'data-field-wrapper': 'classified' },
    h('legend', {}, '是否涉密 ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
    h('div', { class: 'check-row' }, no, h('label', { for: no.id }, '否，非涉密项目')),
    h('div', { class: 'check-row' }, yes, h('label', { for: yes.id }, '是，涉密项目')),
    h('p', { class: 'hint', id: hint }, CLASSIFIED_NOTE),
    err,
    warning,
  );
  return { fieldset, yes, no, update };
}

/** The two conditions of an application (PRO-1). */
function conditionsFieldset(catalogue, ipv6) {
  return h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, '立项申请必备条件（PRO-1）'),
    checkbox('已同步编制政务数据共享资源目录', catalogue, {
      name: 'hasDataCatalogue',
      hint: '申请立项时须同步提交政务数据共享资源目录；缺少的申请可以保存为草稿，但不能提交。',
    }),
    checkbox('承诺项目支持 IPv6', ipv6, {
      name: 'supportsIpv6',
      hint: '申请立项的项目必须支持 IPv6，验收时将再次核查（PRO-1、AC-2）。',
    }),
  );
}

/** The service lines (G-4): one editor per line, added and removed in place. */
function serviceLinesEditor(vocab, project) {
  const list = h('div', { class: 'lines' });
  const addLine = (line) => {
    list.append(lineEditor(vocab, line, renumber));
    renumber();
  };
  const renumber = () => {
    for (const [i, row] of [...list.children].entries()) row.renumber(i);
  };
  for (const line of project?.serviceLines ?? [{}]) addLine(line);
  const linesErr = h('p', { class: 'field-error', id: 'serviceLines-err', hidden: true });
  const linesAnchor = h('span', { id: 'serviceLines', 'data-field': 'serviceLines', tabindex: '-1' });
  const fieldset = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, '服务内容（G-4）', linesAnchor),
    h(
      'p',
      { class: 'hint' },
      '按服务类型和子类逐项填写金额（元，整数）。运维、业务运营和第三方服务须注明所服务的系统，以确定公共类或专业类（G-5、G-6）。',
    ),
    linesErr,
    list,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => addLine({}) }, '＋ 添加一项服务内容'),
    ),
  );
  return { fieldset, list };
}

/** Checks the draft as far as the page can, then creates or saves it; the API's refusals go next to their fields. */
async function submitDraft(event, form, submit, project, controls) {
  event.preventDefault();
  clearErrors(form);
  const { name, description, planYear, funding, classified, catalogue, ipv6, lines } = controls;
  const body = {
    projectName: name.value.trim(),
    description: description.value.trim(),
    planYear: Number(planYear.value),
    fundingLines: funding.value(),
    classified: classified.yes.checked ? true : classified.no.checked ? false : undefined,
    hasDataCatalogue: catalogue.checked,
    supportsIpv6: ipv6.checked,
    serviceLines: [...lines.children].map((row) => row.value()),
  };
  body.fundingLines = withSingleLineTotal(body.fundingLines, body.serviceLines);
  const issues = draftIssues(body);
  if (issues.length > 0) {
    showErrors(form, { detail: '请更正标出的内容', errors: issues });
    return;
  }
  if (body.classified) {
    showErrors(form, {
      detail: CLASSIFIED_NOTE,
      errors: [{ field: 'classified', reason: '涉密项目不予受理' }],
    });
    return;
  }
  if (!body.description) delete body.description;
  submit.disabled = true;
  try {
    const result = project
      ? await patch(`/projects/${encodeURIComponent(project.id)}`, { version: project.version, ...body })
      : await post('/projects', { ...body, unitId: current().unitId });
    toast(project ? '草稿已保存' : `已创建项目草稿 ${result.project.id}`);
    location.hash = `#/projects/${encodeURIComponent(result.project.id)}`;
  } catch (e) {
    showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
  } finally {
    submit.disabled = false;
  }
}

/** What the page can check before sending; drops the lines' needsRelatedTo, which is not sent. */
function draftIssues(body) {
  const issues = [];
  if (!body.projectName) issues.push({ field: 'projectName', reason: '请填写项目名称' });
  if (!Number.isInteger(body.planYear) || body.planYear < 2000 || body.planYear > 9999) {
    issues.push({ field: 'planYear', reason: '请填写四位数的年度' });
  }
  issues.push(...fundingIssues(body.fundingLines));
  if (body.classified === undefined) issues.push({ field: 'classified', reason: '请声明项目是否涉密' });
  if (body.serviceLines.length === 0) issues.push({ field: 'serviceLines', reason: '至少需要一项服务内容' });
  body.serviceLines.forEach((line, i) => {
    if (!line.serviceType) issues.push({ field: `serviceLines[${i}].serviceType`, reason: '请选择服务类型' });
    if (!line.subType) issues.push({ field: `serviceLines[${i}].subType`, reason: '请选择服务子类' });
    if (!Number.isInteger(line.amount) || line.amount < 0) {
      issues.push({ field: `serviceLines[${i}].amount`, reason: '请填写金额（元，非负整数）' });
    }
    if (line.needsRelatedTo && !line.relatedTo) {
      issues.push({ field: `serviceLines[${i}].relatedTo`, reason: '请选择所服务的系统' });
    }
    delete line.needsRelatedTo;
  });
  return issues;
}

/** One service line: type, subtype, amount, and the related system where the category depends on it. */
function lineEditor(vocab, line, onRemove) {
  const { type, sub, amount, related } = lineControls(vocab, line);
  const fillSub = (selected) => {
    const subTypes = vocab.serviceTypes[type.value]?.subTypes ?? {};
    sub.replaceChildren(
      h('option', { value: '' }, '请选择'),
      ...Object.entries(subTypes).map(([k, label]) =>
        h('option', { value: k, selected: selected === k }, label),
      ),
    );
  };
  const needsRelated = () => (vocab.relatedNeeded[type.value] ?? []).includes(sub.value);
  const typeField = field('服务类型', type);
  const subField = field('服务子类', sub);
  const amountField = field('金额（元）', amount);
  const relatedField = field('所服务的系统', related, { hint: '决定该项服务属于公共类还是专业类' });
  const updateRelated = () => {
    relatedField.hidden = !needsRelated();
  };
  type.addEventListener('change', () => {
    fillSub('');
    updateRelated();
  });
  sub.addEventListener('change', updateRelated);
  fillSub(line.subType);
  updateRelated();

  const title = h('h3', {});
  const remove = h('button', { type: 'button', class: 'link-button danger' }, '删除');
  const row = h(
    'div',
    { class: 'line' },
    h('div', { class: 'line-head' }, title, remove),
    h('div', { class: 'grid four' }, typeField, subField, amountField, relatedField),
  );
  remove.addEventListener('click', () => {
    const list = row.parentElement;
    if (list.children.length === 1) return;
    row.remove();
    onRemove();
    list.querySelector('select')?.focus();
  });
  row.renumber = (i) => {
    title.textContent = `第 ${i + 1} 项`;
    remove.setAttribute('aria-label', `删除第 ${i + 1} 项服务内容`);
    const set = (control, key) => {
      control.dataset.field = `serviceLines[${i}].${key}`;
    };
    set(type, 'serviceType');
    set(sub, 'subType');
    set(amount, 'amount');
    set(related, 'relatedTo');
  };
  row.value = () => {
    const value = {
      serviceType: type.value,
      subType: sub.value,
      amount: amount.value === '' ? Number.NaN : Number(amount.value),
      needsRelatedTo: needsRelated(),
    };
    if (needsRelated() && related.value) value.relatedTo = related.value;
    return value;
  };
  return row;
}

/** A line's four controls, filled with the line's values (the subtype by fillSub, once the type is known). */
function lineControls(vocab, line) {
  const type = h(
    'select',
    {},
    h('option', { value: '' }, '请选择'),
    Object.entries(vocab.serviceTypes).map(([k, t]) =>
      h('option', { value: k, selected: line.serviceType === k }, t.name),
    ),
  );
  const sub = h('select', {});
  const amount = h('input', {
    type: 'number',
    min: 0,
    step: 1,
    inputmode: 'numeric',
    value: line.amount ?? '',
  });
  const related = h(
    'select',
    {},
    h('option', { value: '' }, '请选择'),
    Object.entries(vocab.relatedTo).map(([k, label]) =>
      h('option', { value: k, selected: line.relatedTo === k }, label),
    ),
  );
  return { type, sub, amount, related };
}

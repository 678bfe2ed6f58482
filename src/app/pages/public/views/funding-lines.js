// The funding part of the application form (G-3): a project may be co-funded, so the Unit lists its sources — a
// closed vocabulary (市级财政资金, 省级资金, 中央（国家）资金, 单位自筹, 其他) — each with an amount in 元. The lines
// must add up to the total of the service lines and include city-level fiscal funds; the API says so by field
// (`fundingLines`, `fundingLines[0].amount`…), shown next to the line. Projects with 中央资金 are coordinated with
// the national side by the Bureau (IM-1).
import { field, h } from '../dom.js';
import { bureau } from '../session.js';

/** The funding lines editor: its fieldset, and `value()` giving the lines as the API takes them. */
export function fundingLinesEditor(vocab, project) {
  const list = h('div', { class: 'lines funding-lines' });
  const renumber = () => {
    for (const [i, row] of [...list.children].entries()) row.renumber(i);
  };
  const addLine = (line) => {
    list.append(fundingLineEditor(vocab, line, renumber));
    renumber();
  };
  // One source carries the whole total: its amount is left empty and follows the service lines.
  const saved = project?.fundingLines ?? [];
  const initial = saved.length > 1 ? saved : [{ source: saved[0]?.source ?? 'city-fiscal' }];
  for (const line of initial) addLine(line);
  const err = h('p', { class: 'field-error', id: 'fundingLines-err', hidden: true });
  const anchor = h('span', { id: 'fundingLines', 'data-field': 'fundingLines', tabindex: '-1' });
  const fieldset = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, '资金来源 *（G-3）', anchor),
    h(
      'p',
      { class: 'hint' },
      `逐项填写资金来源及金额（元，整数），合计须等于各项服务内容金额之和（项目总投资）；只有一项资金来源时金额可留空，按项目总投资计。须含市级财政资金；没有市级财政资金的项目不在本系统受理。含中央（国家）资金的项目，立项后由${bureau()}与国家有关方面衔接（IM-1）。`,
    ),
    err,
    list,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => addLine({}) }, '＋ 添加一项资金来源'),
    ),
  );
  return { fieldset, value: () => [...list.children].map((row) => row.value()) };
}

function fundingLineEditor(vocab, line, onRemove) {
  const source = h(
    'select',
    {},
    h('option', { value: '' }, '请选择'),
    Object.entries(vocab.fundingSources).map(([k, label]) =>
      h('option', { value: k, selected: line.source === k }, label),
    ),
  );
  const amount = h('input', {
    type: 'number',
    min: 1,
    step: 1,
    inputmode: 'numeric',
    value: line.amount ?? '',
  });
  const remove = h('button', { type: 'button', class: 'link-button danger' }, '删除');
  const title = h('h3', {});
  const row = h(
    'div',
    { class: 'line' },
    h('div', { class: 'line-head' }, title, remove),
    h('div', { class: 'grid two' }, field('资金来源', source), field('出资额（元）', amount)),
  );
  remove.addEventListener('click', () => {
    const list = row.parentElement;
    if (list.children.length === 1) return;
    row.remove();
    onRemove();
  });
  row.renumber = (i) => {
    title.textContent = `资金来源第 ${i + 1} 项`;
    remove.setAttribute('aria-label', `删除第 ${i + 1} 项资金来源`);
    source.dataset.field = `fundingLines[${i}].source`;
    amount.dataset.field = `fundingLines[${i}].amount`;
  };
  row.value = () => ({
    source: source.value,
    amount: amount.value === '' ? Number.NaN : Number(amount.value),
  });
  return row;
}

/** A single line left without an amount carries the whole total investment (the sum of the service lines). */
export function withSingleLineTotal(lines, serviceLines) {
  const total = serviceLines.reduce((sum, l) => sum + l.amount, 0);
  if (lines.length === 1 && Number.isNaN(lines[0].amount) && Number.isInteger(total)) {
    return [{ ...lines[0], amount: total }];
  }
  return lines;
}

/** What the page can check of the funding lines before sending (the API checks the sum and G-3). */
export function fundingIssues(lines) {
  const issues = [];
  if (lines.length === 0) issues.push({ field: 'fundingLines', reason: '至少需要一项资金来源' });
  lines.forEach((line, i) => {
    if (!line.source) issues.push({ field: `fundingLines[${i}].source`, reason: '请选择资金来源' });
    const derived = lines.length === 1 && Number.isNaN(line.amount); // the service lines' own issues say why
    if (!derived && (!Number.isInteger(line.amount) || line.amount <= 0)) {
      issues.push({ field: `fundingLines[${i}].amount`, reason: '请填写金额（元，正整数）' });
    }
  });
  return issues;
}

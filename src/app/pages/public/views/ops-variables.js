// One instance's variables panel (Operate's): the variables of each scope — the process and every element instance
// that holds variables or is under way — with an edit per variable and an "add" per active scope. Values are JSON, as
// in Operate (text in quotes). Protected variables (identity, amounts, decisions: IM-9, SV-4) are listed by name only
// and cannot be edited. Every edit needs a reason, which the audit log keeps.
import { ApiError, api, get } from '../api.js';
import { h, section, toast, uid } from '../dom.js';

const refresh = () => dispatchEvent(new HashChangeEvent('hashchange'));

function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** An inline editor: name (fixed or typed), JSON value, reason; saves to the scope. */
function editor(key, scope, name, value, onClose) {
  const ids = { name: uid('vn'), value: uid('vv'), reason: uid('vr') };
  const nameInput = h('input', {
    id: ids.name,
    name: 'name',
    value: name ?? '',
    readonly: name !== null,
    required: true,
  });
  const valueInput = h(
    'textarea',
    { id: ids.value, name: 'value', rows: 2, required: true },
    value === undefined ? '' : JSON.stringify(value),
  );
  const reason = h('textarea', { id: ids.reason, name: 'reason', rows: 2, required: true, maxlength: 2000 });
  const form = h(
    'form',
    { class: 'variable-editor' },
    h('label', { for: ids.name }, '变量名'),
    nameInput,
    h('label', { for: ids.value }, '变量值（JSON，文本须加引号）'),
    valueInput,
    h('label', { for: ids.reason }, '修改原因（将记入审计日志）'),
    reason,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, '保存'),
      h('button', { type: 'button', onclick: onClose }, '取消'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const parsed = parseJson(valueInput.value);
    if (!nameInput.value.trim()) return toast('请填写变量名', 'error');
    if (!parsed.ok) return toast('变量值须为 JSON：文本请加英文引号，如 "说明"', 'error');
    if (!reason.value.trim()) return toast('必须填写修改原因', 'error');
    try {
      await api(
        'PUT',
        `/ops/instances/${encodeURIComponent(key)}/scopes/${encodeURIComponent(scope.scopeKey)}/variables`,
        {
          variables: { [nameInput.value.trim()]: parsed.value },
          reason: reason.value.trim(),
        },
      );
      toast('变量已修改');
      refresh();
    } catch (e) {
      toast(e instanceof ApiError ? e.detail : String(e), 'error');
    }
  });
  return form;
}

function scopeBlock(key, scope, editable) {
  const slot = h('div', {});
  const open = (name, value) => () => {
    slot.replaceChildren(editor(key, scope, name, value, () => slot.replaceChildren()));
  };
  const canEdit = editable && scope.state === 'ACTIVE';
  const rows = scope.variables.map((v) =>
    h(
      'tr',
      { 'data-variable': v.name },
      h('th', { scope: 'row' }, v.name),
      h('td', {}, h('code', {}, JSON.stringify(v.value))),
      h(
        'td',
        {},
        canEdit
          ? h(
              'button',
              { type: 'button', onclick: open(v.name, v.value), 'aria-label': `修改 ${v.name}` },
              '修改',
            )
          : '',
      ),
    ),
  );
  const title =
    scope.scopeKey === key
      ? `流程（${scope.elementId}）`
      : `${scope.elementName ?? scope.elementId}（${scope.elementId}）`;
  return h(
    'div',
    { class: 'scope', 'data-scope': scope.scopeKey, 'data-element': scope.elementId },
    h('h3', {}, title, scope.state === 'ACTIVE' ? '' : h('small', { class: 'muted' }, ' · 已结束')),
    scope.variables.length > 0
      ? h(
          'table',
          { class: 'list variables' },
          h('thead', {}, h('tr', {}, h('th', {}, '变量'), h('th', {}, '值'), h('th', {}, ''))),
          h('tbody', {}, rows),
        )
      : h('p', { class: 'muted' }, '此作用域没有可查看的变量。'),
    scope.protectedNames.length > 0
      ? h(
          'p',
          { class: 'hint protected' },
          `受保护的变量（决定、金额、标识，不显示、不可修改）：${scope.protectedNames.join('、')}`,
        )
      : null,
    canEdit ? h('button', { type: 'button', onclick: open(null, undefined) }, '添加变量') : null,
    slot,
  );
}

/** The variables section of instance `key` (editable while the instance runs). */
export async function variablesSection(key, running) {
  const { scopes } = await get(`/ops/instances/${encodeURIComponent(key)}/scopes`);
  return section(
    '变量',
    scopes.map((s) => scopeBlock(key, s, running)),
  );
}

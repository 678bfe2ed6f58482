// The operations page's admin work: the unresolved incidents grouped by error type with "retry all of this kind",
// and batch cancel / retry of the list's current filter — a confirmation that says how many instances the filter
// finds and asks for the reason, then the batch's progress (done / failed / pending) until it is through; an
// interrupted batch can be resumed. Every action needs a reason, which the audit log keeps.
import { ApiError, api, get, post, query } from '../api.js';
import { fmtDateTime, h, section, toast, uid } from '../dom.js';

export const ERROR_TYPES = {
  JOB_NO_RETRIES: '作业重试次数用尽',
  EXECUTION_LISTENER_NO_RETRIES: '执行监听器重试次数用尽',
  EXTRACT_VALUE_ERROR: '表达式或条件求值失败',
  CONDITION_ERROR: '网关条件求值失败',
  IO_MAPPING_ERROR: '变量映射失败',
  CALLED_ELEMENT_ERROR: '被调用流程不存在',
  UNHANDLED_ERROR_EVENT: '未处理的 BPMN 错误',
  MESSAGE_SIZE_EXCEEDED: '消息过大',
  CALLED_DECISION_ERROR: '决策不存在',
  DECISION_EVALUATION_ERROR: '决策求值失败',
  FORM_NOT_FOUND: '表单不存在',
  RESOURCE_NOT_FOUND: '资源不存在',
  UNKNOWN: '未知故障',
};

const OPERATIONS = { cancel: '批量取消', retry: '批量重试' };
const refresh = () => dispatchEvent(new HashChangeEvent('hashchange'));
const message = (e) => (e instanceof ApiError ? e.detail : String(e));

/** A reason field and a confirm button: `onConfirm(reason)` runs once the reason is filled in. */
export function reasonForm(label, confirmText, onConfirm, onCancel) {
  const id = uid('reason');
  const reason = h('textarea', { id, name: 'reason', rows: 2, required: true, maxlength: 2000 });
  const confirm = h('button', { type: 'submit', class: 'danger' }, confirmText);
  const form = h(
    'form',
    { class: 'confirm-panel' },
    h('label', { for: id }, label),
    reason,
    h(
      'div',
      { class: 'actions' },
      confirm,
      h('button', { type: 'button', onclick: () => onCancel(form) }, '取消'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) return toast('必须填写操作原因（将记入审计日志）', 'error');
    confirm.disabled = true;
    try {
      await onConfirm(reason.value.trim(), form);
    } finally {
      confirm.disabled = false;
    }
  });
  return form;
}

export function incidentGroupsSection(groups) {
  if (groups.total === 0) return null;
  return section(
    `故障类型（${groups.total} 个未解决）`,
    h(
      'table',
      { class: 'list incident-groups' },
      h('caption', { class: 'sr-only' }, '按故障类型分组'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['故障类型', '故障数', '实例数', '节点', '示例信息', ''].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, groups.groups.map(groupRow)),
    ),
  );
}

function groupRow(g) {
  const name = ERROR_TYPES[g.errorType] ?? g.errorType;
  const cell = h('td', {});
  const retry = h(
    'button',
    { type: 'button', class: 'primary', 'aria-label': `重试全部：${name}` },
    `重试全部 ${g.count} 个`,
  );
  retry.addEventListener('click', () => {
    retry.hidden = true;
    cell.append(
      reasonForm(
        `重试全部 ${g.count} 个“${name}”故障的原因`,
        '确认重试',
        async (reason) => {
          try {
            const r = await post('/ops/incident-groups/retry', { errorType: g.errorType, reason });
            toast(
              `已重试 ${r.retried} / ${r.total} 个故障${r.failed.length ? `，${r.failed.length} 个失败` : ''}`,
            );
            refresh();
          } catch (e) {
            toast(message(e), 'error');
          }
        },
        (form) => {
          form.remove();
          retry.hidden = false;
        },
      ),
    );
  });
  cell.append(retry);
  return h(
    'tr',
    { 'data-error-type': g.errorType },
    h('td', { 'data-label': '故障类型' }, name),
    h('td', { 'data-label': '故障数' }, String(g.count)),
    h('td', { 'data-label': '实例数' }, String(g.instances)),
    h('td', { 'data-label': '节点' }, g.elementIds.join('、')),
    h('td', { 'data-label': '示例信息' }, g.sampleMessage),
    cell,
  );
}

/** Batch cancel / retry of the current filter: preview (the count), reason, then progress. */
export function batchSection(filter) {
  const slot = h('div', { class: 'batch-slot', 'aria-live': 'polite' });
  const start = (operation) => async () => {
    slot.replaceChildren();
    let preview;
    try {
      preview = await get(`/ops/batches/preview${query({ operation, ...filter })}`);
    } catch (e) {
      return toast(message(e), 'error');
    }
    if (preview.count === 0) {
      slot.append(h('p', { class: 'notice' }, `当前筛选条件下没有可${OPERATIONS[operation]}的运行中实例。`));
      return;
    }
    const verb = operation === 'cancel' ? '取消' : '重试';
    slot.append(
      h(
        'p',
        { class: 'notice warn', 'data-count': preview.count },
        `将${verb} ${preview.count} 个流程实例。`,
      ),
      reasonForm(
        `${OPERATIONS[operation]}的原因`,
        `确认${verb} ${preview.count} 个`,
        async (reason) => {
          try {
            const batch = await post('/ops/batches', {
              operation,
              filter,
              reason,
              expectedCount: preview.count,
            });
            await follow(slot, batch);
          } catch (e) {
            toast(message(e), 'error');
          }
        },
        () => slot.replaceChildren(),
      ),
    );
  };
  return h(
    'div',
    { class: 'batch' },
    h(
      'div',
      { class: 'actions batch-actions' },
      h('button', { type: 'button', onclick: start('cancel') }, '批量取消（当前筛选）'),
      h('button', { type: 'button', onclick: start('retry') }, '批量重试（当前筛选）'),
    ),
    slot,
  );
}

function progressLine(b) {
  return h(
    'p',
    { class: 'batch-progress', 'data-state': b.state },
    `${OPERATIONS[b.operation] ?? b.operation}：共 ${b.total} 个，已完成 ${b.done}，失败 ${b.failed}，待处理 ${b.pending}`,
    b.state === 'completed' ? '（已全部处理）' : b.state === 'interrupted' ? '（已中断）' : '（处理中…）',
  );
}

/** Polls the batch until nothing is pending, showing its progress, then each failed instance's reason. */
async function follow(slot, batch) {
  let b = batch;
  for (;;) {
    slot.replaceChildren(progressLine(b));
    if (b.pending === 0 || b.state === 'interrupted') break;
    await new Promise((r) => setTimeout(r, 500));
    b = await get(`/ops/batches/${b.id}`);
  }
  const failed = (b.items ?? []).filter((i) => i.state === 'failed');
  if (failed.length > 0) {
    slot.append(
      h(
        'ul',
        { class: 'batch-failures' },
        failed.map((i) =>
          h(
            'li',
            {},
            h('a', { href: `#/ops/instances/${i.processInstanceKey}` }, i.processInstanceKey),
            `：${i.detail}`,
          ),
        ),
      ),
    );
  }
  slot.append(h('button', { type: 'button', onclick: refresh }, '刷新列表'));
}

/** The recent batches; an interrupted one can be resumed. */
export async function batchHistory() {
  const batches = await get('/ops/batches');
  if (batches.length === 0) return null;
  return section(
    '最近的批量操作',
    h(
      'ul',
      { class: 'batches' },
      batches.map((b) => {
        const slot = h('div', { 'aria-live': 'polite' });
        const resume =
          b.state === 'interrupted'
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    try {
                      await follow(slot, await api('POST', `/ops/batches/${b.id}/resume`, {}));
                    } catch (e) {
                      toast(message(e), 'error');
                    }
                  },
                },
                '继续处理',
              )
            : null;
        return h(
          'li',
          { 'data-batch': b.id },
          progressLine(b),
          h('p', { class: 'muted' }, `${fmtDateTime(b.createdAt)} · 原因：${b.reason}`),
          resume,
          slot,
        );
      }),
    ),
  );
}

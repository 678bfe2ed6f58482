// Operate's two changes on the instance page, each shown before it is done: move a token (结束一个节点、启动另一个节点)
// and migrate to another deployed version of the process (各活动节点按同名节点对应). The server decides what is
// allowed (no decision may be skipped; a version without a current step blocks the migration) and says why; the
// confirmation asks for the reason the audit log keeps.
import { ApiError, get, post } from '../api.js';
import { field, h, section, toast } from '../dom.js';

/** The elements a token may be moved to (the server's list), each with its name from the definition's XML. */
function flowNodes(xml, ids) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const names = new Map();
  for (const el of doc.getElementsByTagName('*')) {
    const id = el.getAttribute('id');
    if (id && ids.includes(id)) names.set(id, el.getAttribute('name') || id);
  }
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}

const label = (n) => (n.name === n.id ? n.id : `${n.name}（${n.id}）`);
const select = (id, options) =>
  h(
    'select',
    { id },
    options.map((o) => h('option', { value: o.value }, o.text)),
  );

/** The reason field the confirmation needs; its value trimmed, or null (with a message) when empty. */
function reasonField(what) {
  const input = h('input', { type: 'text', maxlength: '2000', autocomplete: 'off' });
  const wrapper = field(`${what}原因（将记入审计日志）`, input);
  wrapper.hidden = true;
  return {
    wrapper,
    value() {
      if (input.value.trim()) return input.value.trim();
      toast('必须填写原因', 'error');
      input.focus();
      return null;
    },
  };
}

function outcome(box, text, kind) {
  box.replaceChildren(h('p', { class: kind === 'error' ? 'notice error' : 'notice' }, text));
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

function moveBlock(key, detail) {
  const nodes = flowNodes(detail.bpmnXml, detail.movableElementIds ?? []);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const active = detail.activeElementIds.filter((id) => byId.has(id));
  if (active.length === 0) return h('p', { class: 'muted' }, '没有可移动的令牌。');
  const from = select(
    'move-from',
    active.map((id) => ({ value: id, text: label(byId.get(id)) })),
  );
  const to = select(
    'move-to',
    nodes.map((n) => ({ value: n.id, text: label(n) })),
  );
  const box = h('div', { class: 'move-preview' });
  const confirm = h('button', { type: 'button', class: 'danger', hidden: true }, '确认移动');
  const why = reasonField('移动');
  const ready = (yes) => {
    confirm.hidden = !yes;
    why.wrapper.hidden = !yes;
  };
  const body = () => ({ fromElementId: from.value, targetElementId: to.value });
  const preview = h('button', { type: 'button' }, '预览');
  preview.addEventListener('click', async () => {
    ready(false);
    try {
      const plan = await post(`/ops/instances/${encodeURIComponent(key)}/modification/preview`, body());
      outcome(box, plan.summary);
      ready(true);
    } catch (e) {
      outcome(box, e instanceof ApiError ? e.detail : String(e), 'error');
    }
  });
  confirm.addEventListener('click', async () => {
    const reason = why.value();
    if (!reason) return;
    confirm.disabled = true;
    try {
      await post(`/ops/instances/${encodeURIComponent(key)}/modification`, { ...body(), reason });
      toast('令牌已移动');
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      outcome(box, e instanceof ApiError ? e.detail : String(e), 'error');
      confirm.disabled = false;
    }
  });
  for (const s of [from, to]) s.addEventListener('change', () => ready(false));
  return h(
    'div',
    { class: 'ops-change' },
    h('h3', {}, '移动令牌'),
    h('p', { class: 'hint' }, '可退回到已办理过的步骤重新办理；向前移动不能跳过需要人或决策表决定的步骤。'),
    field('从（当前节点）', from),
    field('移到', to),
    box,
    why.wrapper,
    h('div', { class: 'actions' }, preview, confirm),
  );
}

/** The preview's table: each current step and its counterpart in the target version, or why there is none. */
function mappingTable(plan) {
  return h(
    'table',
    { class: 'mapping' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, '当前节点'), h('th', {}, `v${plan.to.version} 中的节点`), h('th', {}, '说明')),
    ),
    h(
      'tbody',
      {},
      plan.mappings.map((m) =>
        h(
          'tr',
          {},
          h('td', {}, m.sourceElementName),
          h('td', {}, m.targetElementId ?? '—'),
          h('td', {}, m.problem ?? '同名对应'),
        ),
      ),
    ),
  );
}

async function migrateBlock(key) {
  const { current, versions } = await get(`/ops/instances/${encodeURIComponent(key)}/migration/targets`);
  const head = [h('h3', {}, '迁移到其他版本'), h('p', { class: 'hint' }, `当前版本 v${current.version}。`)];
  if (versions.length === 0) {
    return h('div', { class: 'ops-change' }, head, h('p', { class: 'muted' }, '没有其他已部署的版本。'));
  }
  const target = select(
    'migrate-to',
    versions.map((v) => ({ value: v.processDefinitionKey, text: `v${v.version}` })),
  );
  const box = h('div', { class: 'migrate-preview' });
  const confirm = h('button', { type: 'button', class: 'danger', hidden: true }, '确认迁移');
  const why = reasonField('迁移');
  const ready = (yes) => {
    confirm.hidden = !yes;
    why.wrapper.hidden = !yes;
  };
  const preview = h('button', { type: 'button' }, '预览对应关系');
  preview.addEventListener('click', async () => {
    ready(false);
    try {
      const plan = await post(`/ops/instances/${encodeURIComponent(key)}/migration/preview`, {
        targetProcessDefinitionKey: target.value,
      });
      box.replaceChildren(
        h('p', { class: plan.allowed ? 'notice' : 'notice error' }, plan.summary),
        mappingTable(plan),
      );
      box.setAttribute('role', plan.allowed ? 'status' : 'alert');
      ready(plan.allowed);
    } catch (e) {
      outcome(box, e instanceof ApiError ? e.detail : String(e), 'error');
    }
  });
  confirm.addEventListener('click', async () => {
    const reason = why.value();
    if (!reason) return;
    confirm.disabled = true;
    try {
      await post(`/ops/instances/${encodeURIComponent(key)}/migration`, {
        targetProcessDefinitionKey: target.value,
        reason,
      });
      toast('流程实例已迁移');
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      outcome(box, e instanceof ApiError ? e.detail : String(e), 'error');
      confirm.disabled = false;
    }
  });
  target.addEventListener('change', () => ready(false));
  return h(
    'div',
    { class: 'ops-change' },
    head,
    field('目标版本', target),
    box,
    why.wrapper,
    h('div', { class: 'actions' }, preview, confirm),
  );
}

/** The section of an active instance's page with both changes. */
export async function changesSection(key, detail) {
  return section('修改与迁移', moveBlock(key, detail), await migrateBlock(key));
}

// One process instance: its diagram (bpmn-js NavigatedViewer) with the active elements, the completed ones and
// the incidents marked; the incidents with their messages and a retry each (the API raises the job's retries and
// resolves the incident, as Operate does); the variables per scope with edit; cancel; the instances it called.
import { ApiError, get, post } from '../api.js';
import { add, fmtDateTime, h, loadScript, loadStyle, section, toast } from '../dom.js';
import { bureau, can, vocabSync } from '../session.js';
import { STATES } from './ops.js';
import { ERROR_TYPES } from './ops-admin.js';
import { changesSection } from './ops-changes.js';
import { variablesSection } from './ops-variables.js';

export async function render(main, params) {
  if (!can.operate()) {
    add(main, h('h1', {}, '流程实例'), h('p', { class: 'notice' }, `流程运维仅供${bureau()}管理员使用。`));
    return;
  }
  const key = params.key;
  const detail = await get(`/ops/instances/${encodeURIComponent(key)}`);
  const { instance } = detail;
  const vocab = vocabSync();
  const name =
    instance.processDefinitionName ??
    vocab.processes[instance.processDefinitionId] ??
    instance.processDefinitionId;
  const activeIncidents = detail.incidents.filter((i) => i.state === 'ACTIVE');

  const canvas = h('div', {
    class: 'diagram',
    role: 'img',
    'aria-label': `${name}流程图：当前节点、已完成节点和故障节点已标出`,
  });
  const controls = h('div', { class: 'actions zoom', role: 'group', 'aria-label': '流程图缩放' });

  add(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/ops' }, '← 返回流程运维')),
    hierarchy(detail.callHierarchy ?? [], key),
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, name),
      h('span', { class: `stage state-${instance.state}` }, STATES[instance.state] ?? instance.state),
    ),
    instanceFacts(instance),
    diagramSection(canvas, controls),
    incidentsSection(activeIncidents),
    await variablesSection(key, instance.state === 'ACTIVE'),
    calledSection(detail.calledInstances, vocab),
    instance.state === 'ACTIVE' ? await changesSection(key, detail) : null,
    instance.state === 'ACTIVE'
      ? section(
          '操作',
          h('p', { class: 'hint' }, '取消后流程不再继续，已办理的记录保留。'),
          cancelButton(key),
        )
      : null,
  );

  await drawDiagram(canvas, controls, detail);
}

/** The call hierarchy as breadcrumbs: the root instance first, this one last (not a link). */
function hierarchy(entries, key) {
  if (entries.length < 2) return null;
  return h(
    'nav',
    { class: 'crumbs hierarchy', 'aria-label': '调用层级' },
    entries.map((e, i) => [
      i > 0 ? ' › ' : '',
      e.processInstanceKey === key
        ? h('span', { 'aria-current': 'page' }, e.processDefinitionName || e.processInstanceKey)
        : h(
            'a',
            { href: `#/ops/instances/${e.processInstanceKey}` },
            e.processDefinitionName || e.processInstanceKey,
          ),
    ]),
  );
}

/** Operate's badges: on each element how many instances are active, failed, done or cancelled there. */
function countBadges(viewer, statistics) {
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const kinds = [
    ['active', '活动'],
    ['incidents', '故障'],
    ['completed', '完成'],
    ['canceled', '取消'],
  ];
  for (const s of statistics) {
    const el = registry.get(s.elementId);
    if (!el || el.type === 'bpmn:Process' || el.waypoints) continue;
    const shown = kinds.filter(([k]) => s[k] > 0);
    if (shown.length === 0) continue;
    const html = h(
      'div',
      { class: 'yf-counts', 'data-element': s.elementId },
      shown.map(([k, name]) => h('span', { class: `yf-count ${k}`, title: `${name} ${s[k]}` }, String(s[k]))),
    );
    overlays.add(s.elementId, 'yf-counts', { position: { bottom: 8, left: -6 }, html });
  }
}

/** Cancels the instance after asking for the reason the audit log records. */
function cancelButton(key) {
  const cancel = h('button', { type: 'button', class: 'danger' }, '取消流程实例');
  cancel.addEventListener('click', async () => {
    const reason = prompt('请填写取消原因（将记入审计日志）：');
    if (reason === null) return;
    if (!reason.trim()) return toast('必须填写取消原因', 'error');
    cancel.disabled = true;
    try {
      const done = await post(`/ops/instances/${encodeURIComponent(key)}/cancel`, { reason: reason.trim() });
      // IM-9: a project's lifecycle is not cancelled; it goes through the termination filing.
      toast(
        done?.state === 'TERMINATION_FILING'
          ? `已转为终止合同备案（IM-9），待${bureau()}和市财政局登记`
          : '流程实例已取消',
      );
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      toast(e instanceof ApiError ? e.detail : String(e), 'error');
      cancel.disabled = false;
    }
  });
  return cancel;
}

function instanceFacts(instance) {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, '实例'),
    h('dd', {}, instance.processInstanceKey),
    h('dt', {}, '版本'),
    h('dd', {}, `v${instance.processDefinitionVersion}`),
    h('dt', {}, '项目'),
    h(
      'dd',
      {},
      instance.projectId
        ? h('a', { href: `#/projects/${encodeURIComponent(instance.projectId)}` }, instance.projectId)
        : '—',
    ),
    h('dt', {}, '开始时间'),
    h('dd', {}, fmtDateTime(instance.startDate)),
    instance.endDate ? [h('dt', {}, '结束时间'), h('dd', {}, fmtDateTime(instance.endDate))] : null,
    instance.parentProcessInstanceKey
      ? [
          h('dt', {}, '上级实例'),
          h(
            'dd',
            {},
            h(
              'a',
              { href: `#/ops/instances/${instance.parentProcessInstanceKey}` },
              instance.parentProcessInstanceKey,
            ),
          ),
        ]
      : null,
  );
}

/** The section the diagram is drawn into (by drawDiagram, once the page is in the document). */
function diagramSection(canvas, controls) {
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': '图例' },
    h('li', {}, h('span', { class: 'swatch active' }), '当前节点'),
    h('li', {}, h('span', { class: 'swatch completed' }), '已完成'),
    h('li', {}, h('span', { class: 'swatch incident' }), '故障'),
    h('li', {}, h('span', { class: 'swatch taken' }), '走过的路径'),
  );
  return section(
    '流程图',
    h('div', { class: 'diagram-bar' }, legend, controls),
    canvas,
    h('p', { class: 'hint' }, '可用鼠标拖动和滚轮缩放；含子流程的节点可点击其角标进入。'),
  );
}

function calledSection(calledInstances, vocab) {
  if (calledInstances.length === 0) return null;
  return section(
    '调用的子流程',
    h(
      'ul',
      { class: 'steps' },
      calledInstances.map((c) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/ops/instances/${c.processInstanceKey}` },
            c.processDefinitionName ?? vocab.processes[c.processDefinitionId] ?? c.processDefinitionId,
          ),
          ` · ${STATES[c.state] ?? c.state}`,
          c.hasIncident ? h('span', { class: 'badge danger' }, ' 有故障') : '',
        ),
      ),
    ),
  );
}

function incidentsSection(incidents) {
  if (incidents.length === 0) return section('故障', h('p', { class: 'muted' }, '此实例没有未解决的故障。'));
  return section(
    `故障（${incidents.length}）`,
    h(
      'ul',
      { class: 'incidents' },
      incidents.map((i) => {
        const retry = h(
          'button',
          { type: 'button', class: 'primary', 'aria-label': `重试：${i.elementId}` },
          '重试',
        );
        retry.addEventListener('click', async () => {
          retry.disabled = true;
          try {
            await post(`/ops/incidents/${encodeURIComponent(i.incidentKey)}/retry`);
            toast('已重试：作业重试次数已恢复，故障已解决');
            dispatchEvent(new HashChangeEvent('hashchange'));
          } catch (e) {
            toast(e instanceof ApiError ? e.detail : String(e), 'error');
            retry.disabled = false;
          }
        });
        return h(
          'li',
          { class: 'incident' },
          h(
            'p',
            {},
            h('strong', {}, ERROR_TYPES[i.errorType] ?? i.errorType),
            h('span', { class: 'muted' }, ` · 节点 ${i.elementId} · ${fmtDateTime(i.creationTime)}`),
          ),
          h('pre', { class: 'incident-message' }, i.errorMessage || '（无错误信息）'),
          h('p', { class: 'hint' }, '先排除原因（例如修正数据或恢复外部服务），再重试。'),
          retry,
        );
      }),
    ),
  );
}

async function drawDiagram(canvasEl, controls, detail) {
  loadStyle('/assets/vendor/bpmn-js/diagram-js.css');
  loadStyle('/assets/vendor/bpmn-js/bpmn-js.css');
  const BpmnJS = await loadScript('/assets/vendor/bpmn-js/bpmn-navigated-viewer.js', 'BpmnJS');
  const viewer = new BpmnJS({ container: canvasEl });
  try {
    await viewer.importXML(detail.bpmnXml);
  } catch (e) {
    canvasEl.replaceChildren(h('p', { class: 'notice error' }, `流程图无法显示：${e.message}`));
    return;
  }
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const mark = (ids, marker) => {
    for (const id of ids) if (registry.get(id)) canvas.addMarker(id, marker);
  };
  mark(detail.completedElementIds, 'yf-completed');
  mark(detail.activeElementIds, 'yf-active');
  mark(detail.incidentElementIds, 'yf-incident');
  mark(detail.takenFlowIds ?? [], 'yf-taken');
  countBadges(viewer, detail.elementStatistics ?? []);
  // Where to look first: an incident, else a step under way.
  const focus = [...detail.incidentElementIds, ...detail.activeElementIds]
    .map((id) => registry.get(id))
    .find((el) => el && !el.waypoints && el.type !== 'bpmn:Process');
  const showFocus = () => {
    canvas.zoom('fit-viewport', 'auto');
    // A wide diagram fitted into the box is too small to read: zoom in on the element that needs attention.
    if (focus && canvas.zoom() < 0.75) {
      canvas.zoom(0.9);
      canvas.scrollToElement(focus, { top: 120, bottom: 120, left: 160, right: 160 });
    }
  };
  showFocus();
  const step = (factor) => canvas.zoom(Math.min(4, Math.max(0.2, canvas.zoom() * factor)));
  controls.replaceChildren(
    h('button', { type: 'button', onclick: () => step(1.25) }, '放大'),
    h('button', { type: 'button', onclick: () => step(0.8) }, '缩小'),
    h('button', { type: 'button', onclick: () => canvas.zoom('fit-viewport', 'auto') }, '整图'),
    focus
      ? h(
          'button',
          { type: 'button', onclick: showFocus },
          detail.incidentElementIds.length > 0 ? '定位故障节点' : '定位当前节点',
        )
      : null,
  );
  canvasEl.dataset.marked = String(detail.activeElementIds.length + detail.incidentElementIds.length);
}

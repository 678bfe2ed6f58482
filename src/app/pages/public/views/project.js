// One project: what it is, where it stands (stage, current steps, deadlines, who must act next), its timeline
// (business records merged with the process history), its documents, and what the signed-in person may do with
// it — submit a draft, raise a change/delay/termination filing during implementation, upload documents.

import { ApiError, get, post, query } from '../api.js';
import { DATE_HINT, fmtZhDate, isoDay, parseTypedDate } from '../dates.js';
import {
  add,
  clearErrors,
  errorSummary,
  field,
  fmtDate,
  fmtDateTime,
  fmtYuan,
  h,
  section,
  showErrors,
  toast,
} from '../dom.js';
import { can, current, vocabSync } from '../session.js';
import { auditExportSection, mayExportAudit } from './audit-export.js';
import { contestableResults, resultContestForm } from './result-contest.js';
import { dueBadge, groupLabel } from './tasks.js';
import { uploadForm } from './upload.js';

const CATEGORY = { public: '公共类', professional: '专业类' };

export async function render(main, params) {
  const id = params.id;
  const path = `/projects/${encodeURIComponent(id)}`;
  const project = await get(path);
  const me = current();
  const vocab = vocabSync();
  const full = project.view !== 'funds';
  const ownUnit = me.unitId === project.unitId;
  const [timeline, myTasks, documents, units] = await Promise.all([
    get(`${path}/timeline`).catch(() => get(`${path}/history`).then(historyAsTimeline, () => null)),
    can.tasks() ? get(`/tasks${query({ scope: 'all', projectId: id })}`).catch(() => null) : null,
    // Finance (funds only, SV-2) sees what is issued to it — the 立项审批意见 and the 备案回执 — no other material (PRO-3)
    full
      ? get(`${path}/documents`).catch(() => null)
      : Promise.all(
          ['approval-opinion', 'filing-receipt'].map((kind) => get(`${path}/documents${query({ kind })}`)),
        )
          .then((lists) => lists.flat())
          .catch(() => null),
    get('/units').catch(() => []),
  ]);
  project.unitName = units.find((u) => u.id === project.unitId)?.name ?? project.unitId;

  add(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, project.name),
      h('span', { class: `stage stage-${project.stage}` }, project.stageName),
    ),
    h('p', { class: 'muted' }, `项目编号 ${project.id}`),
  );
  add(main, overview(project, vocab));

  if (project.stage === 'draft' && full) add(main, draftActions(project, ownUnit));

  add(main, progress(project, timeline, myTasks));

  // IM-8, IM-9: change, delay and termination filings are raised while the project is being implemented.
  if (can.writeProjects() && ownUnit && project.stage === 'implementation') {
    add(main, filingForm(project));
  }
  // AC-3: the owner of the acceptance contests a failed third-party result while it rectifies it
  const owner =
    (can.writeProjects() && ownUnit) || (project.category === 'public' && me.roles.includes('bureau-admin'));
  const contestable = owner ? contestableResults(timeline) : [];
  if (contestable.length > 0) add(main, resultContestForm(project, contestable));
  if (documents) add(main, documentsSection(project, documents, ownUnit, vocab));
  if (timeline) add(main, timelineSection(timeline, documents ?? []));
  if (mayExportAudit()) add(main, auditExportSection(project));
}

function overview(project, vocab) {
  const rows = [
    ['所属单位', project.unitName],
    ['规划年度', project.planYear],
    ['类别', CATEGORY[project.category] ?? '—'],
    [
      '资金来源',
      (project.fundingLines ?? [])
        .map((l) => `${vocab.fundingSources[l.source] ?? l.source} ${l.amount.toLocaleString('zh-CN')} 元`)
        .join('；'),
    ],
    ['总投资', fmtYuan(project.totalInvestment)],
    ['其中应用软件开发费用', fmtYuan(project.softwareDevCost)],
    ['适用规则', vocab.ruleEditions?.[project.ruleEdition] ?? project.ruleEdition],
  ];
  if (project.view !== 'funds') {
    rows.push(
      ['是否涉密', project.classified ? '是' : '否'],
      ['政务数据共享资源目录', project.hasDataCatalogue ? '已提供' : '未提供'],
      ['IPv6 支持承诺', project.supportsIpv6 ? '已承诺' : '未承诺'],
    );
  }
  const lines = (project.serviceLines ?? []).map((l) => {
    const type = vocab.serviceTypes[l.serviceType];
    return h(
      'tr',
      {},
      h('td', { 'data-label': '服务类型' }, type?.name ?? l.serviceType),
      h('td', { 'data-label': '服务子类' }, type?.subTypes[l.subType] ?? l.subType),
      h(
        'td',
        { 'data-label': '所服务的系统' },
        l.relatedTo ? (vocab.relatedTo[l.relatedTo] ?? l.relatedTo) : '—',
      ),
      h('td', { 'data-label': '金额', class: 'num' }, fmtYuan(l.amount)),
    );
  });
  return section(
    '项目概况',
    h(
      'dl',
      { class: 'facts' },
      rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v ?? '—'))]),
    ),
    project.description ? h('p', { class: 'description' }, project.description) : null,
    lines.length > 0
      ? h(
          'table',
          { class: 'list compact' },
          h('caption', {}, '服务内容（G-4）'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, '服务类型'),
              h('th', { scope: 'col' }, '服务子类'),
              h('th', { scope: 'col' }, '所服务的系统'),
              h('th', { scope: 'col', class: 'num' }, '金额'),
            ),
          ),
          h('tbody', {}, lines),
        )
      : null,
  );
}

function draftActions(project, ownUnit) {
  const missing = [];
  if (!project.hasDataCatalogue) missing.push('缺少政务数据共享资源目录（PRO-1）');
  if (!project.supportsIpv6) missing.push('未承诺支持 IPv6（PRO-1）');
  const canSubmit = can.writeProjects() && ownUnit;
  const summary = errorSummary();
  const outOfPlan = outOfPlanControls();
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', disabled: missing.length > 0 },
    '提交立项申请',
  );
  const form = h(
    'form',
    { novalidate: true },
    summary,
    completeness(missing),
    h(
      'div',
      { class: 'field check' },
      h(
        'div',
        { class: 'check-row' },
        outOfPlan.checkbox,
        h('label', { for: 'out-of-plan' }, '本项目未纳入年度预算，申请计划外立项（EMG-1）'),
      ),
    ),
    outOfPlan.fields,
    h(
      'div',
      { class: 'actions' },
      submit,
      h('a', { class: 'button', href: `#/projects/${encodeURIComponent(project.id)}/edit` }, '修改草稿'),
    ),
  );
  form.addEventListener('submit', (event) => submitApplication(event, form, submit, project, outOfPlan));
  if (!canSubmit) return section('草稿', h('p', {}, '项目尚未提交。'));
  return section('提交立项申请', form);
}

/** What the application still lacks (PRO-1), or that it is complete. */
function completeness(missing) {
  return missing.length > 0
    ? h(
        'div',
        { class: 'notice warn' },
        h('p', {}, '申请材料不完整，补齐后才能提交：'),
        h(
          'ul',
          {},
          missing.map((m) => h('li', {}, m)),
        ),
      )
    : h('p', { class: 'notice ok' }, '申请材料完整（PRO-1），可以提交。提交后草稿不能再修改。');
}

/** The out-of-plan application (EMG-1): a checkbox, and the reason and justification it reveals. */
function outOfPlanControls() {
  const checkbox = h('input', { type: 'checkbox', id: 'out-of-plan' });
  const reason = h(
    'select',
    { name: 'reason' },
    h('option', { value: '' }, '请选择'),
    h('option', { value: 'national-requirement' }, '国家部委有明确要求'),
    h('option', { value: 'livelihood' }, '省、市内关系国计民生'),
    h('option', { value: 'network-security' }, '涉及网络信息安全'),
  );
  const justification = h('textarea', { rows: 3, maxlength: 5000 });
  const fields = h(
    'div',
    { class: 'grid two', hidden: true },
    field('计划外立项理由', reason, { name: 'outOfPlan.reason' }),
    field('理由说明', justification, { name: 'outOfPlan.justification' }),
  );
  checkbox.addEventListener('change', () => {
    fields.hidden = !checkbox.checked;
  });
  return { checkbox, reason, justification, fields };
}

async function submitApplication(event, form, submit, project, outOfPlan) {
  event.preventDefault();
  clearErrors(form);
  const body = {};
  const { reason, justification } = outOfPlan;
  if (outOfPlan.checkbox.checked) {
    const issues = [];
    if (!reason.value) issues.push({ field: 'outOfPlan.reason', reason: '请选择理由' });
    if (!justification.value.trim()) issues.push({ field: 'outOfPlan.justification', reason: '请说明理由' });
    if (issues.length > 0) return showErrors(form, { detail: '请补充计划外立项理由', errors: issues });
    body.outOfPlan = { reason: reason.value, justification: justification.value.trim() };
  }
  if (!confirm(`确认提交“${project.name}”的立项申请？提交后草稿不能再修改。`)) return;
  submit.disabled = true;
  try {
    const result = await post(`/projects/${encodeURIComponent(project.id)}/submit`, body);
    toast(`已提交立项申请，项目进入“${result.project.stageName}”阶段`);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (e) {
    showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
    submit.disabled = false;
  }
}

/** One step waiting: the step, who acts (department or group, in Chinese), since when, and how long they have. */
function waitingStep(w) {
  return h(
    'li',
    {},
    h('strong', {}, w.name),
    ' ',
    dueBadge(w),
    h(
      'span',
      { class: 'muted' },
      ` 由${w.candidateGroups.map((g) => groupLabel(g)).join('、') || '指定人员'}办理，自 ${fmtZhDate(w.since)} 起`,
      w.dueDate ? `，${fmtZhDate(w.dueDate)}到期` : '',
    ),
  );
}

/** Steps under way (user tasks activated and not completed) and the tasks in the person's own list. */
/** Stages at which the project's lifecycle is over: nothing of it is waiting any more. */
const ENDED = new Set(['closed', 'refused', 'rejected', 'not-accepted', 'terminated']);

/**
 * Who acts next, one truth (issue 16): the engine's open tasks (`waiting`), nothing else. A step that was started and
 * then ended without completing — interrupted by a termination filing, cancelled — is not waiting, although the
 * timeline shows its start; when the engine cannot be asked, the page says so instead of guessing from the history.
 */
function progress(project, timeline, myTasks) {
  const waiting = timeline?.waiting ?? [];
  const mine = myTasks?.items ?? [];
  const unknown = !timeline || timeline.processHistoryAvailable === false;
  const children = [];
  if (project.stage === 'draft') children.push(h('p', {}, '草稿：由本单位编制并提交立项申请。'));
  else if (waiting.length > 0) children.push(h('ul', { class: 'steps' }, waiting.map(waitingStep)));
  else if (ENDED.has(project.stage))
    children.push(h('p', { class: 'ended' }, `项目${project.stageName}，流程已结束，没有待办理的环节。`));
  else if (!unknown) children.push(h('p', {}, '当前没有等待人工办理的环节。'));
  if (mine.length > 0) {
    children.push(
      h('h3', {}, '需要您办理'),
      h(
        'ul',
        { class: 'steps' },
        mine.map((t) =>
          h(
            'li',
            {},
            h('a', { href: `#/tasks/${t.userTaskKey}` }, t.name),
            ' ',
            dueBadge(t),
            h('span', { class: 'muted' }, ` ${t.candidateGroups.map(groupLabel).join('、')}`),
          ),
        ),
      ),
    );
  } else if (waiting.length > 0) {
    children.push(h('p', { class: 'muted' }, '办理结果会显示在下方的时间线中。'));
  }
  if (unknown && project.stage !== 'draft') {
    children.push(
      h('p', { class: 'notice warn' }, '流程引擎暂时无法访问，无法确定当前待办环节，只显示业务记录。'),
    );
  }
  return section('当前进展', ...children);
}

function historyAsTimeline(history) {
  return {
    processHistoryAvailable: true,
    items: history.map((x) => ({
      at: x.at,
      source: 'business',
      kind: x.action,
      title: x.action,
      stage: x.stage,
    })),
  };
}

/** What a person follows (issue 16): the business records, the human steps with what was decided, sub-processes,
 * timers, messages and incidents — not the automated steps (`internal`: service tasks, gateways, 计算…期限). */
function essential(e) {
  return e.source !== 'process' || e.internal !== true;
}

/**
 * A decision's lines under its step: the option chosen, the opinion, amounts, numbers, dates. A line naming one of the
 * project's documents (a third party's report, IM-4, AC-3) links to it.
 */
function decisionList(e, documents) {
  const lines = e.decision?.lines ?? [];
  const line = (l) => {
    const at = l.lastIndexOf('：');
    const doc = at > 0 ? documents.find((d) => d.id === l.slice(at + 1)) : null;
    if (!doc) return h('li', {}, l);
    const href = `/api/documents/${encodeURIComponent(doc.id)}`;
    return h(
      'li',
      {},
      l.slice(0, at + 1),
      h('a', { href, download: doc.fileName }, `${doc.fileName}（${doc.id}）`),
    );
  };
  return lines.length === 0 ? null : h('ul', { class: 'tl-decision' }, lines.map(line));
}

function timelineSection(timeline, documents) {
  const all = [...timeline.items].reverse();
  const list = h('ol', { class: 'timeline' });
  const toggle = h('input', { type: 'checkbox', id: 'timeline-all' });
  const fill = () => {
    const items = toggle.checked ? all : all.filter(essential);
    list.replaceChildren(
      ...items.map((e) =>
        h(
          'li',
          { class: `tl-${e.source} tl-${e.kind}` },
          h('time', { datetime: e.at }, fmtDateTime(e.at)),
          h('span', { class: 'tl-title' }, e.title),
          e.decision?.choice ? h('strong', { class: 'tl-choice' }, e.decision.choice) : null,
          e.detail ? h('span', { class: 'tl-detail' }, e.detail) : null,
          decisionList(e, documents),
        ),
      ),
    );
  };
  toggle.addEventListener('change', fill);
  fill();
  return section(
    '时间线',
    all.length === 0
      ? h('p', { class: 'muted' }, '暂无记录。')
      : [
          h(
            'div',
            { class: 'check-row' },
            toggle,
            h('label', { for: 'timeline-all' }, '显示全部流程步骤（包括自动处理的每一步）'),
          ),
          h('p', { class: 'hint' }, '最新的在上。绿色为业务记录，蓝色为流程步骤，红色为故障。'),
          list,
        ],
  );
}

const FILING_FIELDS = {
  change: [
    ['changeDescription', '变更内容', 'textarea'],
    ['changeReason', '变更原因', 'textarea'],
  ],
  delay: [
    ['delayReason', '延期原因', 'textarea'],
    ['requestedDeliveryDate', '申请的新交付日期', 'date'],
  ],
  termination: [['terminationReason', '终止原因', 'textarea']],
};

function filingForm(project) {
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'change' }, '重大变更备案（IM-8）'),
    h('option', { value: 'delay' }, '延期交付备案（IM-8）'),
    h('option', { value: 'termination' }, '终止合同备案（IM-9）'),
  );
  const inputs = h('div', {});
  let controls = {};
  const fill = () => {
    controls = {};
    inputs.replaceChildren(
      ...FILING_FIELDS[kind.value].map(([key, label, type]) => {
        // A date as people type it (issue 16): the text is read by dates.js, not by the browser's date input,
        // whose segments turned 03/20/2027 into another day without a word.
        const control =
          type === 'textarea'
            ? h('textarea', { rows: 3, maxlength: 5000 })
            : h('input', {
                type: 'text',
                inputmode: 'numeric',
                autocomplete: 'off',
                placeholder: '如 2027年3月20日',
              });
        controls[key] = control;
        return field(label, control, { name: key, hint: type === 'date' ? `${DATE_HINT}。` : undefined });
      }),
    );
  };
  kind.addEventListener('change', fill);
  fill();
  const submit = h('button', { type: 'submit', class: 'primary' }, '提交备案');
  const form = h(
    'form',
    { novalidate: true },
    errorSummary(),
    h(
      'p',
      { class: 'hint' },
      // SU-2: the Bureau as the project's edition names it (GET /api/projects/{id} bureauName)
      `实施期间发生重大变更、需要延期交付或终止合同的，须向${project.bureauName ?? '市主管部门'}备案（终止合同同时向市财政局备案）。`,
    ),
    field('备案类型', kind, { name: 'kind' }),
    inputs,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { kind: kind.value };
    const issues = [];
    for (const [key, label, type] of FILING_FIELDS[kind.value]) {
      const v = controls[key].value.trim();
      const day = type === 'date' && v ? parseTypedDate(v) : null;
      if (!v) issues.push({ field: key, reason: `请填写${label}` });
      else if (type === 'date' && !day)
        issues.push({ field: key, reason: `“${v}”不是有效日期，${DATE_HINT}` });
      // A day in Asia/Shanghai: the end of that working day, as deadlines fall due.
      else body[key] = day ? `${isoDay(day)}T18:00:00+08:00` : v;
    }
    if (issues.length > 0) return showErrors(form, { detail: '请补充备案内容', errors: issues });
    submit.disabled = true;
    try {
      const result = await post(`/projects/${encodeURIComponent(project.id)}/filings`, body);
      toast(result.message);
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
      submit.disabled = false;
    }
  });
  return section('变更、延期、终止备案', form);
}

function documentsSection(project, documents, ownUnit, vocab) {
  // IM-4, AC-3: an engaged third party (it sees the project only while it holds its task) uploads its 测评报告
  const thirdParty = Boolean(current().organisationId);
  const mayUpload =
    !can.readOnly() &&
    ((can.writeProjects() && ownUnit) || current().roles.some((r) => r.startsWith('bureau-')) || thirdParty);
  const list =
    documents.length === 0
      ? h('p', { class: 'muted' }, '暂无材料。')
      : h(
          'ul',
          { class: 'documents' },
          documents.map((d) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `/api/documents/${encodeURIComponent(d.id)}`, download: d.fileName },
                d.fileName,
              ),
              h(
                'span',
                { class: 'muted' },
                ` ${vocab.documentKinds[d.kind] ?? d.kind} · ${Math.ceil(d.size / 1024)} KB · ${fmtDate(d.uploadedAt)}`,
              ),
              // the number a third party's result form asks for (its report, IM-4, AC-3)
              h('span', { class: 'muted document-id' }, ` · 文档编号 ${d.id}`),
            ),
          ),
        );
  if (!mayUpload) return section('项目材料', list);
  return section('项目材料', list, uploadForm(project, vocab, thirdParty ? ['assessment-report'] : null));
}

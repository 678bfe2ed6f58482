// One task: its Camunda form (the same `.form` file Modeler edits) rendered by the form-js viewer with the data the
// task shows, claim/unclaim, and completion with the form's values. form-js validates in the browser; the API
// validates again against the form and answers field by field (`variables.<key>`). Beside the form: handing the
// task to a colleague of its group, its follow-up date and priority, the completed tasks of its project (who, when,
// what they decided) and its variables, read-only.
import { ApiError, get, patch, post } from '../api.js';
import { add, field, fmtDateTime, h, loadScript, loadStyle, section, toast } from '../dom.js';
import { renderTaskForm } from '../form-zh.js';
import { current, vocabSync } from '../session.js';
import { claim, dueBadge, groupLabel, priorityLabel, processLabel } from './tasks.js';

export async function render(main, params) {
  const key = params.key;
  const detail = await get(`/tasks/${encodeURIComponent(key)}`);
  const { task, form: taskForm, variables } = detail;
  const me = current();
  // Audit, and the Bureau's administrator come from the 全辖区 overview, read a task outside their groups; only
  // the tasks of one's own groups, or assigned to one, are one's to work (the API refuses the rest)
  const readOnly = !task.assignedToMe && !task.candidateGroups.some((g) => (me.groups ?? []).includes(g));
  const takenByOther = Boolean(task.assignee) && !task.assignedToMe;
  const open = task.state === 'CREATED';

  add(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/tasks' }, '← 返回任务列表')),
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, task.name),
      open ? dueBadge(task) : h('span', { class: 'stage' }, '已办结'),
    ),
    taskFacts(task),
    readOnly ? h('p', { class: 'notice' }, '只读：此任务不属于您所在的候选组，只能查看。') : null,
    open && !readOnly && !takenByOther ? planning(task) : null,
  );
  const panels = await sidePanels(key);

  const claimBar = claimActions(task, open, readOnly);

  if (!taskForm) {
    add(
      main,
      section('表单', h('p', { class: 'notice warn' }, '此任务没有关联的表单，请联系流程负责人。'), claimBar),
      ...panels,
    );
    return;
  }

  loadStyle('/assets/vendor/form-js/form-js.css');
  const FormViewer = await loadScript('/assets/vendor/form-js/form-viewer.js', 'FormViewer');
  const container = h('div', { class: 'form-container' });
  const status = h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'button', class: 'primary' }, '提交办理');
  const disabled = readOnly || takenByOther || !open;
  add(
    main,
    section(
      '办理表单',
      claimBar,
      status,
      container,
      disabled ? null : h('div', { class: 'actions' }, submit),
    ),
    ...panels,
  );

  const { form, dates } = await renderTaskForm(
    FormViewer,
    container,
    taskForm.schema,
    variables,
    vocabSync(),
    {
      readOnly: disabled,
      // Said as the person leaves the field, without taking the focus from where they are going.
      onDateProblems: (problems) => {
        if (problems.length > 0) showStatus(status, '日期无法识别。', problems, false);
        else status.hidden = true;
      },
    },
  );

  submit.addEventListener('click', () => completeTask(key, task, { form, dates }, submit, status, container));
}

function taskFacts(task) {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, '流程'),
    h('dd', {}, processLabel(task.processDefinitionId, task.processName)),
    task.projectId
      ? [
          h('dt', {}, '项目'),
          h(
            'dd',
            {},
            h(
              'a',
              { href: `#/projects/${encodeURIComponent(task.projectId)}` },
              `${task.projectId} ${task.projectName ?? ''}`,
            ),
          ),
        ]
      : null,
    task.unitName ? [h('dt', {}, '单位'), h('dd', {}, task.unitName)] : null,
    h('dt', {}, '办理人'),
    h('dd', {}, task.candidateGroups.map((g) => groupLabel(g, task)).join('、')),
    h('dt', {}, '认领'),
    h('dd', {}, task.assignee ? (task.assignedToMe ? '我' : (task.assigneeName ?? '他人')) : '未认领'),
    h('dt', {}, '优先级'),
    h('dd', {}, `${priorityLabel(task.priority)}（${task.priority}）`),
    h('dt', {}, '跟进日期'),
    h('dd', {}, task.followUpDate ? fmtDateTime(task.followUpDate) : '未设置'),
    h('dt', {}, '创建时间'),
    h('dd', {}, fmtDateTime(task.creationDate)),
    h('dt', {}, '到期时间'),
    h(
      'dd',
      {},
      task.dueDate
        ? `${fmtDateTime(task.dueDate)}${task.dueDateProvisional ? '（暂定：该年度节假日安排未公布）' : ''}`
        : '无期限',
    ),
  );
}

/** Claim or unclaim, or who has taken the task; empty when the task is done or the person only reads. */
function claimActions(task, open, readOnly) {
  const claimBar = h('div', { class: 'actions' });
  if (open && !readOnly) {
    if (task.assignedToMe) {
      claimBar.append(
        h(
          'button',
          { type: 'button', onclick: async () => (await claim(task, false)) && rerender() },
          '取消认领',
        ),
      );
    } else if (!task.assignee) {
      claimBar.append(
        h(
          'button',
          { type: 'button', onclick: async () => (await claim(task, true)) && rerender() },
          '认领任务',
        ),
        h('span', { class: 'muted' }, ' 认领后其他人不能办理此任务；也可以直接填写并提交。'),
      );
    } else {
      claimBar.append(
        h('p', { class: 'notice' }, `此任务已由${task.assigneeName ?? '他人'}认领，只能查看。`),
      );
    }
  }
  return claimBar;
}

/** Completes the task with the form's values once form-js finds none invalid; the API's refusals are listed. */
async function completeTask(key, task, { form, dates }, submit, status, container) {
  status.hidden = true;
  // A date form-js did not read (refused as typed) is not sent as whatever the field held before.
  if (dates.invalid().length > 0) {
    showStatus(status, '日期无法识别。', dates.invalid());
    container.querySelector('.fjs-datepicker input[aria-invalid="true"]')?.focus();
    return;
  }
  const { data, errors } = form.submit();
  const failing = Object.keys(errors ?? {});
  if (failing.length > 0) {
    showStatus(status, '请更正表单中标出的内容。', []);
    container
      .querySelector('[aria-invalid="true"], .fjs-has-errors input, .fjs-has-errors textarea')
      ?.focus();
    return;
  }
  submit.disabled = true;
  try {
    await post(`/tasks/${encodeURIComponent(key)}/complete`, { variables: data });
    toast(`已办理“${task.name}”`);
    location.hash = '#/tasks';
  } catch (e) {
    const issues = e instanceof ApiError ? e.errors : [];
    showStatus(status, e instanceof ApiError ? e.detail : String(e), issues);
    submit.disabled = false;
  }
}

function showStatus(box, message, issues, focus = true) {
  box.replaceChildren(
    h('p', {}, h('strong', {}, message)),
    issues.length > 0
      ? h(
          'ul',
          {},
          issues.map((i) =>
            h('li', {}, typeof i === 'string' ? i : `${i.field.replace(/^variables\./, '')}：${i.reason}`),
          ),
        )
      : '',
  );
  box.hidden = false;
  if (focus) box.focus();
}

function rerender() {
  dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The day of an ISO date-time in Yunfu (UTC+8, no daylight saving), as a date input holds it. */
function yunfuDay(iso) {
  return iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10) : '';
}

/** Follow-up date and priority, and handing the task to a colleague (a dialog listing the task's group). */
function planning(task) {
  const followUp = h('input', { type: 'date', name: 'followUpDate', value: yunfuDay(task.followUpDate) });
  const priority = h('input', {
    type: 'number',
    name: 'priority',
    min: 0,
    max: 100,
    step: 1,
    inputmode: 'numeric',
    value: String(task.priority),
  });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': '跟进日期和优先级' },
    field('跟进日期', followUp),
    field('优先级（0–100）', priority, { hint: '0–25 低，26–50 中，51–75 高，76–100 紧急' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, '保存'),
      h('button', { type: 'button', onclick: () => openAssign(task) }, '转交同事'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { priority: Number(priority.value) };
    // 09:00 in Yunfu on the chosen day
    if (followUp.value) body.followUpDate = `${followUp.value}T09:00:00+08:00`;
    try {
      await patch(`/tasks/${encodeURIComponent(task.userTaskKey)}`, body);
      toast('已保存跟进日期和优先级');
      rerender();
    } catch (e) {
      toast(e instanceof ApiError ? problemText(e) : String(e), 'error');
    }
  });
  return section('安排', form);
}

function problemText(e) {
  const fields = (e.errors ?? []).map((i) => `${i.field}：${i.reason}`).join('；');
  return fields ? `${e.detail}（${fields}）` : e.detail;
}

/** The colleagues of the task's group in a dialog; choosing one hands the task over. */
async function openAssign(task) {
  let colleagues;
  try {
    colleagues = await get(`/tasks/${encodeURIComponent(task.userTaskKey)}/colleagues`);
  } catch (e) {
    toast(e instanceof ApiError ? e.detail : String(e), 'error');
    return;
  }
  const me = current();
  const others = colleagues.filter((c) => c.id !== me.id);
  const choice = h(
    'select',
    { name: 'assignee' },
    others.map((c) => h('option', { value: c.id }, `${c.displayName}（${c.username}）`)),
  );
  const dialog = h(
    'dialog',
    { 'aria-label': '转交任务' },
    h('h2', {}, `转交“${task.name}”`),
    others.length === 0
      ? h('p', {}, '该任务的候选组内没有其他同事。')
      : field('转交给', choice, { hint: '只能转交给该任务候选组内的同事；转交后由其办理。' }),
    h(
      'div',
      { class: 'actions' },
      others.length === 0
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: async () => {
                try {
                  const done = await post(`/tasks/${encodeURIComponent(task.userTaskKey)}/assignment`, {
                    assignee: choice.value,
                  });
                  dialog.close();
                  toast(`已转交给${done.assigneeName}`);
                  rerender();
                } catch (e) {
                  toast(e instanceof ApiError ? problemText(e) : String(e), 'error');
                }
              },
            },
            '确认转交',
          ),
      h('button', { type: 'button', onclick: () => dialog.close() }, '取消'),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/** The completed tasks of the project and the task's variables, read-only, each behind its own tab. */
async function sidePanels(key) {
  const [history, vars] = await Promise.all([
    get(`/tasks/${encodeURIComponent(key)}/history`).catch(() => null),
    get(`/tasks/${encodeURIComponent(key)}/variables`).catch(() => null),
  ]);
  const historyPanel = h(
    'div',
    { id: 'task-history', role: 'tabpanel', 'aria-label': '办理记录' },
    history === null
      ? h('p', { class: 'notice warn' }, '办理记录暂不可用。')
      : history.items.length === 0
        ? h('p', { class: 'empty' }, '尚无已办结的任务。')
        : historyTable(history),
  );
  const variablesPanel = h(
    'div',
    { id: 'task-variables', role: 'tabpanel', 'aria-label': '任务变量', hidden: true },
    vars === null
      ? h('p', { class: 'notice warn' }, '任务变量暂不可用。')
      : h(
          'dl',
          { class: 'facts' },
          vars.variables.map((v) => [
            h('dt', {}, v.name),
            h('dd', {}, h('code', {}, JSON.stringify(v.value))),
          ]),
        ),
    h('p', { class: 'muted' }, '只读；项目标识、金额和各环节的决定不在此列出。'),
  );
  const tabs = [
    ['办理记录', historyPanel],
    ['任务变量', variablesPanel],
  ];
  const buttons = tabs.map(([label, panel], i) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        'aria-controls': panel.id,
        'aria-selected': i === 0 ? 'true' : 'false',
        'aria-current': i === 0 ? 'page' : false,
        onclick: () => {
          tabs.forEach(([, p], j) => {
            p.hidden = j !== i;
            buttons[j].setAttribute('aria-selected', j === i ? 'true' : 'false');
            if (j === i) buttons[j].setAttribute('aria-current', 'page');
            else buttons[j].removeAttribute('aria-current');
          });
        },
      },
      label,
    ),
  );
  return [
    section(
      '记录与数据',
      h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '记录与数据' }, buttons),
      historyPanel,
      variablesPanel,
    ),
  ];
}

/** Who completed which task of the project, when, and what they decided (as submitted). */
function historyTable(history) {
  return h(
    'table',
    { class: 'list' },
    h('caption', { class: 'sr-only' }, '已办结的任务'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['任务', '办理人', '办结时间', '提交的决定'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      history.items.map((i) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': '任务' }, i.name),
          h(
            'td',
            { 'data-label': '办理人' },
            i.completedBy ? (i.completedBy.displayName ?? i.completedBy.accountId) : '—',
          ),
          h('td', { 'data-label': '办结时间' }, i.completionDate ? fmtDateTime(i.completionDate) : '—'),
          h('td', { 'data-label': '提交的决定' }, decisionText(i.decisionShown, i.decision)),
        ),
      ),
    ),
  );
}

/** The decision in its form's words: the option chosen, then `label：value` lines (issue 16: no codes, no keys). */
function decisionText(shown, raw) {
  if (shown && (shown.choice || shown.lines.length > 0))
    return h(
      'ul',
      { class: 'plain' },
      shown.lines.map((line) => h('li', {}, line)),
    );
  // A task without a form (or one the engine no longer has): what was submitted, said as plainly as it can be.
  if (!raw || Object.keys(raw).length === 0) return '—';
  return h(
    'ul',
    { class: 'plain' },
    Object.entries(raw).map(([k, v]) =>
      h('li', {}, `${k}：${typeof v === 'string' ? v : JSON.stringify(v)}`),
    ),
  );
}

// One task: its Camunda form (the same `.form` file Modeler edits) rendered by the form-js viewer with the data the
// task shows, claim/unclaim, and completion with the form's values. form-js validates in the browser; the API
// validates again against the form and answers field by field (`variables.<key>`).
import { ApiError, get, post } from '../api.js';
import { add, fmtDateTime, h, loadScript, loadStyle, section, toast } from '../dom.js';
import { renderTaskForm } from '../form-zh.js';
import { current, vocabSync } from '../session.js';
import { claim, dueBadge, groupLabel, processLabel } from './tasks.js';

export async function render(main, params) {
  const key = params.key;
  const detail = await get(`/tasks/${encodeURIComponent(key)}`);
  const { task, form: taskForm, variables } = detail;
  const me = current();
  const readOnly = me.roles.every((r) => r === 'audit') && !task.candidateGroups.includes('audit');
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
  );

  const claimBar = claimActions(task, open, readOnly);

  if (!taskForm) {
    add(
      main,
      section('表单', h('p', { class: 'notice warn' }, '此任务没有关联的表单，请联系流程负责人。'), claimBar),
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

// The notification centre (issue 16): what the person signed in has been told — every decision about their Unit's
// projects, deadlines, reminders — newest first, unread ones marked; open one to mark it read, or mark all read.
// The header's 通知 link shows the unread count (main.js); both come from /api/notifications, which shows each
// account its own notifications only. Below the list, the address the notices are also e-mailed to (PUT /api/me/email).
import { ApiError, api, get, post, query } from '../api.js';
import {
  add,
  clearErrors,
  errorSummary,
  field,
  fmtDateTime,
  h,
  mount,
  section,
  showErrors,
  toast,
} from '../dom.js';

/** Tells the shell the unread count changed (it redraws the header's badge). */
const changed = () => window.dispatchEvent(new CustomEvent('notifications-changed'));

export async function render(main, _params, q) {
  const unreadOnly = q.get('unread') === 'true';
  const list = h('div', { class: 'notifications' });
  const markAll = h('button', { type: 'button', class: 'secondary' }, '全部标为已读');
  add(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, '通知'), markAll),
    h(
      'p',
      { class: 'filters' },
      h('a', { href: '#/notifications', 'aria-current': unreadOnly ? false : 'page' }, '全部'),
      ' · ',
      h('a', { href: '#/notifications?unread=true', 'aria-current': unreadOnly ? 'page' : false }, '仅未读'),
    ),
    list,
    await emailSettings(),
  );
  const draw = async () => {
    const items = await get(`/notifications${query({ unread: unreadOnly ? 'true' : '', limit: 200 })}`);
    markAll.disabled = !items.some((n) => !n.readAt);
    mount(
      list,
      items.length === 0
        ? h('p', { class: 'muted' }, unreadOnly ? '没有未读通知。' : '暂无通知。')
        : h(
            'ul',
            { class: 'notification-list' },
            items.map((n) => item(n, draw)),
          ),
    );
  };
  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    const { marked } = await post('/notifications/read-all');
    toast(marked > 0 ? `已将 ${marked} 条通知标为已读` : '没有未读通知');
    changed();
    await draw();
  });
  await draw();
}

function item(n, redraw) {
  const unread = !n.readAt;
  const markRead = async () => {
    await post(`/notifications/${encodeURIComponent(n.id)}/read`);
    changed();
    await redraw();
  };
  return h(
    'li',
    { class: `notification${unread ? ' unread' : ''}`, 'data-id': n.id },
    h(
      'div',
      { class: 'notification-head' },
      h('strong', {}, unread ? h('span', { class: 'badge' }, '未读') : null, ' ', n.title),
      h('small', { class: 'muted' }, fmtDateTime(n.createdAt)),
    ),
    h(
      'div',
      { class: 'notification-body' },
      n.body.split('\n').map((line) => h('p', {}, line)),
    ),
    h(
      'div',
      { class: 'notification-actions' },
      n.projectId
        ? h(
            'a',
            { href: `#/projects/${encodeURIComponent(n.projectId)}`, onclick: unread ? markRead : null },
            '查看项目',
          )
        : null,
      unread ? h('button', { type: 'button', class: 'link-button', onclick: markRead }, '标为已读') : null,
    ),
  );
}

/** 通知邮箱: where this person's notices are e-mailed too; empty: in-app only. */
async function emailSettings() {
  const me = await get('/me');
  const input = h('input', {
    type: 'email',
    name: 'email',
    maxlength: '254',
    autocomplete: 'email',
    value: me.email ?? '',
  });
  const form = h(
    'form',
    { class: 'email-settings', novalidate: true },
    errorSummary(),
    field('接收通知的电子邮箱', input, {
      name: 'email',
      hint: '每条通知同时发送到此邮箱；留空则只在系统内通知。',
    }),
    h('button', { type: 'submit' }, '保存邮箱'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const saved = await api('PUT', '/me/email', { email: input.value.trim() || null });
      toast(saved.email ? `通知将同时发送到 ${saved.email}` : '已清除邮箱，通知只在系统内显示');
    } catch (e) {
      if (e instanceof ApiError) showErrors(form, e);
      else throw e;
    }
  });
  return section('通知邮箱', form);
}

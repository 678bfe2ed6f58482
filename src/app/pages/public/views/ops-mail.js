// Issue 16: the notification e-mails the server could not deliver after every attempt, on the operations page — to
// whom, what, how often it was tried and the mail server's last answer — each sent again once the cause is mended
// (the address corrected, the mail server back), with a reason the audit log keeps. Nothing is shown while every
// mail went out.
import { ApiError, get, post } from '../api.js';
import { fmtDateTime, h, section, toast } from '../dom.js';
import { reasonForm } from './ops-admin.js';

const refresh = () => dispatchEvent(new HashChangeEvent('hashchange'));

/** At most this many failed mails are listed, newest first; the heading gives the true number. */
const PAGE_SIZE = 50;

export async function failedMailsSection() {
  const { items: mails, total } = await get(`/ops/mails?state=failed&pageSize=${PAGE_SIZE}`);
  if (total === 0) return null;
  const shown = total > mails.length ? `，最新的 ${mails.length} 封` : '';
  return section(
    `发送失败的通知邮件（${total} 封${shown}）`,
    h(
      'table',
      { class: 'failed-mails' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['收件人', '主题', '生成时间', '尝试次数', '邮件服务器的答复', ''].map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, mails.map(mailRow)),
    ),
  );
}

function mailRow(m) {
  const cell = h('td', {});
  const again = h(
    'button',
    { type: 'button', class: 'primary', 'aria-label': `重新发送：${m.subject}` },
    '重新发送',
  );
  again.addEventListener('click', () => {
    again.hidden = true;
    cell.append(
      reasonForm(
        `重新发送给 ${m.recipient} 的原因`,
        '确认重新发送',
        async (reason) => {
          try {
            await post(`/ops/mails/${encodeURIComponent(m.id)}/retry`, { reason });
            toast(`已重新发送给 ${m.recipient}`);
            refresh();
          } catch (e) {
            toast(e instanceof ApiError ? e.detail : String(e), 'error');
          }
        },
        (form) => {
          form.remove();
          again.hidden = false;
        },
      ),
    );
  });
  cell.append(again);
  return h(
    'tr',
    { 'data-mail-id': m.id },
    h('td', { 'data-label': '收件人' }, m.recipient),
    h('td', { 'data-label': '主题' }, m.subject),
    h('td', { 'data-label': '生成时间' }, fmtDateTime(m.createdAt)),
    h('td', { 'data-label': '尝试次数' }, String(m.attempts)),
    h('td', { 'data-label': '邮件服务器的答复' }, m.lastError ?? ''),
    cell,
  );
}

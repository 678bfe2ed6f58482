// Sign-in: tenant (the city or a county, SU-3), user name and password → POST /api/session sets the cookie.
import { ApiError, post } from '../api.js';
import { add, clearErrors, errorSummary, field, h, showErrors } from '../dom.js';
import { setCurrent } from '../session.js';

export async function render(main, _params, query) {
  const tenant = h(
    'select',
    { name: 'tenantId', autocomplete: 'off' },
    h('option', { value: 'yunfu' }, '云浮市（市本级）'),
    h('option', { value: 'xinxing' }, '新兴县'),
  );
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    errorSummary(),
    field('所属地区', tenant, { name: 'tenantId' }),
    field('用户名', username, { name: 'username' }),
    field('密码', password, { name: 'password' }),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const missing = [];
    if (!username.value.trim()) missing.push({ field: 'username', reason: '请输入用户名' });
    if (!password.value) missing.push({ field: 'password', reason: '请输入密码' });
    if (missing.length > 0) {
      showErrors(form, { detail: '请填写用户名和密码', errors: missing });
      return;
    }
    submit.disabled = true;
    try {
      const session = await post('/session', {
        tenantId: tenant.value,
        username: username.value.trim(),
        password: password.value,
      });
      setCurrent(session.account);
      const next = query.get('next');
      location.hash = next?.startsWith('#/') && !next.startsWith('#/login') ? next : '#/';
    } catch (e) {
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
    } finally {
      submit.disabled = false;
    }
  });
  add(
    main,
    h(
      'div',
      { class: 'login' },
      h('h1', {}, '登录'),
      h('p', { class: 'muted' }, '《云浮市市级政务信息化服务项目管理办法》项目申报、审核与监督'),
      // issue 16: why the sign-in page is shown in the middle of work
      query.get('expired') === '1'
        ? h(
            'p',
            { class: 'notice warn', role: 'alert' },
            '登录已过期，请重新登录。登录后将回到原页面，已填写的内容会恢复。',
          )
        : null,
      form,
    ),
  );
  username.focus();
}

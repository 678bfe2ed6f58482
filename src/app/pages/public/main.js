// The shell: who is signed in, the navigation their roles allow, and a small hash router (#/tasks, #/projects/ID…)
// that renders one view into <main>. Views are modules with `render(main, params, query)`.
import { ApiError, api, get, setUnauthenticatedHandler } from './api.js';
import { failure, h, mount, toast } from './dom.js';
import { forgetDrafts, keepDraft, restoreDraft } from './drafts.js';
import { can, current, setCurrent, vocabulary } from './session.js';

let rendering = 0;
/** Set by the first hash change: the initial load keeps the browser's own focus order. */
let navigated = false;

const routes = [
  { path: '/login', view: () => import('./views/login.js'), title: '登录', public: true },
  { path: '/projects', view: () => import('./views/projects.js'), title: '项目库' },
  { path: '/projects/new', view: () => import('./views/project-form.js'), title: '新建项目' },
  { path: '/projects/:id/edit', view: () => import('./views/project-form.js'), title: '修改项目草稿' },
  { path: '/projects/:id', view: () => import('./views/project.js'), title: '项目详情' },
  { path: '/plans', view: () => import('./views/plans.js'), title: '年度规划备案' },
  { path: '/plans/:id', view: () => import('./views/plan.js'), title: '年度规划备案详情' },
  { path: '/tasks', view: () => import('./views/tasks.js'), title: '任务列表' },
  { path: '/tasks/:key', view: () => import('./views/task.js'), title: '办理任务' },
  { path: '/ops', view: () => import('./views/ops.js'), title: '流程运维' },
  { path: '/ops/instances/:key', view: () => import('./views/ops-instance.js'), title: '流程实例' },
  { path: '/ops/campaign', view: () => import('./views/campaign.js'), title: '年度规划备案情况' },
  { path: '/dashboard', view: () => import('./views/dashboard.js'), title: '统计看板' },
  { path: '/evaluations', view: () => import('./views/evaluations.js'), title: '评价结果' },
  { path: '/needs', view: () => import('./views/needs.js'), title: '公共类需求征集' },
  { path: '/notifications', view: () => import('./views/notifications.js'), title: '通知' },
];

function match(path) {
  for (const route of routes) {
    const names = [];
    const re = new RegExp(
      `^${route.path.replace(/:(\w+)/g, (_, n) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    const m = re.exec(path);
    if (m)
      return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

/** Where a signed-in person starts: the Unit in its projects, reviewers in their tasks. */
function home() {
  if (can.isUnit()) return '#/projects';
  if (can.tasks() && !can.readOnly()) return '#/tasks';
  if (can.readProjects()) return '#/projects';
  return '#/tasks';
}

function navItems() {
  const items = [];
  if (can.readProjects()) items.push(['#/projects', can.isUnit() ? '我的项目' : '项目库']);
  if (can.readProjects()) items.push(['#/plans', '年度规划']);
  if (can.tasks()) items.push(['#/tasks', '任务列表']);
  if (can.operate()) items.push(['#/needs', '需求征集']);
  if (can.operate()) items.push(['#/ops', '流程运维']);
  if (can.statistics()) items.push(['#/dashboard', '统计看板']);
  // SV-1: the Bureau and Finance evaluate and appraise; Audit reads (the API also lets a Unit read its own)
  if (current()?.roles.some((r) => ['bureau-reviewer', 'bureau-admin', 'finance', 'audit'].includes(r)))
    items.push(['#/evaluations', '评价结果']);
  return items;
}

function renderChrome(path) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const me = current();
  if (!me) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  mount(
    nav,
    h(
      'ul',
      {},
      navItems().map(([href, label]) => {
        const active = path === href.slice(1) || path.startsWith(`${href.slice(1)}/`);
        return h(
          'li',
          {},
          h('a', { href, class: 'nav-link', 'aria-current': active ? 'page' : false }, label),
        );
      }),
    ),
  );
  mount(
    who,
    notificationLink(path),
    h(
      'span',
      { class: 'who-name' },
      me.displayName,
      h('small', {}, [me.unitName, me.roleNames.join('、')].filter(Boolean).join(' · ')),
    ),
    h('button', { type: 'button', class: 'link-button', onclick: signOut }, '退出'),
  );
}

/** The header's 通知 link with the unread count (issue 16), refreshed on every page and when a view marks some read. */
function notificationLink(path) {
  const count = h('span', { class: 'notify-count', hidden: true });
  const link = h(
    'a',
    {
      href: '#/notifications',
      class: 'notify-link',
      'aria-current': path === '/notifications' ? 'page' : false,
    },
    '通知',
    count,
  );
  const refresh = async () => {
    try {
      const { unread } = await get('/notifications/unread-count');
      count.textContent = String(unread);
      count.hidden = unread === 0;
      link.setAttribute('aria-label', unread > 0 ? `通知，${unread} 条未读` : '通知，没有未读');
    } catch {
      // The badge is a hint: the list itself says what failed.
    }
  };
  refresh();
  return link;
}

window.addEventListener('notifications-changed', () => {
  if (current()) renderChrome(location.hash.slice(1).split('?')[0]);
});

async function signOut() {
  rendering += 1;
  setCurrent(null);
  forgetDrafts();
  document.getElementById('toast')?.classList.remove('show');
  try {
    await api('DELETE', '/session');
  } catch {
    // Already signed out: the sign-in page follows either way.
  }
  location.hash = '#/login';
}

async function render() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) {
    location.replace('#/');
    return;
  }
  const [rawPath, rawQuery = ''] = hash.slice(1).split('?');
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  const ticket = ++rendering;
  const main = document.getElementById('main');

  if (!current() && path !== '/login') {
    try {
      setCurrent(await get('/me'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) {
        mount(main, failure(e));
        return;
      }
      location.replace(`#/login?next=${encodeURIComponent(hash)}`);
      return;
    }
  }
  if (path === '/') {
    location.replace(home());
    return;
  }
  const found = match(path);
  renderChrome(path);
  if (!found) {
    document.title = '页面不存在 · 云浮市政务信息化项目管理';
    mount(main, h('h1', {}, '页面不存在'), h('p', {}, h('a', { href: home() }, '返回首页')));
    return;
  }
  document.title = `${found.route.title} · 云浮市政务信息化项目管理`;
  main.setAttribute('aria-busy', 'true');
  try {
    const [mod] = await Promise.all([found.route.view(), vocabulary()]);
    if (ticket !== rendering) return;
    // Each render gets its own container: a slower, older render keeps writing into its own detached one.
    const view = h('div', { class: 'view' });
    mount(main, view);
    await mod.render(view, found.params, new URLSearchParams(rawQuery));
    if (ticket === rendering && current() && restoreDraft(view, current(), hash))
      toast('已恢复登录过期前填写的内容，请核对后再提交');
  } catch (e) {
    if (ticket !== rendering) return;
    if (e instanceof ApiError && e.status === 401) return;
    mount(main, h('h1', {}, found.route.title), failure(e));
  } finally {
    if (ticket === rendering) main.removeAttribute('aria-busy');
  }
  // After a navigation, move the focus to the new page's heading so keyboard and screen-reader users start there
  // (not on the first load: there the skip link comes first, as on any page).
  if (ticket === rendering && navigated && !main.contains(document.activeElement)) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
}

// A session that expired while signed in: back to the sign-in page, then to where the person was. (A response
// that arrives after signing out is ignored: nobody is signed in any more.)
setUnauthenticatedHandler(() => {
  const me = current();
  if (!me) return;
  // Issue 16: what was typed on this page is kept for when the same account signs in again and comes back.
  const main = document.getElementById('main');
  if (main) keepDraft(main, me, location.hash);
  setCurrent(null);
  rendering += 1;
  if (!location.hash.startsWith('#/login')) {
    location.hash = `#/login?expired=1&next=${encodeURIComponent(location.hash)}`;
  }
});

// The skip link focuses <main> without touching the hash the router reads.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
});

window.addEventListener('hashchange', () => {
  navigated = true;
  render();
});
render();

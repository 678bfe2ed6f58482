// The project's audit export for Audit and the Bureau's administrators (SV-3, issue 16): the button that downloads
// GET /api/projects/{id}/audit-export, with what the package holds and how anyone checks it without the system.
import { h, section } from '../dom.js';
import { current } from '../session.js';

/** Whether the signed-in person may export (the API decides; this only chooses what to show). */
export function mayExportAudit() {
  return Boolean(current()?.roles.some((r) => r === 'audit' || r === 'bureau-admin'));
}

const CONTENTS = [
  ['project.json', '项目记录'],
  ['application-versions.json', '立项申请的每一个版本'],
  ['history.json', '项目阶段与修改历史'],
  ['opinions.json', '各环节的审核意见与结论'],
  ['approval-opinions.json', '立项审批意见（含文号）'],
  ['filings.json', '变更、延期、终止备案'],
  ['amounts.json', '各阶段金额'],
  ['evaluations.json', '应用效果评价'],
  ['data-resources.json', '政务数据资源目录登记'],
  ['documents.json、documents/', '项目材料及其原文件'],
  ['trail.json', '本项目的审计日志条目（带链式哈希）'],
  ['manifest.json', '以上每个文件的大小和 SHA-256 哈希清单'],
  ['signature.json', '审计链 Ed25519 密钥对清单的签名，含公钥及其指纹'],
];

export function auditExportSection(project) {
  const href = `/api/projects/${encodeURIComponent(project.id)}/audit-export`;
  return section(
    '审计资料包',
    h('p', {}, '导出本项目完整、可校验的审计资料包（tar 文件，SV-3）。导出本身记入审计日志。'),
    h('p', {}, h('a', { class: 'button', href, download: `audit-${project.id}.tar` }, '导出审计资料包')),
    h('h3', {}, '资料包包含'),
    h(
      'ul',
      { class: 'audit-contents' },
      CONTENTS.map(([file, what]) => h('li', {}, h('code', {}, file), `：${what}`)),
    ),
    h('h3', {}, '如何校验'),
    h(
      'ol',
      {},
      h(
        'li',
        {},
        '在任一装有本系统源代码的计算机上运行：',
        h('code', {}, `npm run audit:verify -- --archive audit-${project.id}.tar`),
      ),
      h(
        'li',
        {},
        '校验工具逐一核对每个文件的 SHA-256 与清单一致、没有多出或缺少文件，并核对清单的 Ed25519 签名。',
      ),
      h(
        'li',
        {},
        '用 ',
        h('code', {}, '--fingerprint 指纹'),
        ' 或 ',
        h('code', {}, '--public-key 公钥文件'),
        ' 指定管理局公布的审计公钥：签名必须出自该密钥，否则校验不通过。',
      ),
    ),
  );
}

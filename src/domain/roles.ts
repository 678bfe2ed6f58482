// G-5..G-8 and SV-1..SV-3: who does what. Role ids are the candidate groups of the BPMN user tasks.

export const ROLES = {
  'unit-staff': { name: '市直单位经办人员', clause: 'G-6' },
  'unit-section': { name: '市直单位责任科室', clause: 'G-6' },
  'unit-leadership': { name: '市直单位信息化建设领导小组', clause: 'G-6' },
  'bureau-reviewer': { name: '市政务服务数据管理局审核人员', clause: 'G-5' },
  'bureau-admin': { name: '市政务服务数据管理局管理员', clause: 'G-5' },
  finance: { name: '市财政局', clause: 'G-7' },
  'city-government': { name: '市政府', clause: 'PUB-4' },
  audit: { name: '市审计局', clause: 'G-8' },
  expert: { name: '评审专家', clause: 'PUB-2' },
  'cost-reviewer': { name: '第三方造价审核机构', clause: 'PUB-2' },
  supervisor: { name: '监理单位', clause: 'IM-3' },
  'testing-org': { name: '第三方测评机构', clause: 'IM-4' },
} as const;
export type Role = keyof typeof ROLES;

/**
 * SU-2: what users read of the Bureau, as the edition in force names it (`bureauName`: 政务服务数据管理局 under
 * 云府办〔2020〕2号, 政务服务和数据管理局 under 云府办〔2024〕8号): 市 + it. SU-3: a county's edition names its own
 * body with its place (新兴县政务服务和数据管理局), which is read as it is.
 */
export function bureauDisplayName(bureauName: string): string {
  return /^.+[县区市]/.test(bureauName) ? bureauName : `市${bureauName}`;
}

/** A role's name as users read it: the Bureau's roles under the edition's name of the Bureau (SU-2). */
export function roleDisplayName(role: Role, bureauName: string): string {
  const name: string = ROLES[role].name;
  return role.startsWith('bureau-')
    ? name.replace('市政务服务数据管理局', bureauDisplayName(bureauName))
    : name;
}

/** The candidate group of a Unit's own tasks. */
export function unitGroup(unitId: string): string {
  return `unit-${unitId}`;
}

/** The steps G-5 lists for the category owner: the Bureau for 公共类, the Unit for 专业类. */
export const OWNED_STEPS = [
  '需求汇总',
  '方案编制',
  '预算编报',
  '磋商谈判',
  '签订合同',
  '监督执行',
  '组织验收',
] as const;

/** G-8 / SV-2: Audit reads everything and changes nothing; Finance sees funds and status of every project. */
export function isReadOnlyRole(role: Role): boolean {
  return role === 'audit';
}

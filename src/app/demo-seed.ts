// Demo Units and one account for every role (README "谁在用"), in the city and in one county, so that a fresh
// installation can be tried and the isolation between tenants seen. Only a demo command calls this — never
// production start-up. Idempotent: an existing account is left as it is.
import type { Role } from '../domain/roles.ts';
import { createAccount, findAccountForLogin } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { upsertUnit } from '../store/units.ts';
import { hashPassword } from './auth/passwords.ts';

export const DEMO_UNITS = [
  { tenantId: 'yunfu', id: 'gongan', name: '云浮市公安局', responsibleSection: '科技信息化科' },
  { tenantId: 'yunfu', id: 'jiaoyu', name: '云浮市教育局', responsibleSection: '教育信息中心' },
  { tenantId: 'yunfu', id: 'weijian', name: '云浮市卫生健康局', responsibleSection: '规划信息科' },
  { tenantId: 'xinxing', id: 'gongan', name: '新兴县公安局', responsibleSection: '科技信息化股' },
];

export interface DemoAccount {
  tenantId: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId?: string;
  organisationId?: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    tenantId: 'yunfu',
    username: 'gongan.staff',
    displayName: '市公安局经办人',
    roles: ['unit-staff'],
    unitId: 'gongan',
  },
  {
    tenantId: 'yunfu',
    username: 'gongan.section',
    displayName: '市公安局责任科室',
    roles: ['unit-section'],
    unitId: 'gongan',
  },
  {
    tenantId: 'yunfu',
    username: 'gongan.leader',
    displayName: '市公安局信息化领导小组',
    roles: ['unit-leadership'],
    unitId: 'gongan',
  },
  {
    tenantId: 'yunfu',
    username: 'jiaoyu.staff',
    displayName: '市教育局经办人',
    roles: ['unit-staff'],
    unitId: 'jiaoyu',
  },
  {
    tenantId: 'yunfu',
    username: 'jiaoyu.section',
    displayName: '市教育局责任科室',
    roles: ['unit-section'],
    unitId: 'jiaoyu',
  },
  {
    // G-6: a Unit of one person holds both Unit roles: prepares as staff, signs off as its 责任科室 (README)
    tenantId: 'yunfu',
    username: 'weijian.solo',
    displayName: '市卫生健康局信息化专员（经办兼责任科室）',
    roles: ['unit-staff', 'unit-section'],
    unitId: 'weijian',
  },
  {
    tenantId: 'yunfu',
    username: 'bureau.reviewer',
    displayName: '市政数局审核员',
    roles: ['bureau-reviewer'],
  },
  { tenantId: 'yunfu', username: 'bureau.admin', displayName: '市政数局管理员', roles: ['bureau-admin'] },
  { tenantId: 'yunfu', username: 'finance', displayName: '市财政局', roles: ['finance'] },
  { tenantId: 'yunfu', username: 'citygov', displayName: '市政府', roles: ['city-government'] },
  { tenantId: 'yunfu', username: 'audit', displayName: '市审计局', roles: ['audit'] },
  { tenantId: 'yunfu', username: 'expert', displayName: '评审专家', roles: ['expert'] },
  { tenantId: 'yunfu', username: 'cost.reviewer', displayName: '造价审核机构', roles: ['cost-reviewer'] },
  // IM-3, IM-4: third parties' accounts, one organisation each (src/domain/third-parties.ts); two of each kind, so
  // that the one a project did not engage can be seen not to get its tasks
  {
    tenantId: 'yunfu',
    username: 'supervisor',
    displayName: '粤华监理项目总监',
    roles: ['supervisor'],
    organisationId: 'jianli-yuehua',
  },
  {
    tenantId: 'yunfu',
    username: 'jianli.nanfang',
    displayName: '南方监理项目总监',
    roles: ['supervisor'],
    organisationId: 'jianli-nanfang',
  },
  {
    tenantId: 'yunfu',
    username: 'ceping.gdsoft',
    displayName: '省软件测评中心测试工程师',
    roles: ['testing-org'],
    organisationId: 'ceping-gdsoft',
  },
  {
    tenantId: 'yunfu',
    username: 'ceping.saiyun',
    displayName: '赛云软件检测测试工程师',
    roles: ['testing-org'],
    organisationId: 'ceping-saiyun',
  },
  {
    tenantId: 'xinxing',
    username: 'gongan.staff',
    displayName: '新兴县公安局经办人',
    roles: ['unit-staff'],
    unitId: 'gongan',
  },
  // G-6: the county's Unit has its 责任科室 too — without it nothing its staff prepares could go out.
  {
    tenantId: 'xinxing',
    username: 'gongan.section',
    displayName: '新兴县公安局科技信息化股',
    roles: ['unit-section'],
    unitId: 'gongan',
  },
  { tenantId: 'xinxing', username: 'audit', displayName: '新兴县审计局', roles: ['audit'] },
  {
    tenantId: 'xinxing',
    username: 'bureau.admin',
    displayName: '新兴县政数局管理员',
    roles: ['bureau-admin'],
  },
  // SU-3: the county's Bureau reviews its own tenant's applications (初核 and the rest of the Bureau's steps)
  {
    tenantId: 'xinxing',
    username: 'bureau.reviewer',
    displayName: '新兴县政数局审核员',
    roles: ['bureau-reviewer'],
  },
];

/** Seeds the demo Units and accounts, all with `password`. Returns the accounts created this time. */
export async function seedDemo(store: Store, password: string): Promise<string[]> {
  const passwordHash = await hashPassword(password);
  const created: string[] = [];
  await store.transaction(async (tx) => {
    for (const u of DEMO_UNITS) await upsertUnit(tx, u);
    for (const a of DEMO_ACCOUNTS) {
      if (await findAccountForLogin(tx.db, a.tenantId, a.username)) continue;
      await createAccount(tx, { ...a, unitId: a.unitId ?? null, passwordHash });
      created.push(`${a.tenantId}/${a.username}`);
    }
  });
  return created;
}

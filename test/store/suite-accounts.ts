// Accounts of third parties (IM-3, IM-4, AC-3): a 监理 firm's or a testing organisation's account carries one
// organisation of the registry (src/domain/third-parties.ts), is found by its group `org-<id>`, and holds that group
// as a candidate group; an unregistered organisation, or one on a role that is not a third party's, is refused.
import { expect, it } from 'vitest';
import { candidateGroupsOf } from '../../src/app/authz.ts';
import { accountsOfGroup, createAccount } from '../../src/store/accounts.ts';
import type { StoreFixture } from './suite.ts';

export function accountTests(f: StoreFixture): void {
  it("a third party's account carries its registered organisation and is found by its group org-<id>", async () => {
    const account = await f.store.transaction((tx) =>
      createAccount(tx, {
        tenantId: 'yunfu',
        username: 'jianli.test',
        displayName: '监理总监',
        passwordHash: 'x',
        roles: ['supervisor'],
        organisationId: 'jianli-nanfang',
      }),
    );
    expect(account.organisationId).toBe('jianli-nanfang');
    expect(candidateGroupsOf(account)).toEqual(['supervisor', 'org-jianli-nanfang']);
    const members = await accountsOfGroup(f.store.db, 'yunfu', 'org-jianli-nanfang');
    expect(members.map((a) => a.username)).toEqual(['jianli.test']);
    expect(await accountsOfGroup(f.store.db, 'yunfu', 'org-jianli-yuehua')).toEqual([]);
  });

  it('refuses a third party without a registered organisation, and an organisation on any other role', async () => {
    const create = (username: string, roles: ['testing-org'] | ['finance'], organisationId?: string) =>
      f.store.transaction((tx) =>
        createAccount(tx, {
          tenantId: 'yunfu',
          username,
          displayName: '测试',
          passwordHash: 'x',
          roles,
          ...(organisationId ? { organisationId } : {}),
        }),
      );
    await expect(create('ceping.none', ['testing-org'])).rejects.toThrow(/registered organisationId/);
    await expect(create('ceping.fake', ['testing-org'], '本单位自报')).rejects.toThrow(
      /registered organisationId/,
    );
    await expect(create('finance.org', ['finance'], 'ceping-gdsoft')).rejects.toThrow(/organisation/);
  });
}

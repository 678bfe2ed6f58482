// SU-2, SU-4: the forms name the Bureau as the edition of the instance names it. Their text components use form-js
// templating (`{{…}}`, FEEL over the task's variables, as the forms' other fields do): 市 + `rules.bureauName`, the
// edition the project was initiated under (or the campaign opened under), and a neutral 市主管部门 where an instance
// carries no edition. Rendered by form-js itself, as the task page renders them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegulation } from '../../src/domain/index.ts';
import { type FormJs, launchFormJs } from './form-js.ts';

const { rules } = loadRegulation();
const form = (id: string) => JSON.parse(readFileSync(`processes/${id}.form`, 'utf8')) as object;

describe('the forms name the Bureau as the instance’s edition does', () => {
  let formJs: FormJs;
  beforeAll(async () => {
    formJs = await launchFormJs();
  }, 60_000);
  afterAll(async () => {
    await formJs?.close();
  });

  it.each([
    ['yunfu-v1', '应及时报市政务服务数据管理局备案（IM-8）'],
    ['yunfu-2024', '应及时报市政务服务和数据管理局备案（IM-8）'],
  ])('a project of %s reads its edition’s name in the delay registration', async (edition, line) => {
    const text = await formJs.text(form('delay-filing-registration'), {
      projectName: '智慧警务',
      projectId: 'YF-2026-0007',
      unitName: '云浮市公安局',
      rules: rules.rulesVariable(rules.byId(edition)),
    });
    expect(text).toContain(line);
  });

  it('an instance without an edition reads the neutral 市主管部门, never an empty name', async () => {
    const text = await formJs.text(form('file-annual-plan'), { planYear: 2027, unitName: '云浮市公安局' });
    expect(text).toContain('前报市主管部门备案');
    const campaign = await formJs.text(form('file-annual-plan'), {
      planYear: 2027,
      unitName: '云浮市公安局',
      rules: rules.rulesVariable(rules.byId('yunfu-2024')),
    });
    expect(campaign).toContain('前报市政务服务和数据管理局备案');
  });
});

// SU-3: the shipped regulation with a county's own editions added under `counties.<tenantId>`, as a process owner
// would add them to config/rule-editions.json — parsed by the same checks start-up applies.
import { readFileSync } from 'node:fs';
import { loadRegulation, parseRuleEditions, type Regulation } from '../../src/domain/index.ts';

export function regulationWithCounty(tenantId: string, editions: object[]): Regulation {
  const base = loadRegulation();
  const config = JSON.parse(readFileSync('config/rule-editions.json', 'utf8')) as object;
  const rules = parseRuleEditions(
    { ...config, counties: { [tenantId]: editions } },
    base.rules.deadlines,
    'test',
  );
  return { ...base, rules };
}

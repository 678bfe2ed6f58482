// IM-3 / IM-4: the decision table the implementation process evaluates and the domain rule must agree,
// at the boundaries and under a later rule edition with other thresholds (SU-2, SU-4).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { implementationRequirements, loadRegulation } from '../../src/domain/index.ts';
import { evaluateDecision, loadDecisions } from '../../src/engine/dmn/index.ts';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';
import { parseDmn } from '../../src/modeling/moddle.ts';

const { rules } = loadRegulation();
const current = rules.rulesVariable(rules.editionAt(new Date('2026-11-27T10:00:00+08:00')));

async function decision() {
  const { rootElement } = await parseDmn(
    readFileSync(join(PROCESSES_DIR, 'implementation-requirements.dmn'), 'utf8'),
  );
  const found = loadDecisions(rootElement).find((d) => d.id === 'implementation-requirements');
  if (!found) throw new Error('implementation-requirements.dmn has no decision implementation-requirements');
  return found;
}

describe('IM-3 / IM-4 the implementation-requirements decision table equals the domain rule', () => {
  const amounts = [0, 499_999, 500_000, 500_001, 999_999, 1_000_000, 1_000_001, 2_500_000];
  const cases = amounts.flatMap((totalInvestment) =>
    amounts
      .filter((s) => s <= totalInvestment)
      .map((softwareDevCost) => ({ totalInvestment, softwareDevCost })),
  );

  it.each([
    ['the current edition', current],
    [
      'an edition with other thresholds',
      { ...current, supervisionThreshold: 500_000, testingThreshold: 999_999 },
    ],
  ])('for every boundary amount under %s', async (_, edition) => {
    const table = await decision();
    for (const c of cases) {
      const fromTable = evaluateDecision(table, { ...c, rules: edition }).output;
      expect(fromTable, JSON.stringify(c)).toEqual(implementationRequirements(c, edition));
    }
  });

  it('999,999 / 1,000,000 and 499,999 / 500,000 with the thresholds of the measures', async () => {
    const table = await decision();
    const at = (totalInvestment: number, softwareDevCost: number) =>
      evaluateDecision(table, { totalInvestment, softwareDevCost, rules: current }).output;
    expect(at(999_999, 499_999)).toEqual({ requiresSupervision: false, requiresThirdPartyTesting: false });
    expect(at(1_000_000, 499_999)).toEqual({ requiresSupervision: true, requiresThirdPartyTesting: false });
    expect(at(999_999, 500_000)).toEqual({ requiresSupervision: false, requiresThirdPartyTesting: true });
    expect(at(1_000_000, 500_000)).toEqual({ requiresSupervision: true, requiresThirdPartyTesting: true });
  });

  it('gives no result when an amount is missing, so the process raises an incident instead of guessing', async () => {
    const table = await decision();
    expect(evaluateDecision(table, { softwareDevCost: 1, rules: current }).output).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { loadRegulation, parseRuleEditions } from '../../src/domain/index.ts';

const { rules: book } = loadRegulation();
const deadlines = book.deadlines;
const base = {
  name: '办法',
  validUntil: null,
  supervisionThreshold: 1_000_000,
  testingThreshold: 500_000,
  annualPlanDeadline: '11-30',
  deadlines: {},
};

describe('SU-2 / SU-4 rule editions by effective date', () => {
  const rules = parseRuleEditions(
    {
      editions: [
        { ...base, id: 'first', effectiveFrom: '2021-01-01' },
        {
          ...base,
          id: 'second',
          effectiveFrom: '2027-01-01',
          supervisionThreshold: 2_000_000,
          deadlines: { initialCheck: 3 },
        },
      ],
    },
    deadlines,
    'test',
  );

  it('a project initiated before the new edition keeps the old thresholds', () => {
    expect(rules.editionAt(new Date('2026-12-31T23:00:00+08:00')).supervisionThreshold).toBe(1_000_000);
  });

  it('a project initiated on the effective date (Shanghai) gets the new edition', () => {
    // 16:30 UTC on 31 December 2026 is 00:30 on 1 January 2027 in Shanghai.
    const e = rules.editionAt(new Date('2026-12-31T16:30:00Z'));
    expect(e.id).toBe('second');
    expect(rules.workingDays(e, 'initialCheck')).toBe(3);
    expect(rules.workingDays(e, 'costReview')).toBe(deadlines.costReview!.workingDays);
  });

  it('carries the edition into the process as the rules variable', () => {
    const v = rules.rulesVariable(rules.byId('second'));
    expect(v.edition).toBe('second');
    expect(v.supervisionThreshold).toBe(2_000_000);
    expect(v.deadlines.initialCheck).toBe(3);
  });

  it('says when no edition is in force', () => {
    expect(() => rules.editionAt(new Date('2020-06-01T00:00:00+08:00'))).toThrow(
      /no rule edition is in force on 2020-06-01/,
    );
  });

  it('refuses an edition that names an unknown deadline or a bad threshold', () => {
    expect(() =>
      parseRuleEditions(
        { editions: [{ ...base, id: 'x', effectiveFrom: '2021-01-01', deadlines: { nap: 1 } }] },
        deadlines,
        'f.json',
      ),
    ).toThrow(/f\.json: editions\[0\]\.deadlines\.nap: unknown deadline/);
    expect(() =>
      parseRuleEditions(
        { editions: [{ ...base, id: 'x', effectiveFrom: '2021-01-01', testingThreshold: 0.5 }] },
        deadlines,
        'f.json',
      ),
    ).toThrow(/editions\[0\]\.testingThreshold/);
  });

  it('the shipped configuration has the thresholds of the measures', () => {
    const e = book.editionAt(new Date());
    expect(e.supervisionThreshold).toBe(1_000_000);
    expect(e.testingThreshold).toBe(500_000);
    expect(e.annualPlanDeadline).toBe('11-30');
    for (const d of Object.values(book.deadlines)) expect(d.source.length).toBeGreaterThan(10);
  });
});

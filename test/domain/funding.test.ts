// G-3 co-funding and IM-1 national funds, as rules: the lines add up to the total investment, a project with no
// city-level fiscal funds is refused with the rule's reason, national funds call for coordination.
import { describe, expect, it } from 'vitest';
import {
  checkApplication,
  checkFunding,
  fundingSummary,
  involvesNationalFunds,
  mainFundingSource,
} from '../../src/domain/index.ts';

const lines = [{ serviceType: 'software-development', subType: 'professional-software', amount: 800_000 }];
const application = {
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  projectName: '云浮市智慧警务平台',
  serviceLines: lines,
};

describe('G-3 a city-funded project may be co-funded', () => {
  it('accepts city funds with provincial and national funds adding up to the total', () => {
    const r = checkApplication({
      ...application,
      fundingLines: [
        { source: 'city-fiscal', amount: 500_000 },
        { source: 'national-fiscal', amount: 300_000 },
      ],
    });
    expect(r).toMatchObject({ refusalReason: null, issues: [], applicationComplete: true });
  });

  it('names the mismatch when the lines do not add up to the total investment', () => {
    const r = checkFunding(
      [
        { source: 'city-fiscal', amount: 500_000 },
        { source: 'self-raised', amount: 200_000 },
      ],
      800_000,
    );
    expect(r.issues).toEqual([
      { field: 'fundingLines', reason: expect.stringContaining('合计 700000 元与项目总投资 800000 元') },
    ]);
  });

  it('refuses only a project without city-level fiscal funds, naming its sources', () => {
    const r = checkApplication({
      ...application,
      fundingLines: [
        { source: 'provincial-fiscal', amount: 500_000 },
        { source: 'national-fiscal', amount: 300_000 },
      ],
    });
    expect(r.refusalReason).toContain('资金来源为“省级资金、中央（国家）资金”，没有市级财政资金');
    expect(r.refusalReason).toContain('G-3');
  });

  it('refuses an unknown source, a zero or fractional amount, and no lines, each by its field', () => {
    const r = checkFunding(
      [
        { source: 'lottery', amount: 1 },
        { source: 'city-fiscal', amount: 0 },
        { source: 'other', amount: 0.5 },
      ],
      800_000,
    );
    expect(r.issues.map((i) => i.field)).toEqual([
      'fundingLines[0].source',
      'fundingLines[1].amount',
      'fundingLines[2].amount',
    ]);
    expect(checkFunding([], 1).issues[0]?.field).toBe('fundingLines');
  });

  it('reads the single fundingSource of earlier clients as one line for the whole total', () => {
    expect(checkApplication({ ...application, fundingSource: 'city-fiscal' }).applicationComplete).toBe(true);
    expect(checkApplication({ ...application, fundingSource: 'other' }).refusalReason).toContain('“其他”');
  });
});

describe('the process re-check after 补正/修改方案 (fundingSum: false)', () => {
  it('checks the sources (G-3) but not the sum the corrected service lines changed', () => {
    const corrected = { ...application, fundingLines: [{ source: 'city-fiscal', amount: 1_060_000 }] };
    expect(checkApplication(corrected).issues.map((i) => i.field)).toEqual(['fundingLines']);
    expect(checkApplication(corrected, { fundingSum: false }).issues).toEqual([]);
    const noCity = { ...application, fundingLines: [{ source: 'other', amount: 800_000 }] };
    expect(checkApplication(noCity, { fundingSum: false }).refusalReason).toContain('G-3');
  });
});

describe('IM-1 national funds and the deciders’ figures', () => {
  const coFunded = [
    { source: 'city-fiscal', amount: 500_000 },
    { source: 'national-fiscal', amount: 300_000 },
  ] as const;
  it('involves national funds only when a national line is present', () => {
    expect(involvesNationalFunds([...coFunded])).toBe(true);
    expect(involvesNationalFunds([{ source: 'city-fiscal', amount: 800_000 }])).toBe(false);
  });
  it('summarises the lines in Chinese and names the largest as the main source', () => {
    expect(fundingSummary([...coFunded])).toBe('市级财政资金 500000 元；中央（国家）资金 300000 元');
    expect(mainFundingSource([...coFunded])).toBe('city-fiscal');
  });
});

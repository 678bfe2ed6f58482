import { describe, expect, it } from 'vitest';
import { loadRegulation, parseRuleEditions } from '../../src/domain/index.ts';

const { rules: book } = loadRegulation();
const deadlines = book.deadlines;
const base = {
  name: '办法',
  validUntil: null,
  bureauName: '政务服务数据管理局',
  supervisionThreshold: 1_000_000,
  testingThreshold: 500_000,
  annualPlanDeadline: '11-30',
  campaignOpens: '10-10',
  delayRedemandInterval: 'P7D',
  deadlines: {},
  fundingScope: ['city-fiscal'],
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

  it('refuses an unknown or mistyped field at start-up, naming it', () => {
    const parse =
      (edition: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      () =>
        parseRuleEditions(
          { editions: [{ ...base, id: 'x', effectiveFrom: '2021-01-01', ...edition }], ...extra },
          deadlines,
          'f.json',
        );
    expect(parse({ supervisonThreshold: 1 })).toThrow(
      /f\.json: editions\[0\]\.supervisonThreshold: unknown field/,
    );
    expect(parse({ bureauName: '' })).toThrow(/editions\[0\]\.bureauName: must be a non-empty string/);
    expect(parse({ carriedOver: ['name'] })).toThrow(/editions\[0\]\.carriedOver\[0\]/);
    expect(parse({}, { edition: [] })).toThrow(/f\.json: edition: unknown field/);
    // the campaign's opening day and the delay re-demand interval are typed, and a typo of either is named
    expect(parse({ campaignOpens: '10-32' })).toThrow(/editions\[0\]\.campaignOpens: must be MM-dd/);
    expect(parse({ campaignOpens: '02-29' })).toThrow(/editions\[0\]\.campaignOpens: must be MM-dd/);
    expect(parse({ campaignOpens: 1010 })).toThrow(/editions\[0\]\.campaignOpens: must be MM-dd/);
    expect(parse({ campaignOpen: '10-10' })).toThrow(/editions\[0\]\.campaignOpen: unknown field/);
    expect(parse({ campaignOpens: '12-01' })).toThrow(
      /editions\[0\]\.campaignOpens: must be before the plan deadline annualPlanDeadline \(11-30\)/,
    );
    for (const bad of ['7D', 'P0D', 'seven days', 7, '']) {
      expect(parse({ delayRedemandInterval: bad }), String(bad)).toThrow(
        /editions\[0\]\.delayRedemandInterval: must be an ISO 8601 duration/,
      );
    }
    expect(parse({ delayRedemandIntervall: 'P7D' })).toThrow(
      /editions\[0\]\.delayRedemandIntervall: unknown field/,
    );
    expect(parse({ delayRedemandInterval: 'P10D', campaignOpens: '09-20' })).not.toThrow();
    // G-3's funding scope: a list of known sources, each once
    expect(parse({ fundingScope: [] })).toThrow(/editions\[0\]\.fundingScope: must list the funding sources/);
    expect(parse({ fundingScope: 'city-fiscal' })).toThrow(/editions\[0\]\.fundingScope: must list/);
    expect(parse({ fundingScope: ['city-fiscal', 'city-fund'] })).toThrow(
      /editions\[0\]\.fundingScope\[1\]: must be a funding source: city-fiscal, provincial-fiscal/,
    );
    expect(parse({ fundingScope: ['city-fiscal', 'city-fiscal'] })).toThrow(
      /editions\[0\]\.fundingScope\[1\]: 'city-fiscal' is listed twice/,
    );
    expect(parse({ fundingScope: ['city-fiscal', 'provincial-fiscal'] })).not.toThrow();
  });

  it('refuses editions whose periods overlap', () => {
    expect(() =>
      parseRuleEditions(
        {
          editions: [
            { ...base, id: 'a', effectiveFrom: '2020-01-10', validUntil: '2024-07-11' },
            { ...base, id: 'b', effectiveFrom: '2024-07-11' },
          ],
        },
        deadlines,
        'f.json',
      ),
    ).toThrow(/editions\[0\]\.validUntil: overlaps edition 'b', in force from 2024-07-11/);
  });
});

describe('SU-2 / SU-4 the two texts: 云府办〔2020〕2号 and 云府办〔2024〕8号', () => {
  it('2020-01-10 to 2024-07-10 is the 2020 edition; from 2024-07-11 (Shanghai) the 2024 one', () => {
    expect(() => book.editionAt(new Date('2020-01-09T12:00:00+08:00'))).toThrow(
      /no rule edition is in force/,
    );
    expect(book.editionAt(new Date('2020-01-10T00:00:00+08:00')).document).toBe('云府办〔2020〕2号');
    expect(book.editionAt(new Date('2024-07-10T23:59:00+08:00')).id).toBe('yunfu-v1');
    const e2024 = book.editionAt(new Date('2024-07-10T16:00:00Z'));
    expect(e2024).toMatchObject({
      id: 'yunfu-2024',
      name: '云浮市市级政务信息化项目管理办法',
      document: '云府办〔2024〕8号',
      bureauName: '政务服务和数据管理局',
    });
    expect(book.byId('yunfu-v1').bureauName).toBe('政务服务数据管理局');
  });

  it('the 2024 edition marks every value its text has not been confirmed to change as carried over', () => {
    const [e2020, e2024] = [book.byId('yunfu-v1'), book.byId('yunfu-2024')];
    for (const field of e2024.carriedOver ?? []) {
      expect(e2024[field as keyof typeof e2024], field).toEqual(e2020[field as keyof typeof e2020]);
    }
    expect(e2024.carriedOver).toEqual([
      'supervisionThreshold',
      'testingThreshold',
      'annualPlanDeadline',
      'campaignOpens',
      'delayRedemandInterval',
      'deadlines',
      'fundingScope',
    ]);
  });

  it('both texts open the campaign on 10 October and ask again for a delay filing after 7 days', () => {
    for (const id of ['yunfu-v1', 'yunfu-2024']) {
      expect(book.byId(id), id).toMatchObject({ campaignOpens: '10-10', delayRedemandInterval: 'P7D' });
      expect(book.rulesVariable(book.byId(id))).toMatchObject({ delayRedemandInterval: 'P7D' });
    }
    expect(book.rulesVariable(book.byId('yunfu-2024')).bureauName).toBe('政务服务和数据管理局');
    expect(book.rulesVariable(book.byId('yunfu-v1')).bureauName).toBe('政务服务数据管理局');
  });
});

describe('SU-3: a county edition on top of the city’s', () => {
  const city = [
    { ...base, id: 'city-2020', effectiveFrom: '2020-01-10', validUntil: '2024-07-10' },
    { ...base, id: 'city-2024', effectiveFrom: '2024-07-11', bureauName: '政务服务和数据管理局' },
  ];
  const county = {
    id: 'xinxing-2025',
    name: '新兴县县级政务信息化项目管理办法',
    document: '新府办〔2025〕3号',
    basedOn: 'city-2024',
    effectiveFrom: '2025-03-01',
    validUntil: null,
    annualPlanDeadline: '11-15',
    campaignOpens: '09-20',
    delayRedemandInterval: 'P3D',
    deadlines: { initialCheck: 3 },
  };
  const rules = parseRuleEditions({ editions: city, counties: { xinxing: [county] } }, deadlines, 'test');

  it('in force for its county from its date: what it sets, the rest from the city edition it builds on', () => {
    const e = rules.editionAt(new Date('2026-11-01T10:00:00+08:00'), 'xinxing');
    expect(e).toMatchObject({
      id: 'xinxing-2025',
      tenantId: 'xinxing',
      basedOn: 'city-2024',
      document: '新府办〔2025〕3号',
      annualPlanDeadline: '11-15',
      bureauName: '政务服务和数据管理局',
      campaignOpens: '09-20',
      delayRedemandInterval: 'P3D',
      supervisionThreshold: 1_000_000,
    });
    expect(rules.workingDays(e, 'initialCheck')).toBe(3);
    expect(rules.workingDays(e, 'costReview')).toBe(deadlines.costReview!.workingDays);
    expect(rules.rulesVariable(rules.byId('xinxing-2025'))).toMatchObject({
      edition: 'xinxing-2025',
      annualPlanDeadline: '11-15',
      bureauName: '政务服务和数据管理局',
      delayRedemandInterval: 'P3D',
    });
  });

  it('the city and other counties keep the city’s edition; before its date the county does too', () => {
    const at = new Date('2026-11-01T10:00:00+08:00');
    expect(rules.editionAt(at).id).toBe('city-2024');
    expect(rules.editionAt(at, 'yunfu').id).toBe('city-2024');
    expect(rules.editionAt(at, 'luoding').id).toBe('city-2024');
    expect(rules.editionAt(new Date('2025-02-28T10:00:00+08:00'), 'xinxing').id).toBe('city-2024');
    expect(rules.all().map((e) => e.id)).toEqual(['city-2020', 'city-2024', 'xinxing-2025']);
  });

  it('refuses a county edition with an unknown field, no city edition under it, or overlapping its own', () => {
    const parse = (list: unknown[]) =>
      parseRuleEditions({ editions: city, counties: { xinxing: list } }, deadlines, 'test');
    expect(() => parse([{ ...county, anualPlanDeadline: '11-15' }])).toThrow(
      /counties\.xinxing\[0\]\.anualPlanDeadline: unknown field/,
    );
    expect(() => parse([{ ...county, basedOn: 'city-2030' }])).toThrow(
      /counties\.xinxing\[0\]\.basedOn: must name a city edition: city-2020, city-2024/,
    );
    expect(() => parse([{ ...county, id: 'city-2024' }])).toThrow(/duplicate edition id 'city-2024'/);
    expect(() =>
      parse([
        { ...county, validUntil: '2026-12-31' },
        { ...county, id: 'xinxing-2026', effectiveFrom: '2026-06-01' },
      ]),
    ).toThrow(/counties\.xinxing\[0\]\.validUntil: overlaps edition 'xinxing-2026'/);
    expect(() => parse([{ ...county, annualPlanDeadline: '02-30' }])).toThrow(
      /counties\.xinxing\[0\]\.annualPlanDeadline: must be MM-dd/,
    );
    expect(() => parse([{ ...county, campaignOpens: '9-20' }])).toThrow(
      /counties\.xinxing\[0\]\.campaignOpens: must be MM-dd/,
    );
    expect(() => parse([{ ...county, delayRedemandInterval: 'P-3D' }])).toThrow(
      /counties\.xinxing\[0\]\.delayRedemandInterval: must be an ISO 8601 duration/,
    );
    expect(() => parseRuleEditions({ editions: [{ ...city[0], basedOn: 'x' }] }, deadlines, 'test')).toThrow(
      /editions\[0\]\.basedOn: only a county edition/,
    );
  });
});

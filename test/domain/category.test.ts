import { describe, expect, it } from 'vitest';
import {
  classifyProject,
  DomainValidationError,
  lineCategory,
  projectAmounts,
  SERVICE_TYPES,
  type ServiceLine,
  serviceLineIssues,
} from '../../src/domain/index.ts';

const line = (serviceType: string, subType: string, amount = 100_000, relatedTo?: string) =>
  ({ serviceType, subType, amount, ...(relatedTo ? { relatedTo } : {}) }) as ServiceLine;

describe('G-4 the closed vocabulary of service types', () => {
  it('has the five types of the measures, with their subtypes', () => {
    expect(Object.keys(SERVICE_TYPES)).toEqual([
      'infrastructure',
      'software-development',
      'operation-maintenance',
      'business-operation',
      'third-party',
    ]);
    expect(Object.keys(SERVICE_TYPES['software-development'].subTypes)).toEqual([
      'public-platform',
      'general-software',
      'professional-software',
    ]);
    expect(Object.values(SERVICE_TYPES['third-party'].subTypes)).toEqual(['咨询', '监理', '测评', '安全']);
  });

  it('refuses an unknown type or subtype, naming the field', () => {
    const issues = serviceLineIssues([line('hardware', 'x'), line('infrastructure', 'mainframe')]);
    expect(issues.map((i) => i.field)).toEqual(['serviceLines[0].serviceType', 'serviceLines[1].subType']);
  });

  it('asks what a related service serves', () => {
    const issues = serviceLineIssues([line('business-operation', 'data-governance')]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe('serviceLines[0].relatedTo');
  });

  it('refuses an empty or missing list', () => {
    expect(serviceLineIssues([])[0]!.reason).toMatch(/至少/);
    expect(serviceLineIssues(undefined)[0]!.field).toBe('serviceLines');
  });
});

describe('G-5 public category and G-6 professional category', () => {
  it.each([
    [line('infrastructure', 'government-cloud'), 'public'],
    [line('software-development', 'public-platform'), 'public'],
    [line('software-development', 'general-software'), 'public'],
    [line('software-development', 'professional-software'), 'professional'],
    [line('operation-maintenance', 'infrastructure-om'), 'public'],
    [line('operation-maintenance', 'software-om', 1, 'professional-software'), 'professional'],
    [line('operation-maintenance', 'software-om', 1, 'general-software'), 'public'],
    [line('business-operation', 'data-processing', 1, 'professional-software'), 'professional'],
    [line('third-party', 'supervision', 1, 'public-platform'), 'public'],
    [line('third-party', 'assessment', 1, 'professional-software'), 'professional'],
  ])('%o is %s', (l, expected) => {
    expect(lineCategory(l)).toBe(expected);
  });

  it('a professional project is owned by the Unit', () => {
    const c = classifyProject(
      [
        line('software-development', 'professional-software'),
        line('third-party', 'supervision', 1, 'professional-software'),
      ],
      'gongan',
    );
    expect(c).toEqual({ category: 'professional', ownerGroup: 'unit-gongan' });
  });

  it('a public project is owned by the Bureau', () => {
    expect(classifyProject([line('infrastructure', 'government-network')], 'gongan')).toEqual({
      category: 'public',
      ownerGroup: 'bureau-admin',
    });
  });

  it('a project mixing both categories is refused, naming the public lines and where they belong', () => {
    try {
      classifyProject(
        [line('software-development', 'professional-software'), line('infrastructure', 'government-cloud')],
        'gongan',
      );
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainValidationError);
      const [issue] = (e as DomainValidationError).issues;
      expect(issue!.field).toBe('serviceLines');
      expect(issue!.reason).toContain('第2项（基础设施服务／政务云）');
      expect(issue!.reason).toContain('基础设施服务申请');
    }
  });

  it('totals the investment and the application software cost from the lines', () => {
    expect(
      projectAmounts([
        line('software-development', 'professional-software', 600_000),
        line('third-party', 'supervision', 50_000, 'professional-software'),
        line('operation-maintenance', 'software-om', 100_000, 'professional-software'),
      ]),
    ).toEqual({ totalInvestment: 750_000, softwareDevCost: 600_000 });
  });
});

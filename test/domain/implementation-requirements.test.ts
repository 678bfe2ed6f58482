import { describe, expect, it } from 'vitest';
import { DomainValidationError, implementationRequirements, loadRegulation } from '../../src/domain/index.ts';

const { rules } = loadRegulation();
const edition = rules.editionAt(new Date('2026-11-27T10:00:00+08:00'));

function expectRefused(fn: () => unknown, field: string, reason: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainValidationError);
    const issue = (e as DomainValidationError).issues.find((i) => i.field === field);
    expect(issue, `an issue naming ${field}`).toBeDefined();
    expect(issue!.reason).toMatch(reason);
    return;
  }
  throw new Error('expected a refusal');
}

describe('IM-3 supervision (监理) at a total investment of 1,000,000 元 or more', () => {
  it.each([
    [999_999, false],
    [1_000_000, true],
    [1_000_001, true],
    [0, false],
  ])('total investment %i → 监理 required: %s', (totalInvestment, expected) => {
    expect(
      implementationRequirements({ totalInvestment, softwareDevCost: 0 }, edition).requiresSupervision,
    ).toBe(expected);
  });
});

describe('IM-4 third-party testing at an application software cost of 500,000 元 or more', () => {
  it.each([
    [499_999, false],
    [500_000, true],
    [500_001, true],
  ])('software cost %i → testing required: %s', (softwareDevCost, expected) => {
    const r = implementationRequirements({ totalInvestment: 2_000_000, softwareDevCost }, edition);
    expect(r.requiresThirdPartyTesting).toBe(expected);
    expect(r.requiresSupervision).toBe(true);
  });
});

describe('IM-3 / IM-4 refuse amounts that are not integers of 元', () => {
  it('refuses a negative amount, naming the field', () => {
    expectRefused(
      () => implementationRequirements({ totalInvestment: -1, softwareDevCost: 0 }, edition),
      'totalInvestment',
      /负数/,
    );
  });
  it('refuses a fractional amount, naming the field', () => {
    expectRefused(
      () => implementationRequirements({ totalInvestment: 1_000_000, softwareDevCost: 499_999.5 }, edition),
      'softwareDevCost',
      /整数/,
    );
  });
  it('refuses a missing amount, naming the field', () => {
    expectRefused(
      () => implementationRequirements({ totalInvestment: undefined, softwareDevCost: 0 }, edition),
      'totalInvestment',
      /缺失/,
    );
  });
  it('refuses a numeric string rather than coercing it', () => {
    expectRefused(
      () => implementationRequirements({ totalInvestment: '1000000', softwareDevCost: 0 }, edition),
      'totalInvestment',
      /数字/,
    );
  });
  it('refuses a software cost above the total investment', () => {
    expectRefused(
      () => implementationRequirements({ totalInvestment: 100, softwareDevCost: 200 }, edition),
      'softwareDevCost',
      /不能超过/,
    );
  });
});

// IM-3: 监理费用纳入项目总投资 — the total investment is the sum of the service lines, so the 监理 cost is inside it only
// as a line of its own, from the edition's supervision threshold on (boundary exactly at 1,000,000 元 included), and
// an engaged 监理 contract's fee stays within that line.
import { describe, expect, it } from 'vitest';
import {
  loadRegulation,
  type ServiceLine,
  supervisionLineIssue,
  thirdPartyFeeIssue,
  thirdPartyLinesTotal,
} from '../../src/domain/index.ts';

const { rules } = loadRegulation();
const threshold = rules.editionAt(new Date('2026-11-27T10:00:00+08:00')).supervisionThreshold;
const software = (amount: number): ServiceLine => ({
  serviceType: 'software-development',
  subType: 'professional-software',
  amount,
});
const supervision = (amount: number): ServiceLine => ({
  serviceType: 'third-party',
  subType: 'supervision',
  relatedTo: 'professional-software',
  amount,
});
const assessment = (amount: number): ServiceLine => ({
  serviceType: 'third-party',
  subType: 'assessment',
  relatedTo: 'professional-software',
  amount,
});

describe('IM-3: the 监理 cost inside the total investment', () => {
  it('the edition in force sets 监理 from 1,000,000 元', () => {
    expect(threshold).toBe(1_000_000);
  });

  it('an application of exactly the threshold without a 监理 line is refused, naming serviceLines; one 元 less is not', () => {
    expect(supervisionLineIssue([software(threshold)], threshold)).toMatchObject({
      field: 'serviceLines',
      reason: expect.stringContaining('必须实行监理，监理费用纳入项目总投资（IM-3）'),
    });
    expect(supervisionLineIssue([software(threshold - 1)], threshold)).toBeNull();
    // a 测评 line is not a 监理 line, and a 监理 line of 0 元 holds no cost
    expect(supervisionLineIssue([software(threshold), assessment(50_000)], threshold)).not.toBeNull();
    expect(supervisionLineIssue([software(threshold), supervision(0)], threshold)).not.toBeNull();
    expect(supervisionLineIssue([software(threshold - 40_000), supervision(40_000)], threshold)).toBeNull();
  });

  it('lines that are not valid lines are left to their own check', () => {
    expect(supervisionLineIssue([{ serviceType: 'nope', amount: 2_000_000 }], threshold)).toBeNull();
    expect(thirdPartyLinesTotal('not lines', 'supervision')).toBeNull();
  });

  it('the 监理 fee stays within the 监理 lines: equal passes, one 元 more and no line at all are refused', () => {
    const lines = [software(1_000_000), supervision(40_000), supervision(20_000)];
    expect(thirdPartyLinesTotal(lines, 'supervision')).toBe(60_000);
    expect(thirdPartyFeeIssue('supervision', 60_000, lines, 'supervisionFee')).toBeNull();
    expect(thirdPartyFeeIssue('supervision', 60_001, lines, 'supervisionFee')?.reason).toBe(
      '监理费用 60,001 元 超出项目服务内容中的监理费用 60,000 元：监理费用须在项目总投资之内（IM-3）',
    );
    expect(
      thirdPartyFeeIssue('supervision', 10_000, [software(1_000_000)], 'supervisionFee')?.reason,
    ).toContain('没有“第三方服务／监理”费用');
    expect(thirdPartyFeeIssue('supervision', 1.5, lines, 'supervisionFee')).toMatchObject({
      field: 'supervisionFee',
    });
    expect(thirdPartyFeeIssue('supervision', -1, lines, 'supervisionFee')).toMatchObject({
      field: 'supervisionFee',
    });
  });

  it('AC-3, IM-4: the testing and assessment fees stay within the 测评 lines; a 监理 line is no room for them', () => {
    const lines = [software(1_000_000), supervision(50_000), assessment(20_000), assessment(10_000)];
    expect(thirdPartyLinesTotal(lines, 'assessment')).toBe(30_000);
    expect(thirdPartyFeeIssue('assessment', 30_000, lines, 'assessmentFee')).toBeNull();
    expect(thirdPartyFeeIssue('assessment', 30_001, lines, 'assessmentFee')).toEqual({
      field: 'assessmentFee',
      reason:
        '测试、测评费用 30,001 元 超出项目服务内容中的测评费用 30,000 元：测试、测评费用须在项目总投资之内（AC-3、IM-4）',
    });
    expect(
      thirdPartyFeeIssue('assessment', 1, [software(1_000_000), supervision(50_000)], 'assessmentFee')
        ?.reason,
    ).toBe(
      '项目服务内容中没有“第三方服务／测评”费用，测试、测评费用须纳入项目总投资（AC-3、IM-4）：请先办理重大变更备案调整服务内容',
    );
  });
});

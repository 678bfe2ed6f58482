import { describe, expect, it } from 'vitest';
import { filingDeadline, filingStatus, planYearOfFiling } from '../../src/domain/index.ts';

describe('P-1 the annual plan is filed before 30 November, Asia/Shanghai', () => {
  it('the deadline for plan year 2027 is the end of 30 November 2026 in Shanghai', () => {
    expect(filingDeadline(2027).deadline).toBe('2026-11-30T23:59:59.999+08:00');
  });

  it('a filing at 23:59 on 30 November is on time', () => {
    expect(filingStatus(2027, new Date('2026-11-30T23:59:00+08:00'))).toEqual({
      planYear: 2027,
      onTime: true,
      daysLate: 0,
    });
  });

  it('a filing at 00:30 on 1 December Shanghai time (16:30 UTC on 30 November) is one day late', () => {
    expect(filingStatus(2027, new Date('2026-11-30T16:30:00Z'))).toEqual({
      planYear: 2027,
      onTime: false,
      daysLate: 1,
    });
  });

  it('a filing belongs to the next calendar year in Shanghai, December filings included', () => {
    expect(planYearOfFiling(new Date('2026-03-01T10:00:00+08:00'))).toBe(2027);
    expect(planYearOfFiling(new Date('2026-12-15T10:00:00+08:00'))).toBe(2027);
    expect(planYearOfFiling(new Date('2026-12-31T17:00:00Z'))).toBe(2028); // 1 January 2027 in Shanghai
  });

  it('follows an edition that moves the deadline', () => {
    expect(filingDeadline(2028, '11-15').deadline).toBe('2027-11-15T23:59:59.999+08:00');
  });
});

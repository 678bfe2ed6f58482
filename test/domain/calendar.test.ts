import { describe, expect, it } from 'vitest';
import { parseScheduleFile, WorkingDayCalendar } from '../../src/domain/index.ts';

const calendar = new WorkingDayCalendar();
const at = (iso: string) => new Date(iso);

describe('working days with official holidays and make-up days (Asia/Shanghai)', () => {
  it('knows the 2026 National Day holiday and its make-up Saturday', () => {
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // Sunday
  });

  it('skips the holiday: 1 working day after 30 September 2026 is 8 October, due at 18:00', () => {
    const due = calendar.addWorkingDays(at('2026-09-30T09:00:00+08:00'), 1);
    expect(due.iso).toBe('2026-10-08T18:00:00+08:00');
    expect(due.provisional).toBe(false);
  });

  it('counts the make-up Saturday: 1 working day after Friday 9 October is Saturday 10 October', () => {
    expect(calendar.addWorkingDays(at('2026-10-09T15:00:00+08:00'), 1).iso).toBe('2026-10-10T18:00:00+08:00');
  });

  it('does not count the start day, and works from the local date, not UTC', () => {
    // 2026-11-26T20:00Z is Friday 27 November 04:00 in Shanghai: 5 working days later is Friday 4 December.
    expect(calendar.addWorkingDays(at('2026-11-26T20:00:00Z'), 5).iso).toBe('2026-12-04T18:00:00+08:00');
  });

  it('0 working days is the end of today, or of the next working day on a day off', () => {
    expect(calendar.addWorkingDays(at('2026-11-27T10:00:00+08:00'), 0).iso).toBe('2026-11-27T18:00:00+08:00');
    expect(calendar.addWorkingDays(at('2026-10-01T10:00:00+08:00'), 0).iso).toBe('2026-10-08T18:00:00+08:00');
  });

  it('flags a deadline in a year without a published schedule as provisional', () => {
    // 2027 has no schedule yet: every weekday counts, 1 January included, until the Bureau adds the year.
    const due = calendar.addWorkingDays(at('2026-12-28T10:00:00+08:00'), 5);
    expect(due.iso).toBe('2027-01-04T18:00:00+08:00');
    expect(due.provisional).toBe(true);
  });

  it('takes a year from the configuration once the Bureau adds it', () => {
    const withSchedule = new WorkingDayCalendar(
      parseScheduleFile(
        { years: { '2027': { holidays: ['2027-01-01', '2027-01-04'], workdays: [] } } },
        'test',
      ),
    );
    const due = withSchedule.addWorkingDays(at('2026-12-31T10:00:00+08:00'), 1);
    expect(due.iso).toBe('2027-01-05T18:00:00+08:00');
    expect(due.provisional).toBe(false);
  });

  it('refuses a bad schedule file with the path of the bad entry', () => {
    expect(() =>
      parseScheduleFile({ years: { '2027': { holidays: ['2027-02-30'], workdays: [] } } }, 'x.json'),
    ).toThrow(/x\.json: years\.2027\.holidays: '2027-02-30'/);
  });

  it('counts working days left, and negative once overdue', () => {
    const due = calendar.addWorkingDays(at('2026-09-30T09:00:00+08:00'), 3).epochMs; // 2026-10-10 (Sat, make-up)
    expect(calendar.workingDaysLeft(at('2026-09-30T09:00:00+08:00'), due)).toBe(3);
    expect(calendar.workingDaysLeft(at('2026-10-10T09:00:00+08:00'), due)).toBe(0);
    expect(calendar.workingDaysLeft(at('2026-10-10T19:00:00+08:00'), due)).toBe(-1);
    expect(calendar.workingDaysLeft(at('2026-10-13T09:00:00+08:00'), due)).toBe(-2);
  });

  it('finds the reminder 5 working days before 30 November 2026 (a Monday): 23 November', () => {
    expect(calendar.workingDaysBefore(at('2026-11-30T23:59:59+08:00'), 5).iso).toBe(
      '2026-11-23T09:00:00+08:00',
    );
  });

  it('counts back over the National Day holiday: 2 working days before 9 October 2026 is 30 September', () => {
    expect(calendar.workingDaysBefore(at('2026-10-09T12:00:00+08:00'), 2).iso).toBe(
      '2026-09-30T09:00:00+08:00',
    );
  });
});

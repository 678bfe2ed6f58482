// P-1: every Unit files its next-year informatization plan with the Bureau before 30 November (11月30日前),
// Asia/Shanghai. We read "11月30日前" as including 30 November: the deadline is the end of that day.
import { DateTime } from 'luxon';
import { ZONE } from './calendar.ts';

export interface FilingWindow {
  planYear: number;
  /** The last moment of the deadline day, ISO with +08:00. */
  deadline: string;
  deadlineMs: number;
}

/** The deadline for the plan of `planYear`: 30 November (or the edition's MM-dd) of the year before. */
export function filingDeadline(planYear: number, monthDay = '11-30'): FilingWindow {
  if (!Number.isInteger(planYear) || planYear < 2000 || planYear > 9999) {
    throw new RangeError(`planYear must be a four-digit year, got ${planYear}`);
  }
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  const end = DateTime.fromObject({ year: planYear - 1, month, day }, { zone: ZONE }).endOf('day');
  return { planYear, deadline: end.toISO()!, deadlineMs: end.toMillis() };
}

/**
 * The plan year a filing made at `at` belongs to: always the next calendar year in Asia/Shanghai. A filing made
 * in December is a late filing for that year (nobody files two years ahead).
 */
export function planYearOfFiling(at: Date | number): number {
  return DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: ZONE }).year + 1;
}

export interface FilingStatus {
  planYear: number;
  onTime: boolean;
  /** Whole calendar days after the deadline day; 0 when on time. */
  daysLate: number;
}

export function filingStatus(planYear: number, filedAt: Date | number, monthDay = '11-30'): FilingStatus {
  const { deadlineMs } = filingDeadline(planYear, monthDay);
  const at = typeof filedAt === 'number' ? filedAt : filedAt.getTime();
  if (at <= deadlineMs) return { planYear, onTime: true, daysLate: 0 };
  const deadlineDay = DateTime.fromMillis(deadlineMs, { zone: ZONE }).startOf('day');
  const filedDay = DateTime.fromMillis(at, { zone: ZONE }).startOf('day');
  return { planYear, onTime: false, daysLate: Math.round(filedDay.diff(deadlineDay, 'days').days) };
}

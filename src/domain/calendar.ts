// Working days in Asia/Shanghai with the official holidays and make-up working days (调休).
// Source: the chinese-days package (State Council schedules 2004-2026), plus config/holiday-schedules.json for
// years published after that package. A year with neither is counted Monday-Friday and flagged provisional,
// because its holidays are not known yet.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';

export const ZONE = 'Asia/Shanghai';

export interface HolidaySchedule {
  /** ISO dates (yyyy-MM-dd) that are days off, weekdays included. */
  holidays: string[];
  /** ISO dates that are weekend days worked in lieu (调休上班). */
  workdays: string[];
}

export interface ScheduleFile {
  years: Record<string, HolidaySchedule>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function chineseDaysSchedules(): Map<number, HolidaySchedule> {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const byYear = new Map<number, HolidaySchedule>();
  const slot = (date: string) => {
    const year = Number(date.slice(0, 4));
    let s = byYear.get(year);
    if (!s) {
      s = { holidays: [], workdays: [] };
      byYear.set(year, s);
    }
    return s;
  };
  for (const d of Object.keys(data.holidays)) slot(d).holidays.push(d);
  for (const d of Object.keys(data.workdays)) slot(d).workdays.push(d);
  return byYear;
}

/** Validates a schedule file's content; throws with the path of the first bad entry. */
export function parseScheduleFile(content: unknown, source: string): ScheduleFile {
  const fail = (where: string, reason: string): never => {
    throw new Error(`${source}: ${where}: ${reason}`);
  };
  if (typeof content !== 'object' || content === null) fail('(root)', 'must be an object');
  const years = (content as { years?: unknown }).years;
  if (typeof years !== 'object' || years === null) fail('years', 'must be an object keyed by year');
  for (const [year, schedule] of Object.entries(years as Record<string, unknown>)) {
    if (!/^\d{4}$/.test(year)) fail(`years.${year}`, 'the key must be a four-digit year');
    const s = schedule as Partial<HolidaySchedule>;
    for (const key of ['holidays', 'workdays'] as const) {
      if (!Array.isArray(s?.[key])) fail(`years.${year}.${key}`, 'must be a list of yyyy-MM-dd dates');
      for (const d of s[key] as unknown[]) {
        if (
          typeof d !== 'string' ||
          !ISO_DATE.test(d) ||
          !DateTime.fromISO(d).isValid ||
          !d.startsWith(year)
        ) {
          fail(`years.${year}.${key}`, `'${String(d)}' is not a valid date of ${year}`);
        }
      }
    }
  }
  return content as ScheduleFile;
}

export interface DueDate {
  /** ISO 8601 date-time with the +08:00 offset, as BPMN timers read it. */
  iso: string;
  epochMs: number;
  /** True when a day counted lies in a year with no official schedule. */
  provisional: boolean;
}

// Asia/Shanghai has kept UTC+8 without daylight saving since 1992, so a local day is a fixed 24-hour slice of
// epoch time and day arithmetic needs no time-zone library. The table covers 1992-01-01 to 2199-12-31.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(1992, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2199, 11, 31) / DAY_MS;

/** The local (Asia/Shanghai) day number of an instant: days since 1970-01-01. */
function localDay(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** `day` at local `hh:mm`, as the ISO form BPMN timers read (`2026-10-08T18:00:00+08:00`). */
function localMoment(day: number, time: string): DueDate {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const epochMs = day * DAY_MS - OFFSET_MS + (h * 60 + m) * 60_000;
  const iso = `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
  return { iso, epochMs, provisional: false };
}

function instant(t: Date | number): number {
  return typeof t === 'number' ? t : t.getTime();
}

/**
 * Working days over a precomputed table: `before[i]` is the number of working days from the table's first day up
 * to (not including) day `FIRST_DAY + i`, so counting and finding the Nth working day are a subtraction and a
 * binary search, whatever the distance (an inbox computes one countdown per row).
 */
export class WorkingDayCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();
  private readonly before: Int32Array;

  /** `endOfWorkingDay` is the local time at which a working-day deadline falls due (HH:mm). */
  constructor(
    extra: ScheduleFile = { years: {} },
    private readonly endOfWorkingDay = '18:00',
  ) {
    const add = (year: number, s: HolidaySchedule) => {
      this.years.add(year);
      for (const d of s.holidays) this.holidays.add(d);
      for (const d of s.workdays) this.workdays.add(d);
    };
    for (const [year, s] of chineseDaysSchedules()) add(year, s);
    for (const [year, s] of Object.entries(extra.years)) add(Number(year), s);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(endOfWorkingDay)) {
      throw new Error(`endOfWorkingDay must be HH:mm, got '${endOfWorkingDay}'`);
    }
    const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
    const off = new Set([...this.holidays].map(dayOf));
    const on = new Set([...this.workdays].map(dayOf));
    this.before = new Int32Array(LAST_DAY - FIRST_DAY + 2);
    for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
      const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      const working = !off.has(day) && (on.has(day) || (weekday >= 1 && weekday <= 5));
      const i = day - FIRST_DAY;
      this.before[i + 1] = (this.before[i] as number) + (working ? 1 : 0);
    }
  }

  static fromFile(path: string): WorkingDayCalendar {
    return new WorkingDayCalendar(parseScheduleFile(JSON.parse(readFileSync(path, 'utf8')), path));
  }

  hasSchedule(year: number): boolean {
    return this.years.has(year);
  }

  /** A working day: not an official holiday, and Monday-Friday or a make-up working day. */
  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.workdays.has(date)) return true;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  }

  /**
   * The due date N working days after `from`: the day of `from` is not counted (as 民法典 art. 201 counts
   * periods), day 1 is the next working day; due at the end of the Nth working day in Asia/Shanghai.
   * N = 0 means the end of `from`'s day if it is a working day, else of the next working day.
   */
  addWorkingDays(from: Date | number, workingDays: number): DueDate {
    if (!Number.isInteger(workingDays) || workingDays < 0) {
      throw new RangeError(`workingDays must be a non-negative integer, got ${workingDays}`);
    }
    const start = this.inRange(localDay(instant(from)));
    // The first day whose count of working days from `start` (itself counted only when N = 0) reaches N.
    const firstCounted = workingDays === 0 ? start : start + 1;
    const due = this.nthWorkingDayFrom(firstCounted, Math.max(workingDays, 1));
    const provisional =
      workingDays === 0 ? !this.hasSchedule(yearOf(due)) : this.anyYearUnscheduled(start + 1, due);
    return { ...localMoment(due, this.endOfWorkingDay), provisional };
  }

  /**
   * The moment `workingDays` working days before the day of `deadline` (that day not counted), at `time` local time:
   * the reminder before a deadline, e.g. 5 working days before 30 November (P-1).
   */
  workingDaysBefore(deadline: Date | number, workingDays: number, time = '09:00'): DueDate {
    if (!Number.isInteger(workingDays) || workingDays < 1) {
      throw new RangeError(`workingDays must be a positive integer, got ${workingDays}`);
    }
    const end = this.inRange(localDay(instant(deadline)));
    // The last day j before `end` such that the days j..end-1 hold N working days (j itself is then one).
    const target = this.countBefore(end) - workingDays;
    let lo = FIRST_DAY;
    let hi = end - 1;
    if (this.countBefore(lo) > target) throw new RangeError('the date lies before the calendar (1992)');
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.countBefore(mid) <= target) lo = mid;
      else hi = mid - 1;
    }
    return { ...localMoment(lo, time), provisional: this.anyYearUnscheduled(lo, end - 1) };
  }

  /**
   * Working days left before `due`, counted from the day after `now` up to and including the due day.
   * 0 on the due day itself; negative (working days overdue) once the due moment has passed.
   */
  workingDaysLeft(now: Date | number, due: Date | number): number {
    const nowMs = instant(now);
    const dueMs = instant(due);
    const start = this.inRange(localDay(Math.min(nowMs, dueMs)));
    const end = this.inRange(localDay(Math.max(nowMs, dueMs)));
    const n = this.countBefore(end + 1) - this.countBefore(start + 1);
    if (nowMs <= dueMs) return n;
    // Past due: the due day itself counts as the first day overdue when it is past its end.
    return -Math.max(n, 1);
  }

  /** Working days from the table's first day up to, not including, `day`. */
  private countBefore(day: number): number {
    return this.before[day - FIRST_DAY] as number;
  }

  /** The day on which the working days counted from `first` (inclusive) reach `n` (n ≥ 1). */
  private nthWorkingDayFrom(first: number, n: number): number {
    const target = this.countBefore(first) + n;
    let lo = first;
    let hi = LAST_DAY;
    if (this.countBefore(hi + 1) < target)
      throw new RangeError('the due date lies after the calendar (2199)');
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.countBefore(mid + 1) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private anyYearUnscheduled(fromDay: number, toDay: number): boolean {
    for (let y = yearOf(fromDay); y <= yearOf(toDay); y++) if (!this.hasSchedule(y)) return true;
    return false;
  }

  private inRange(day: number): number {
    if (day < FIRST_DAY + 1 || day > LAST_DAY - 1) {
      throw new RangeError(`${isoDateOf(day)} lies outside the working-day calendar (1992–2199)`);
    }
    return day;
  }
}

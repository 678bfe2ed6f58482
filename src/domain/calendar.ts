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

export class WorkingDayCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();

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
    const weekday = DateTime.fromISO(date, { zone: ZONE }).weekday;
    return weekday <= 5;
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
    let day = DateTime.fromMillis(typeof from === 'number' ? from : from.getTime(), { zone: ZONE }).startOf(
      'day',
    );
    let provisional = false;
    let counted = 0;
    if (workingDays === 0) {
      while (!this.isWorkingDay(day.toISODate()!)) day = day.plus({ days: 1 });
      provisional = !this.hasSchedule(day.year);
    }
    while (counted < workingDays) {
      day = day.plus({ days: 1 });
      if (!this.hasSchedule(day.year)) provisional = true;
      if (this.isWorkingDay(day.toISODate()!)) counted++;
    }
    const [h, m] = this.endOfWorkingDay.split(':').map(Number) as [number, number];
    const due = day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
    return { iso: due.toISO({ suppressMilliseconds: true })!, epochMs: due.toMillis(), provisional };
  }

  /**
   * The moment `workingDays` working days before the day of `deadline` (that day not counted), at `time` local time:
   * the reminder before a deadline, e.g. 5 working days before 30 November (P-1).
   */
  workingDaysBefore(deadline: Date | number, workingDays: number, time = '09:00'): DueDate {
    if (!Number.isInteger(workingDays) || workingDays < 1) {
      throw new RangeError(`workingDays must be a positive integer, got ${workingDays}`);
    }
    let day = DateTime.fromMillis(typeof deadline === 'number' ? deadline : deadline.getTime(), {
      zone: ZONE,
    }).startOf('day');
    let provisional = false;
    let counted = 0;
    while (counted < workingDays) {
      day = day.minus({ days: 1 });
      if (!this.hasSchedule(day.year)) provisional = true;
      if (this.isWorkingDay(day.toISODate()!)) counted++;
    }
    const [h, m] = time.split(':').map(Number) as [number, number];
    const at = day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
    return { iso: at.toISO({ suppressMilliseconds: true })!, epochMs: at.toMillis(), provisional };
  }

  /**
   * Working days left before `due`, counted from the day after `now` up to and including the due day.
   * 0 on the due day itself; negative (working days overdue) once the due moment has passed.
   */
  workingDaysLeft(now: Date | number, due: Date | number): number {
    const nowMs = typeof now === 'number' ? now : now.getTime();
    const dueMs = typeof due === 'number' ? due : due.getTime();
    const start = DateTime.fromMillis(Math.min(nowMs, dueMs), { zone: ZONE }).startOf('day');
    const end = DateTime.fromMillis(Math.max(nowMs, dueMs), { zone: ZONE }).startOf('day');
    let n = 0;
    for (let d = start.plus({ days: 1 }); d <= end; d = d.plus({ days: 1 })) {
      if (this.isWorkingDay(d.toISODate()!)) n++;
    }
    if (nowMs <= dueMs) return n;
    // Past due: the due day itself counts as the first day overdue when it is past its end.
    return -Math.max(n, 1);
  }
}

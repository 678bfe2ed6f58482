// The precomputed working-day table gives exactly what counting day by day gives. The reference below is the
// day-by-day walk the calendar used before (luxon in Asia/Shanghai, one day at a time), kept here as the oracle.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type DueDate, WorkingDayCalendar, ZONE } from '../../src/domain/index.ts';

const calendar = new WorkingDayCalendar();

function dayByDay(cal: WorkingDayCalendar) {
  const iso = (d: DateTime) => d.toISODate() as string;
  return {
    add(from: number, n: number): DueDate {
      let day = DateTime.fromMillis(from, { zone: ZONE }).startOf('day');
      let provisional = false;
      let counted = 0;
      if (n === 0) {
        while (!cal.isWorkingDay(iso(day))) day = day.plus({ days: 1 });
        provisional = !cal.hasSchedule(day.year);
      }
      while (counted < n) {
        day = day.plus({ days: 1 });
        if (!cal.hasSchedule(day.year)) provisional = true;
        if (cal.isWorkingDay(iso(day))) counted++;
      }
      const due = day.set({ hour: 18, minute: 0 });
      return {
        iso: due.toISO({ suppressMilliseconds: true }) as string,
        epochMs: due.toMillis(),
        provisional,
      };
    },
    before(deadline: number, n: number): DueDate {
      let day = DateTime.fromMillis(deadline, { zone: ZONE }).startOf('day');
      let provisional = false;
      let counted = 0;
      while (counted < n) {
        day = day.minus({ days: 1 });
        if (!cal.hasSchedule(day.year)) provisional = true;
        if (cal.isWorkingDay(iso(day))) counted++;
      }
      const at = day.set({ hour: 9, minute: 0 });
      return { iso: at.toISO({ suppressMilliseconds: true }) as string, epochMs: at.toMillis(), provisional };
    },
    left(now: number, due: number): number {
      const start = DateTime.fromMillis(Math.min(now, due), { zone: ZONE }).startOf('day');
      const end = DateTime.fromMillis(Math.max(now, due), { zone: ZONE }).startOf('day');
      let n = 0;
      for (let d = start.plus({ days: 1 }); d <= end; d = d.plus({ days: 1 }))
        if (cal.isWorkingDay(iso(d))) n++;
      return now <= due ? n : -Math.max(n, 1);
    },
  };
}

/** A small seeded generator (mulberry32), so a failing case can be replayed: CALENDAR_SEED=<seed>. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FROM = Date.parse('2004-01-01T00:00:00+08:00');
const TO = Date.parse('2027-12-31T23:59:59+08:00');
const DAY = 86_400_000;

describe('the working-day table agrees with counting day by day, 2004–2027', () => {
  const reference = dayByDay(calendar);

  it('1 working day after every day of 2004–2027, at a morning and an evening hour', () => {
    for (let t = FROM; t <= TO; t += DAY) {
      for (const hour of [9, 23]) {
        const from = t + hour * 3_600_000;
        expect(calendar.addWorkingDays(from, 1), new Date(from).toISOString()).toEqual(
          reference.add(from, 1),
        );
      }
    }
  });

  it('0 working days (the end of today, or of the next working day) for every day of 2004–2027', () => {
    for (let t = FROM; t <= TO; t += DAY) {
      expect(calendar.addWorkingDays(t + 3_600_000, 0)).toEqual(reference.add(t + 3_600_000, 0));
    }
  });

  it('random starts, distances up to a year, forward, backward and countdowns (seeded)', () => {
    const seed = Number(process.env.CALENDAR_SEED ?? Date.now() % 1_000_000);
    console.log(`calendar equality seed: ${seed} (replay with CALENDAR_SEED=${seed})`);
    const random = seeded(seed);
    for (let i = 0; i < 250; i++) {
      const from = FROM + Math.floor(random() * (TO - FROM - 400 * DAY));
      const n = Math.floor(random() * (random() < 0.8 ? 30 : 260));
      const due = from + Math.floor(random() * 400 * DAY);
      const where = `seed ${seed}, case ${i}: from ${new Date(from).toISOString()}, n ${n}`;
      expect(calendar.addWorkingDays(from, n), where).toEqual(reference.add(from, n));
      if (n > 0) expect(calendar.workingDaysBefore(from, n), where).toEqual(reference.before(from, n));
      expect(calendar.workingDaysLeft(from, due), where).toBe(reference.left(from, due));
      expect(calendar.workingDaysLeft(due, from), where).toBe(reference.left(due, from));
    }
  });

  it('refuses dates outside the table instead of answering wrongly', () => {
    expect(() => calendar.addWorkingDays(Date.parse('1980-05-01T00:00:00Z'), 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(Date.parse('2250-05-01T00:00:00Z'), 1)).toThrow(RangeError);
  });
});

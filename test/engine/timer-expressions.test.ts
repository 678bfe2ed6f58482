// ISO 8601 timer dates, durations and cycles as the engine reads them, and the deploy-time check of FEEL timer
// values, without running an engine. The timers firing on the engine is timer-events.test.ts.
import { describe, expect, it } from 'vitest';
import {
  addInterval,
  checkTimer,
  firstDueDate,
  nextDueDate,
  parseDuration,
} from '../../src/engine/timer/index.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = at('2026-01-31T08:00:00Z');

describe('timer date', () => {
  it('reads ISO date-times with offset, Z or zone id', () => {
    const expected = at('2026-11-30T15:59:59Z');
    for (const value of [
      '2026-11-30T23:59:59+08:00',
      '2026-11-30T15:59:59Z',
      '2026-11-30T23:59:59@Asia/Shanghai',
      '2026-11-30T23:59:59+08:00[Asia/Shanghai]',
    ]) {
      expect(firstDueDate({ kind: 'date', value }, NOW)).toEqual({ dueAt: expected, repetitions: 1 });
    }
  });

  it('keeps a date in the past as it is (overdue timers fire at once)', () => {
    expect(firstDueDate({ kind: 'date', value: '2020-01-01T00:00:00Z' }, NOW).dueAt).toBe(
      at('2020-01-01T00:00:00Z'),
    );
  });

  it('refuses dates without zone, impossible dates and unknown zones with a clear message', () => {
    expect(checkTimer({ kind: 'date', value: '2026-11-30T23:59:59' })).toMatch(/has no time zone/);
    expect(checkTimer({ kind: 'date', value: '2026-02-30T10:00:00Z' })).toMatch(/not a valid date-time/);
    expect(checkTimer({ kind: 'date', value: '2026-11-30T23:59:59@Mars/Olympus' })).toMatch(/Mars\/Olympus/);
    expect(checkTimer({ kind: 'date', value: 'tomorrow' })).toMatch(/not an ISO 8601 date-time/);
    expect(checkTimer({ kind: 'date', value: '2026-11-30T23:59:59@Asia/Shanghai' })).toBeNull();
  });
});

describe('timer duration', () => {
  it('adds exact durations below one day', () => {
    expect(firstDueDate({ kind: 'duration', value: 'PT10S' }, NOW)).toEqual({
      dueAt: NOW + 10_000,
      repetitions: 1,
    });
    expect(firstDueDate({ kind: 'duration', value: 'PT1.5S' }, NOW).dueAt).toBe(NOW + 1500);
  });

  it('adds months calendar-correctly: P1M from Jan 31 is the end of February', () => {
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1M' }, NOW).dueAt)).toBe('2026-02-28T08:00:00.000Z');
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1M' }, at('2024-01-31T08:00:00Z')).dueAt)).toBe(
      '2024-02-29T08:00:00.000Z',
    );
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1M1D' }, NOW).dueAt)).toBe(
      '2026-03-01T08:00:00.000Z',
    );
  });

  it('handles leap years: P1Y from Feb 29 is Feb 28', () => {
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1Y' }, at('2024-02-29T00:00:00Z')).dueAt)).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(iso(firstDueDate({ kind: 'duration', value: 'P4Y' }, at('2024-02-29T00:00:00Z')).dueAt)).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('reads years, months, weeks, days and long durations', () => {
    expect(parseDuration('P1Y2M')).toEqual({ years: 1, months: 2, days: 0, millis: 0 });
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1Y2M' }, NOW).dueAt)).toBe(
      '2027-03-31T08:00:00.000Z',
    );
    expect(iso(firstDueDate({ kind: 'duration', value: 'P3W' }, NOW).dueAt)).toBe('2026-02-21T08:00:00.000Z');
    expect(firstDueDate({ kind: 'duration', value: 'PT36H' }, NOW).dueAt).toBe(NOW + 36 * 3_600_000);
    expect(iso(firstDueDate({ kind: 'duration', value: 'P400D' }, NOW).dueAt)).toBe(
      '2027-03-07T08:00:00.000Z',
    );
    expect(iso(firstDueDate({ kind: 'duration', value: 'P1DT12H' }, NOW).dueAt)).toBe(
      '2026-02-01T20:00:00.000Z',
    );
    // far beyond setTimeout's 24.8-day limit
    expect(firstDueDate({ kind: 'duration', value: 'P10Y' }, NOW).dueAt - NOW).toBeGreaterThan(
      3650 * 86_400_000,
    );
  });

  it('refuses malformed durations with a clear message', () => {
    expect(checkTimer({ kind: 'duration', value: '10 minutes' })).toBe(
      "Invalid duration '10 minutes': an ISO 8601 duration starts with P, e.g. PT10M, P3D, P1Y2M",
    );
    expect(checkTimer({ kind: 'duration', value: 'P' })).toMatch(/no amount given/);
    expect(checkTimer({ kind: 'duration', value: 'PT' })).toMatch(/cannot read 'T'/);
    expect(checkTimer({ kind: 'duration', value: 'P1H' })).toMatch(/cannot read 'P1H'/);
    expect(checkTimer({ kind: 'duration', value: '-PT1M' })).toMatch(/negative/);
    expect(checkTimer({ kind: 'duration', value: 'PT10M' })).toBeNull();
  });

  it('addInterval is exact below a day and calendar-based from a day on', () => {
    expect(addInterval(0, { years: 0, months: 0, days: 0, millis: 1000 })).toBe(1000);
    expect(addInterval(at('2026-03-31T00:00:00Z'), { years: 0, months: 1, days: 0, millis: 0 })).toBe(
      at('2026-04-30T00:00:00Z'),
    );
  });
});

describe('timer cycle', () => {
  it('repeats R5/PT10S five times in all', () => {
    const def = { kind: 'cycle' as const, value: 'R5/PT10S' };
    let due = firstDueDate(def, NOW);
    expect(due).toEqual({ dueAt: NOW + 10_000, repetitions: 5 });
    const fired = [due.dueAt];
    for (;;) {
      const next = nextDueDate(def, due.dueAt, due.repetitions);
      if (!next) break;
      fired.push(next.dueAt);
      due = next;
    }
    expect(fired.map((t) => (t - NOW) / 1000)).toEqual([10, 20, 30, 40, 50]);
  });

  it('repeats R/P1D forever, a calendar day each time', () => {
    const def = { kind: 'cycle' as const, value: 'R/P1D' };
    const first = firstDueDate(def, NOW);
    expect(first).toEqual({ dueAt: at('2026-02-01T08:00:00Z'), repetitions: 'infinite' });
    expect(nextDueDate(def, first.dueAt, 'infinite')).toEqual({
      dueAt: at('2026-02-02T08:00:00Z'),
      repetitions: 'infinite',
    });
  });

  it('starts R/<start>/P1Y at the start date when it lies ahead, at once when it has passed', () => {
    const def = { kind: 'cycle' as const, value: 'R/2027-01-01T00:00:00Z/P1Y' };
    expect(firstDueDate(def, NOW)).toEqual({ dueAt: at('2027-01-01T00:00:00Z'), repetitions: 'infinite' });
    expect(nextDueDate(def, at('2027-01-01T00:00:00Z'), 'infinite')?.dueAt).toBe(at('2028-01-01T00:00:00Z'));
    const past = { kind: 'cycle' as const, value: 'R3/2025-01-01T00:00:00+08:00/P1M' };
    expect(firstDueDate(past, NOW)).toEqual({ dueAt: NOW, repetitions: 3 });
  });

  it('re-anchors after missed cycles instead of firing a burst', () => {
    const def = { kind: 'cycle' as const, value: 'R/PT1H' };
    const muchLater = NOW + 10 * 3_600_000 + 5;
    expect(nextDueDate(def, NOW, 'infinite', muchLater)?.dueAt).toBe(muchLater + 3_600_000);
  });

  it('does not repeat date and duration timers', () => {
    expect(nextDueDate({ kind: 'duration', value: 'PT1M' }, NOW, 1)).toBeNull();
    expect(nextDueDate({ kind: 'cycle', value: 'R1/PT1M' }, NOW, 1)).toBeNull();
  });

  it('reads Spring-style cron with seconds, evaluated in UTC', () => {
    const def = { kind: 'cycle' as const, value: '0 0 9 * * MON-FRI' };
    const friday = at('2026-01-02T09:00:00Z');
    const first = firstDueDate(def, friday);
    expect(first).toEqual({ dueAt: at('2026-01-05T09:00:00Z'), repetitions: 'infinite' });
    expect(nextDueDate(def, first.dueAt, 'infinite')?.dueAt).toBe(at('2026-01-06T09:00:00Z'));
    expect(firstDueDate({ kind: 'cycle', value: '0 0 0 L * *' }, NOW).dueAt).toBe(at('2026-02-28T00:00:00Z'));
    expect(firstDueDate({ kind: 'cycle', value: '@daily' }, NOW).dueAt).toBe(at('2026-02-01T00:00:00Z'));
  });

  it('refuses malformed cycles with a clear message', () => {
    expect(checkTimer({ kind: 'cycle', value: '0 9 * * *' })).toMatch(
      /cron expression with 6 fields.*found 5/,
    );
    expect(checkTimer({ kind: 'cycle', value: '0 0 25 * * *' })).toMatch(
      /Invalid timer cycle '0 0 25 \* \* \*'/,
    );
    expect(checkTimer({ kind: 'cycle', value: 'R5' })).toMatch(/no interval given/);
    expect(checkTimer({ kind: 'cycle', value: 'Rx/PT1S' })).toMatch(/cannot read repetitions/);
    expect(checkTimer({ kind: 'cycle', value: 'R0/PT1S' })).toMatch(/at least 1/);
    expect(checkTimer({ kind: 'cycle', value: 'R/PT0S' })).toMatch(/longer than zero/);
    expect(checkTimer({ kind: 'cycle', value: 'R/2026-01-01T00:00:00/P1D' })).toMatch(/no time zone/);
    expect(checkTimer({ kind: 'cycle', value: 'R/PT10S' })).toBeNull();
  });
});

describe('timer expressions', () => {
  it('syntax-checks FEEL timer values at deploy time', () => {
    expect(checkTimer({ kind: 'date', value: '=dueDate' })).toBeNull();
    expect(checkTimer({ kind: 'duration', value: '=duration(' })).toMatch(/failed to parse expression/);
  });
});

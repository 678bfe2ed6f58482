// Timer definitions as Zeebe reads them (io.camunda.zeebe.model.bpmn.util.time): ISO 8601 dates,
// durations and repeating intervals, and Spring-style cron expressions for cycles. All calendar
// arithmetic happens in UTC, as Zeebe does with its default zone. Pure functions: time comes in as an
// argument.
//
// `repetitions` follows Zeebe's timer record: the number of firings left including the one scheduled
// (a date or duration timer: 1; R5/PT10S: 5, then 4, …; R/… and cron: 'infinite').
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { checkSyntax, isExpression, parseZonedDateTime } from '../feel/index.ts';

export type TimerDefinition = { kind: 'date' | 'duration' | 'cycle'; value: string };
export type Repetitions = number | 'infinite';
export interface DueDate {
  dueAt: number;
  repetitions: Repetitions;
}

export class TimerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimerError';
  }
}

/** An ISO 8601 duration split as java.time does: a calendar period and an exact duration. */
export interface Interval {
  years: number;
  months: number;
  days: number;
  /** Exact part (hours, minutes, seconds) in milliseconds. */
  millis: number;
  /** Start of a repeating interval (`R/<start>/<period>`), epoch ms. */
  start?: number;
}

const DAY_MS = 86_400_000;
const PERIOD = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
const TIME = /^T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,9})?)S)?$/;

/** Parses an ISO 8601 duration (`P1Y2M`, `P3W`, `PT36H`, `P400D`, `P1DT12H`). */
export function parseDuration(text: string): Interval {
  const value = text.trim();
  const fail = (why: string): never => {
    throw new TimerError(`Invalid duration '${text}': ${why}`);
  };
  if (value.startsWith('-')) fail('negative durations are not allowed');
  const body = value.startsWith('+') ? value.slice(1) : value;
  if (!body.startsWith('P')) fail('an ISO 8601 duration starts with P, e.g. PT10M, P3D, P1Y2M');
  const tIndex = body.indexOf('T');
  const periodText = tIndex === -1 ? body : body.slice(0, tIndex);
  const timeText = tIndex === -1 ? '' : body.slice(tIndex);
  if (periodText === 'P' && timeText === '') fail('no amount given');
  const period = PERIOD.exec(periodText);
  if (!period)
    fail(`cannot read '${periodText}' (expected years Y, months M, weeks W, days D in that order)`);
  let millis = 0;
  if (timeText !== '') {
    const time = TIME.exec(timeText);
    if (!time || timeText === 'T') fail(`cannot read '${timeText}' (expected hours H, minutes M, seconds S)`);
    const [, h, m, s] = time!;
    millis =
      Number(h ?? 0) * 3_600_000 +
      Number(m ?? 0) * 60_000 +
      Math.round(Number((s ?? '0').replace(',', '.')) * 1000);
  }
  const [, y, mo, w, d] = period!;
  return {
    years: Number(y ?? 0),
    months: Number(mo ?? 0),
    days: Number(w ?? 0) * 7 + Number(d ?? 0),
    millis,
  };
}

function isCalendarBased(interval: Interval): boolean {
  return interval.years !== 0 || interval.months !== 0 || interval.days !== 0 || interval.millis >= DAY_MS;
}

/** Adds an interval to a point in time as java.time does in UTC: months clamp to the month's end. */
export function addInterval(from: number, interval: Interval): number {
  if (!isCalendarBased(interval)) return from + interval.millis;
  const start = DateTime.fromMillis(from, { zone: 'utc' });
  // java.time Period.addTo: years and months together as total months, then days
  const shifted = start.plus({ months: interval.years * 12 + interval.months }).plus({ days: interval.days });
  return shifted.toMillis() + interval.millis;
}

function parseDate(text: string): number {
  const parsed = parseZonedDateTime(text);
  if ('error' in parsed) throw new TimerError(`Invalid timer date: ${parsed.error}`);
  return parsed.epochMs;
}

type Cycle =
  | { type: 'interval'; repetitions: Repetitions; interval: Interval }
  | { type: 'cron'; expression: string };

const CRON_MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

function parseCycle(text: string): Cycle {
  const value = text.trim();
  if (value.startsWith('R')) {
    const slash = value.indexOf('/');
    if (slash === -1)
      throw new TimerError(`Invalid timer cycle '${text}': no interval given (e.g. R5/PT10S)`);
    const count = value.slice(1, slash);
    let repetitions: Repetitions = 'infinite';
    if (count !== '') {
      if (!/^\d+$/.test(count))
        throw new TimerError(`Invalid timer cycle '${text}': cannot read repetitions '${count}'`);
      repetitions = Number(count);
      if (repetitions < 1)
        throw new TimerError(`Invalid timer cycle '${text}': repetitions must be at least 1`);
    }
    const rest = value.slice(slash + 1);
    const lastSlash = rest.lastIndexOf('/');
    try {
      const interval = parseDuration(lastSlash === -1 ? rest : rest.slice(lastSlash + 1));
      if (lastSlash > 0) interval.start = parseDate(rest.slice(0, lastSlash));
      if (!isCalendarBased(interval) && interval.millis === 0) {
        throw new TimerError('the interval must be longer than zero');
      }
      return { type: 'interval', repetitions, interval };
    } catch (error) {
      throw new TimerError(`Invalid timer cycle '${text}': ${(error as Error).message}`);
    }
  }
  const fields = value.split(/\s+/);
  if (!CRON_MACROS.has(value) && fields.length !== 6) {
    throw new TimerError(
      `Invalid timer cycle '${text}': expected an ISO 8601 repeating interval (R5/PT10S) or a cron expression with 6 fields (second minute hour day-of-month month day-of-week), found ${fields.length} field(s)`,
    );
  }
  try {
    CronExpressionParser.parse(value, { currentDate: new Date(0), tz: 'UTC', strict: false });
  } catch (error) {
    throw new TimerError(`Invalid timer cycle '${text}': ${(error as Error).message}`);
  }
  return { type: 'cron', expression: value };
}

function nextCron(expression: string, after: number): number {
  return CronExpressionParser.parse(expression, { currentDate: new Date(after), tz: 'UTC' })
    .next()
    .getTime();
}

/** Deploy-time check: static values are parsed, FEEL expressions (`=…`) syntax-checked. */
export function checkTimer(def: TimerDefinition): string | null {
  if (isExpression(def.value)) return checkSyntax(def.value);
  try {
    firstDueDate(def, 0);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** When the timer first falls due, and how many firings it has (including that one). Throws TimerError. */
export function firstDueDate(def: TimerDefinition, now: number): DueDate {
  switch (def.kind) {
    case 'date':
      return { dueAt: parseDate(def.value), repetitions: 1 };
    case 'duration':
      return { dueAt: addInterval(now, parseDuration(def.value)), repetitions: 1 };
    case 'cycle': {
      const cycle = parseCycle(def.value);
      if (cycle.type === 'cron') return { dueAt: nextCron(cycle.expression, now), repetitions: 'infinite' };
      const { interval, repetitions } = cycle;
      if (interval.start !== undefined) {
        // Zeebe: a start in the future is the first due date; one in the past fires at once
        return { dueAt: Math.max(interval.start, now), repetitions };
      }
      return { dueAt: addInterval(now, interval), repetitions };
    }
    default:
      throw new TimerError(`Unknown timer kind '${(def as TimerDefinition).kind}'`);
  }
}

/**
 * The next firing of a cycle after it fired at `previousDueAt` with `remaining` firings left (the
 * `repetitions` it was scheduled with); null when it was the last one or the timer is not a cycle. If the
 * natural next occurrence is already past `now` (missed cycles), it is re-anchored to now + interval, as
 * Zeebe does, so a long outage does not cause a burst of firings.
 */
export function nextDueDate(
  def: TimerDefinition,
  previousDueAt: number,
  remaining: Repetitions,
  now: number = previousDueAt,
): DueDate | null {
  if (def.kind !== 'cycle') return null;
  if (remaining !== 'infinite' && remaining <= 1) return null;
  const repetitions: Repetitions = remaining === 'infinite' ? 'infinite' : remaining - 1;
  const cycle = parseCycle(def.value);
  if (cycle.type === 'cron') {
    return { dueAt: nextCron(cycle.expression, Math.max(previousDueAt, now)), repetitions };
  }
  const natural = addInterval(previousDueAt, cycle.interval);
  const dueAt = natural > now ? natural : addInterval(now, cycle.interval);
  return { dueAt, repetitions };
}

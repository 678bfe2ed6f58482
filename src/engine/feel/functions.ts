// Camunda 8 FEEL built-in functions that feelin 8.2 lacks (or implements differently), plus now()/today()
// reading the engine clock instead of the system clock. They are handed to feelin as context entries,
// which take precedence over feelin's own built-ins.
//
// Measured against feelin 8.2: present and used as-is — split, string join (2 args), distinct values,
// flatten, union, sort, index of, get entries, context put, context merge, string(), number(),
// date and time() with zone ids. Added here — extract, is empty, trim, is blank, uuid, to base64,
// from base64, duplicate values, partition, is defined, get or else, assert, last day of month,
// random number, string join with prefix/suffix, get value with a key path, now, today.
import { randomUUID } from 'node:crypto';
import { dateAndTime, FeelDate, FeelDateTime, FeelFunction, parseDate } from 'feelin';
import { DateTime } from 'luxon';
import { nativeFunction, yearsMonthsDuration } from './arithmetic.ts';
import { numericFunctions } from './numeric.ts';
import { rangeFunctions } from './range.ts';

/** Thrown by `assert()`; feel-scala reports a failed assertion as an evaluation failure. */
export class FeelAssertionError extends Error {}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isPlainContext(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

function feelEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function define(names: string[], fn: (...args: never[]) => unknown): FeelFunction {
  return new FeelFunction(fn as (...args: unknown[]) => unknown, names);
}

export type Clock = () => number;

/** The extension functions, bound to a clock. Keys are the FEEL names (may contain spaces). */
export function camundaFunctions(clock: Clock): Record<string, FeelFunction> {
  return {
    now: define([], () => dateAndTime(new Date(clock()).toISOString())),
    today: define([], () => parseDate(new Date(clock()).toISOString().slice(0, 10))),
    ...stringFunctions(),
    ...listFunctions(),
    ...contextFunctions(),
    ...miscFunctions(),
    ...temporalFunctions(),
    ...numericFunctions(),
    ...rangeFunctions(),
  };
}

function stringFunctions(): Record<string, FeelFunction> {
  return {
    extract: define(['string', 'pattern'], (string: unknown, pattern: unknown) => {
      if (!isString(string) || !isString(pattern)) return null;
      try {
        return Array.from(string.matchAll(new RegExp(pattern, 'gu')), (m) => m[0]);
      } catch {
        return null;
      }
    }),
    trim: define(['string'], (string: unknown) => (isString(string) ? string.trim() : null)),
    'is blank': define(['string'], (string: unknown) => (isString(string) ? string.trim() === '' : null)),
    uuid: define([], () => randomUUID()),
    'to base64': define(['value'], (value: unknown) =>
      isString(value) ? Buffer.from(value, 'utf8').toString('base64') : null,
    ),
    'from base64': define(['value'], (value: unknown) =>
      isString(value) ? Buffer.from(value, 'base64').toString('utf8') : null,
    ),
    'string join': define(
      ['list', 'delimiter', 'prefix', 'suffix'],
      (list: unknown, delimiter: unknown, prefix: unknown, suffix: unknown) => {
        if (!Array.isArray(list) || !list.every((item) => item === null || isString(item))) return null;
        const parts = list.filter((item) => item !== null) as string[];
        const sep = isString(delimiter) ? delimiter : '';
        const head = isString(prefix) ? prefix : '';
        const tail = isString(suffix) ? suffix : '';
        return head + parts.join(sep) + tail;
      },
    ),
  };
}

function listFunctions(): Record<string, FeelFunction> {
  return {
    'is empty': define(['list'], (list: unknown) => {
      if (Array.isArray(list)) return list.length === 0;
      if (isString(list)) return list.length === 0;
      return null;
    }),
    'duplicate values': define(['list'], (list: unknown) => {
      if (!Array.isArray(list)) return null;
      // in the order of their first occurrence: duplicate values([1,2,3,2,1]) is [1,2]
      const duplicates: unknown[] = [];
      list.forEach((item, index) => {
        const seenBefore = list.slice(0, index).some((other) => feelEquals(other, item));
        const repeated = list.slice(index + 1).some((other) => feelEquals(other, item));
        if (!seenBefore && repeated) duplicates.push(item);
      });
      return duplicates;
    }),
    partition: define(['list', 'size'], (list: unknown, size: unknown) => {
      if (!Array.isArray(list) || typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
        return null;
      }
      const out: unknown[][] = [];
      for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
      return out;
    }),
  };
}

/** `context put` with a key path creates the contexts the path is missing, as feel-scala does. */
function contextPut(context: unknown, path: unknown[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (!isString(key) || !isPlainContext(context)) return null;
  const nested = rest.length === 0 ? value : contextPut(context[key] ?? {}, rest, value);
  return nested === null && rest.length > 0 ? null : { ...context, [key]: nested };
}

function contextFunctions(): Record<string, FeelFunction> {
  return {
    'context put': define(
      ['context', 'keys', 'value', 'key'],
      (context: unknown, keys: unknown, value: unknown, key: unknown) => {
        const path = Array.isArray(keys) ? keys : isString(keys) ? [keys] : isString(key) ? [key] : null;
        return path === null || path.length === 0 ? null : contextPut(context, path, value);
      },
    ),
    'get value': define(['context', 'key'], (context: unknown, key: unknown) => {
      const path = isString(key) ? [key] : Array.isArray(key) && key.every(isString) ? key : null;
      if (!isPlainContext(context) || path === null) return null;
      let current: unknown = context;
      for (const segment of path) {
        if (!isPlainContext(current) || !Object.hasOwn(current, segment)) return null;
        current = current[segment];
      }
      return current ?? null;
    }),
  };
}

function miscFunctions(): Record<string, FeelFunction> {
  return {
    'is defined': define(['value'], (value: unknown) => value !== null && value !== undefined),
    'get or else': define(['value', 'default'], (value: unknown, fallback: unknown) =>
      value === null || value === undefined ? (fallback ?? null) : value,
    ),
    assert: define(['value', 'condition', 'cause'], (value: unknown, condition: unknown, cause: unknown) => {
      if (condition === true) return value;
      throw new FeelAssertionError(
        isString(cause) ? cause : `The condition is not fulfilled (value: ${JSON.stringify(value ?? null)})`,
      );
    }),
    'random number': define([], () => Math.random()),
  };
}

/** Whole months from `from` to `to`, as java.time's Period.between counts them (a partial month is dropped). */
function monthsBetween(from: FeelDate | FeelDateTime, to: FeelDate | FeelDateTime): number {
  let months = to.year * 12 + to.month - (from.year * 12 + from.month);
  const days = to.day - from.day;
  if (months > 0 && days < 0) months--;
  else if (months < 0 && days > 0) months++;
  return months;
}

function isDateLike(value: unknown): value is FeelDate | FeelDateTime {
  return value instanceof FeelDate || value instanceof FeelDateTime;
}

const nativeDateAndTime1 = nativeFunction('a', 'date and time(a)');
const nativeDateAndTime2 = nativeFunction('a, b', 'date and time(a, b)');

/** `date and time(date and time, timezone)`: the same instant in the zone; null for an unknown zone. */
function inZone(value: FeelDateTime, zone: string): FeelDateTime | null {
  const instant = value.value.toZonedDateTime(value.zone ?? 'UTC').epochMilliseconds;
  const local = DateTime.fromMillis(instant, { zone });
  if (!local.isValid) return null;
  return dateAndTime(`${local.toISO({ includeOffset: false, suppressMilliseconds: true })}@${zone}`);
}

function temporalFunctions(): Record<string, FeelFunction> {
  return {
    // feelin lacks the (date and time, timezone) form; every other form is feelin's
    'date and time': define(['date', 'time', 'from'], (date: unknown, time: unknown, from: unknown) => {
      if (date instanceof FeelDateTime && isString(time)) return inZone(date, time);
      if (date === undefined && from !== undefined) return nativeDateAndTime1([from]);
      if (time === undefined) return nativeDateAndTime1([date]);
      return nativeDateAndTime2([date, time]);
    }),
    // feelin keeps the days (P1Y8M2D); feel-scala's result has years and months only
    'years and months duration': define(['from', 'to'], (from: unknown, to: unknown) =>
      isDateLike(from) && isDateLike(to) ? yearsMonthsDuration(monthsBetween(from, to)) : null,
    ),
    'last day of month': define(['date'], (date: unknown) => {
      if (!(date instanceof FeelDate) && !(date instanceof FeelDateTime)) return null;
      const { year, month } = date;
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return parseDate(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${lastDay}`);
    }),
  };
}

/** The FEEL names of the extension functions (the parser must know multi-word names up front). */
export const CAMUNDA_FUNCTION_NAMES: readonly string[] = Object.keys(camundaFunctions(() => 0));

// Conversion between FEEL values (feelin's runtime types) and the plain JSON values the engine stores,
// following how Zeebe writes FEEL results into variables (FeelToMessagePackTransformer):
// zoned date-times as ISO offset date-times, local date-times without offset, durations as ISO periods.
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { DateTime } from 'luxon';

/** Zeebe's ResultType names, used in incident messages. */
export type ResultType =
  | 'NULL'
  | 'BOOLEAN'
  | 'NUMBER'
  | 'STRING'
  | 'ARRAY'
  | 'OBJECT'
  | 'DURATION'
  | 'PERIOD'
  | 'DATE'
  | 'DATE_TIME'
  | 'UNKNOWN';

export function resultType(value: unknown): ResultType {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return Number.isFinite(value) ? 'NUMBER' : 'NULL';
  if (typeof value === 'bigint') return 'NUMBER';
  if (typeof value === 'string') return 'STRING';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof FeelDateTime) return 'DATE_TIME';
  if (value instanceof FeelDate) return 'DATE';
  if (value instanceof FeelDuration) return value.yearsMonths ? 'PERIOD' : 'DURATION';
  if (value instanceof FeelTime || isRange(value) || isFunction(value) || typeof value === 'function') {
    return 'UNKNOWN';
  }
  if (typeof value === 'object') return 'OBJECT';
  return 'UNKNOWN';
}

/** Formats a FEEL date-time as Zeebe does: ISO offset date-time (`Z` for UTC), or local without offset. */
export function formatDateTime(value: FeelDateTime): string {
  const local = value.value.toString();
  if (value.zone === null) return local;
  const zoned = value.value.toZonedDateTime(value.zone);
  const text = zoned.toString({ timeZoneName: 'never' });
  return text.endsWith('+00:00') ? `${text.slice(0, -6)}Z` : text;
}

/** Epoch milliseconds of a FEEL date-time; a local date-time is read in UTC (Zeebe's default zone). */
export function dateTimeToEpochMs(value: FeelDateTime): number {
  return value.value.toZonedDateTime(value.zone ?? 'UTC').epochMilliseconds;
}

/** Deep conversion of a FEEL value to a JSON-able value. Values JSON cannot hold become null. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      // an integer beyond 2^53 (exact inside FEEL) is written as the nearest JSON number the store keeps
      return Number(value);
    case 'function':
      return null;
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof FeelDateTime) return formatDateTime(value);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.iso;
  }
  if (isRange(value) || isFunction(value)) return null;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) out[key] = toJson(entry);
    return out;
  }
  return null;
}

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[([^\]]+)\]|@(.+))?$/;

/**
 * Parses an ISO 8601 date-time that names its zone: an offset (`Z`, `+08:00`), a zone id in brackets
 * as java.time prints it (`+08:00[Asia/Shanghai]`) or FEEL's `@Asia/Shanghai`. Returns epoch ms, or a
 * message saying what is wrong.
 */
export function parseZonedDateTime(text: string): { epochMs: number } | { error: string } {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match)
    return { error: `'${text}' is not an ISO 8601 date-time (expected e.g. 2026-11-30T23:59:59+08:00)` };
  const [, local, offset, bracketZone, atZone] = match;
  const zoneId = bracketZone ?? atZone;
  if (offset === undefined && zoneId === undefined) {
    return {
      error: `'${text}' has no time zone: add an offset (Z, +08:00) or a zone id (@Asia/Shanghai)`,
    };
  }
  let zone: string;
  if (offset !== undefined) {
    zone = offset === 'Z' ? 'UTC' : `UTC${normaliseOffset(offset)}`;
  } else {
    zone = zoneId!;
  }
  const parsed = DateTime.fromISO(local!, { zone });
  if (!parsed.isValid) {
    return {
      error: `'${text}' is not a valid date-time: ${parsed.invalidExplanation ?? parsed.invalidReason}`,
    };
  }
  if (zoneId !== undefined && offset !== undefined && !DateTime.local({ zone: zoneId }).isValid) {
    return { error: `'${text}' names an unknown time zone '${zoneId}'` };
  }
  return { epochMs: parsed.toMillis() };
}

function normaliseOffset(offset: string): string {
  const sign = offset[0];
  const digits = offset.slice(1).replaceAll(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2, 4) || '00';
  return `${sign}${hours}:${minutes}`;
}

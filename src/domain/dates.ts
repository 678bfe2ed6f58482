// Dates as people type them and as the API carries them. A date that is not on the calendar (2028-13-45,
// 2027-02-30) is refused, never rolled over into another day the way `Date.parse` and date pickers do (issue 16:
// `2028/13/45` became 2029-02-14). The pages accept the forms people write in China — 2027-03-20, 2027/3/20,
// 2027年3月20日 — and send ISO 8601; the API accepts ISO 8601 only.

/** True when year-month-day is a day of the (proleptic Gregorian) calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const TYPED = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/,
];

/** `2027-03-20`, `2027/3/20` or `2027年3月20日` → `2027-03-20`; anything else (03/20/2027, 2028/13/45) → null. */
export function parseTypedDate(text: string): string | null {
  const s = text.trim();
  for (const re of TYPED) {
    const m = re.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isCalendarDate(y, mo, d)) return null;
    return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))?$/;

/** `YYYY-MM-DD` naming a real day. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * `YYYY-MM-DDTHH:mm[:ss[.fff]][Z|±HH:mm]` naming a real day and time. `requireZone` for the API's date-time
 * format (RFC 3339 needs the offset); form-js's datetime fields may leave it out.
 */
export function isIsoDateTime(s: string, requireZone = false): boolean {
  const m = ISO_DATE_TIME.exec(s);
  if (!m || (requireZone && !m[7])) return false;
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
  return m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
}

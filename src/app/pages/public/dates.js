// Dates as people type them (issue 16): 2027-03-20, 2027/3/20 and 2027年3月20日 are read as that day; anything
// else — 03/20/2027, 2028/13/45, 2027-02-30 — is refused, never rolled over into another day. The same rule as
// src/domain/dates.ts (the pages import only each other), which the API applies to what the pages send.

export function isCalendarDate(year, month, day) {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const TYPED = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/,
];

/** The day typed, as { year, month, day }, or null when it is not one of the accepted forms of a real day. */
export function parseTypedDate(text) {
  const s = String(text ?? '').trim();
  for (const re of TYPED) {
    const m = re.exec(s);
    if (!m) continue;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isCalendarDate(year, month, day) ? { year, month, day } : null;
  }
  return null;
}

/** { year, month, day } → `2027-03-20`. */
export function isoDay({ year, month, day }) {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const DATE_HINT = '请按 2027-03-20、2027/3/20 或 2027年3月20日 的格式填写';

const ZONE = 'Asia/Shanghai';
const parts = (d, options) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', ...options })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );

/** `2026-12-14T18:00:00+08:00` → `2026年12月14日 18:00` (Asia/Shanghai); `2026-12-14` → `2026年12月14日`. */
export function fmtZhDate(iso) {
  const s = String(iso ?? '');
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (day) return `${Number(day[1])}年${Number(day[2])}月${Number(day[3])}日`;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const p = parts(d, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

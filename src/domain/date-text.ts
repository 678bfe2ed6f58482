// Dates as people read them in notices (issue 16): `2026-12-14T18:00:00+08:00` → `2026年12月14日 18:00`
// (Asia/Shanghai), `2026-12-14` → `2026年12月14日`. The same form as the pages' `fmtZhDate`
// (src/app/pages/public/dates.js); notification bodies and e-mails never carry a raw ISO date.
import { isIsoDate, isIsoDateTime } from './dates.ts';

const FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** The Chinese form of an ISO date or date-time; any other text is returned unchanged. */
export function zhDate(text: string): string {
  if (isIsoDate(text)) {
    const [y, m, d] = text.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }
  if (!isIsoDateTime(text)) return text;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return text;
  const p = Object.fromEntries(FORMAT.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

/** Every ISO date or date-time inside `text` in its Chinese form. */
export function zhDatesIn(text: string): string {
  return text.replace(
    /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g,
    (m) => zhDate(m),
  );
}

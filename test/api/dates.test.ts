// Issue 16, honest dates: a date that is not a day of the calendar is refused with a 400 problem naming the field,
// never rolled over into another day (`Date.parse('2027-02-30')` is 2 March; form-js's date picker turned
// `2028/13/45` into 2029-02-14). The typed forms people use in China are read as the day they name; the API itself
// takes ISO 8601 only. Proven at the three places a date comes in: the /api date-time format (here the audit log's
// `from` as the auditor sends it), a task form's datetime field as the server checks a completion, and the
// reading of typed text (the pages' own copy, src/app/pages/public/dates.js, must agree with src/domain).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formIssues } from '../../src/app/forms/submission.ts';
import { isIsoDate, isIsoDateTime, parseTypedDate } from '../../src/domain/dates.ts';
import { DEMO_PASSWORD } from './harness.ts';
import { type Listening, listen } from './http.ts';

const ROOT = join(import.meta.dirname, '../..');
// The pages' module, plain JavaScript for the browser: imported by its address so the type check leaves it be.
type PageDates = { parseTypedDate(text: string): { year: number; month: number; day: number } | null };
const pageDates = (await import(
  new URL('../../src/app/pages/public/dates.js', import.meta.url).href
)) as PageDates;
const form = (id: string) => ({
  formId: id,
  formKey: id,
  version: 1,
  schema: JSON.parse(readFileSync(join(ROOT, 'processes', `${id}.form`), 'utf8')),
});

describe('typed dates', () => {
  it('reads 2027-03-20, 2027/3/20 and 2027年3月20日 as 20 March 2027, in the domain and in the pages alike', () => {
    for (const text of ['2027-03-20', '2027/3/20', '2027/03/20', '2027年3月20日', ' 2027 年 3 月 20 日 ']) {
      expect(parseTypedDate(text), text).toBe('2027-03-20');
      expect(pageDates.parseTypedDate(text), text).toEqual({ year: 2027, month: 3, day: 20 });
    }
    expect(parseTypedDate('2028/2/29')).toBe('2028-02-29');
  });

  it('refuses what is not a day, or not written year first', () => {
    for (const text of [
      '03/20/2027',
      '2028/13/45',
      '2027-02-30',
      '2027/2/29',
      '2027年13月1日',
      '20/3/2027',
      '',
      'x',
    ]) {
      expect(parseTypedDate(text), text).toBeNull();
      expect(pageDates.parseTypedDate(text), text).toBeNull();
    }
  });

  it('checks ISO dates and times against the calendar and the clock', () => {
    expect(isIsoDate('2027-02-28')).toBe(true);
    expect(isIsoDate('2027-02-30')).toBe(false);
    expect(isIsoDate('2028-13-45')).toBe(false);
    expect(isIsoDateTime('2027-09-30T18:00:00+08:00', true)).toBe(true);
    expect(isIsoDateTime('2027-09-30T18:00+08:00')).toBe(true);
    expect(isIsoDateTime('2027-09-30T18:00:00', true)).toBe(false);
    expect(isIsoDateTime('2027-02-30T18:00:00+08:00')).toBe(false);
    expect(isIsoDateTime('2027-09-30T24:00:00+08:00')).toBe(false);
  });
});

describe('a task form’s date field, as the server checks a completion', () => {
  const delay = form('delay-filing-registration');
  const refused = (deliveryDate: unknown) =>
    formIssues(delay, { deliveryDate, delayFilingOpinion: '同意延期。' }, {}).issues;

  it('accepts what form-js sends for a real day', () => {
    expect(refused('2027-10-08T18:00:00+08:00')).toEqual([]);
  });

  it('refuses a day that is not on the calendar, naming the field', () => {
    for (const value of ['2027-02-30T18:00:00+08:00', '2028-13-45T18:00:00+08:00', '03/20/2027', '2027/3/20'])
      expect(refused(value), value).toEqual([{ field: 'variables.deliveryDate', reason: '必须是日期时间' }]);
    const procurement = form('procurement-record');
    const issues = formIssues(
      procurement,
      { procurementResult: 'success', contractSignedDate: '2027-02-30' },
      {},
    );
    expect(issues.issues).toContainEqual({
      field: 'variables.contractSignedDate',
      reason: '必须是日期（YYYY-MM-DD）',
    });
  });
});

describe('/api date-time fields', () => {
  let h: Listening;
  let auth: Record<string, string>;
  beforeAll(async () => {
    h = await listen();
    const login = await h.send('POST', '/api/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'audit', password: DEMO_PASSWORD }),
    });
    auth = { authorization: `Bearer ${login.json().token}` };
  });
  afterAll(async () => {
    await h.close();
  });

  it('the auditor’s period from 2027-02-30 is a 400 problem naming `from`, not a search from 2 March', async () => {
    for (const from of ['2027-02-30T00:00:00+08:00', '2028-13-45T00:00:00+08:00', '03/20/2027']) {
      const res = await h.send('GET', `/api/audit-log?from=${encodeURIComponent(from)}`, { headers: auth });
      expect(res.status, from).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors, from).toEqual([
        { field: 'from', reason: expect.stringContaining('格式不正确') },
      ]);
    }
    const ok = await h.send('GET', `/api/audit-log?from=${encodeURIComponent('2026-02-28T00:00:00+08:00')}`, {
      headers: auth,
    });
    expect(ok.status).toBe(200);
  });
});

// Every Camunda form of processes/, drawn in chromium exactly as the task page draws it (views/task.js calls
// form-zh.js's renderTaskForm with the task's variables), with the variables a real project carries
// (form-data.ts): no G-4 code, no ISO 8601 time, no unformatted amount and none of form-js's own English may show
// (issue 16). The same check on form-js without the display layer finds all of them, so it can fail. Typed dates
// and the task page as the Bureau's reviewer sees it: dates.test.ts.
// Screenshots: test-results/browser/forms/<form id>.png.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_VARIABLES } from './form-data.ts';
import { type Browser, CHROMIUM, launchBrowser, ROOT, type RunningApp, SHOTS, startApp } from './support.ts';

type Schema = { id: string; components: unknown[] };
const FORMS: Schema[] = readdirSync(join(ROOT, 'processes'))
  .filter((f) => f.endsWith('.form'))
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'processes', f), 'utf8')) as Schema);
const FORM_SHOTS = join(SHOTS, 'forms');

// In the page (a string: this file is type-checked without the DOM library). `findings` lists what a person
// should not have to read: vocabulary codes (the G-4 words and any kebab-case code), ISO dates and times, amounts
// of five digits or more without separators, and form-js's and flatpickr's English — in every text node (so the
// closed date picker counts too) and in placeholders and accessible names.
const PAGE_HELPERS = `(() => {
  const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
  const ENGLISH = new RegExp('\\\\b(Select|Search|Add new|Remove list item|Collapse|Expand all|No results|All values selected|Nothing to show|Previous page|Next page|Click to sort|Increment|Decrement|Sun|Mon|Tue|Wed|Thu|Fri|Sat|yyyy|hh:mm|' + MONTHS + ')\\\\b|\\\\d of \\\\d', 'g');
  window.__findings = (container, codes) => {
    const attrs = [...container.querySelectorAll('[placeholder], [aria-label], [title]')].flatMap((el) =>
      ['placeholder', 'aria-label', 'title'].map((a) => el.getAttribute(a)).filter(Boolean));
    const texts = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.data);
    const all = [...texts, ...attrs].join('\\n');
    const found = [];
    for (const code of codes) if (new RegExp('(?<![\\\\w-])' + code + '(?![\\\\w-])').test(all)) found.push('code ' + code);
    for (const m of all.matchAll(/\\b[a-z]+(?:-[a-z]+)+\\b/g)) found.push('code ' + m[0]);
    for (const m of all.matchAll(/\\d{4}-\\d{2}-\\d{2}(T[\\d:]+)?/g)) found.push('iso ' + m[0]);
    for (const m of all.matchAll(/(?<![\\d,.])\\d{5,}(?![\\d,])/g)) found.push('raw amount ' + m[0]);
    for (const m of all.matchAll(ENGLISH)) found.push('english ' + m[0]);
    return [...new Set(found)];
  };
  window.__setup = async () => {
    window.FormViewer ??= await new Promise((ok, fail) => {
      const s = document.createElement('script');
      s.src = '/assets/vendor/form-js/form-viewer.js';
      s.onload = () => ok(window.FormViewer);
      s.onerror = fail;
      document.head.append(s);
    });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/assets/vendor/form-js/form-js.css';
    document.head.append(link);
    window.__zh = await import('/assets/app/form-zh.js');
    window.__vocab = await (await fetch('/assets/app/vocabulary.json')).json();
    const v = window.__vocab;
    window.__codes = [...Object.keys(v.serviceTypes), ...Object.values(v.serviceTypes).flatMap((t) => Object.keys(t.subTypes)),
      ...Object.keys(v.relatedTo), ...Object.keys(v.fundingSources)];
  };
  // One form in a fresh visible container: with the task page's renderTaskForm, or form-js alone (plain).
  window.__draw = async (schema, variables, plain) => {
    document.body.replaceChildren();
    const container = document.createElement('div');
    container.id = 'under-test';
    container.style.cssText = 'width: 900px; padding: 16px; background: white';
    document.body.append(container);
    window.__problems = [];
    if (plain) {
      window.__form = new window.FormViewer.Form({ container });
      await window.__form.importSchema(schema, variables);
    } else {
      const r = await window.__zh.renderTaskForm(window.FormViewer, container, schema, variables, window.__vocab,
        { onDateProblems: (p) => { window.__problems = p; } });
      window.__form = r.form;
      window.__dates = r.dates;
    }
    await new Promise((r) => setTimeout(r, 50));
    return window.__findings(container, window.__codes);
  };
})()`;

let app: RunningApp;
let browser: Browser;
let page: Page;

const draw = (schema: Schema, variables: unknown, plain = false) =>
  page.evaluate(
    `window.__draw(${JSON.stringify(schema)}, ${JSON.stringify(variables)}, ${plain})`,
  ) as Promise<string[]>;
const form = (id: string) => FORMS.find((f) => f.id === id)!;
const submitted = () => page.evaluate('window.__form.submit()') as Promise<{ data: Record<string, unknown> }>;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('every form of processes/ in plain Chinese', () => {
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    mkdirSync(FORM_SHOTS, { recursive: true });
    page = await browser.newPage();
    await page.goto(`${app.url}/#/login`);
    await page.evaluate(PAGE_HELPERS);
    await page.evaluate('window.__setup()');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the check finds codes, raw amounts, ISO times and English on form-js drawn without the display layer', async () => {
    const raw = await draw(form('initial-check'), FORM_VARIABLES, true);
    expect(raw).toEqual(
      expect.arrayContaining([
        'code software-development',
        'code professional-software',
        'raw amount 1200000',
      ]),
    );
    expect(await draw(form('correct-application'), FORM_VARIABLES, true)).toEqual(
      expect.arrayContaining(['english Add new', 'english Remove list item', 'iso 2026-12-14T18:00:00']),
    );
    expect(await draw(form('procurement-record'), FORM_VARIABLES, true)).toEqual(
      expect.arrayContaining(['english January', 'english Sun']),
    );
  });

  it('shows no code, ISO time, raw amount or English in any form, filled with a real project', async () => {
    expect(FORMS.length).toBeGreaterThan(40);
    const bad: Record<string, string[]> = {};
    for (const schema of FORMS) {
      const findings = await draw(schema, FORM_VARIABLES);
      if (findings.length > 0) bad[schema.id] = findings;
      await page.locator('#under-test').screenshot({ path: join(FORM_SHOTS, `${schema.id}.png`) });
    }
    expect(bad).toEqual({});
  });

  it('writes amounts as 元 with separators and 万元, G-4 lines by name, times as 年月日 and 时分', async () => {
    await draw(form('initial-check'), FORM_VARIABLES);
    const text = await page.locator('#under-test').textContent();
    expect(text).toContain('1,200,000 元（120 万元）');
    expect(text).toContain('600,000 元（60 万元）');
    for (const name of ['软件开发服务', '专业软件开发服务', '基础设施服务', '政务云', '第三方服务', '监理'])
      expect(text).toContain(name);
    await draw(form('correct-application'), FORM_VARIABLES);
    const correction = await page.locator('#under-test').textContent();
    expect(correction).toContain('2026年12月14日 18:00');
    // An amount being typed in 元 is read back in 万元 under its field, in each line of the list.
    expect(correction).toContain('合 60 万元');
    expect(correction).toContain('合 20 万元');
    await draw(form('delay-filing-registration'), FORM_VARIABLES);
    expect(await page.locator('#under-test').textContent()).toContain('2027年9月30日 18:00');
  });

  it('submits exactly the raw values the server checks: codes and integers, nothing of the display', async () => {
    await draw(form('correct-application'), FORM_VARIABLES);
    const { data } = await submitted();
    expect(data).not.toHaveProperty('zhDisplay');
    expect(data.serviceLines).toEqual(
      (FORM_VARIABLES.serviceLines as Array<Record<string, unknown>>).map((l) => expect.objectContaining(l)),
    );
    await draw(form('cost-review'), FORM_VARIABLES);
    expect((await submitted()).data).toEqual({
      costReviewPassed: false,
      costReviewReport: '软件开发工作量偏高',
      reviewedAmount: 1_150_000,
    });
  });
});

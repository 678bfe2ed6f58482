// form-js itself, as the task page runs it: the same viewer bundle the app serves at
// /assets/vendor/form-js/form-viewer.js (src/app/pages/index.ts maps it to @bpmn-io/form-js/dist/form-viewer.umd.js),
// in Debian's headless chromium driven by playwright-core (as test/browser/support.ts launches it). The page does
// `form.importSchema(schema, variables)`, the user edits, then `form.submit()` and posts `data`; here the edits are
// given as data to import, and submit() returns what the page would post — only the rendered keyed fields, hidden
// ones dropped, dynamic lists as arrays of objects (https://github.com/bpmn-io/form-js — Form.submit,
// Form._getSubmitData in packages/form-js-viewer/src/Form.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const VIEWER = join(dirname(require.resolve('@bpmn-io/form-js/package.json')), 'dist', 'form-viewer.umd.js');

// Runs in the page (a string: this file is type-checked without the DOM library).
const SUBMIT = `window.__submit = async ({ schema, data }) => {
  const container = document.createElement('div');
  document.body.append(container);
  const form = new FormViewer.Form({ container });
  try {
    await form.importSchema(schema, data);
    // Let the rendered fields' effects run (an expression field with computeOn "change" sets its value in one),
    // as they have long before a person presses 提交.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { data: submitted, errors } = form.submit();
    return { data: submitted, errors };
  } finally {
    form.destroy();
    container.remove();
  }
};`;

// What a person reads of the rendered form: its text, with the templates (\`{{…}}\`) filled from the data.
const TEXT = `window.__text = async ({ schema, data }) => {
  const container = document.createElement('div');
  document.body.append(container);
  const form = new FormViewer.Form({ container });
  try {
    await form.importSchema(schema, data);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return container.innerText;
  } finally {
    form.destroy();
    container.remove();
  }
};`;

export interface FormJsResult {
  data: Record<string, unknown>;
  /** form-js's own validation errors, by field id: a complete fill has none. */
  errors: Record<string, string[]>;
}

export interface FormJs {
  submit(schema: unknown, data: Record<string, unknown>): Promise<FormJsResult>;
  /** The rendered form's text as a person reads it. */
  text(schema: unknown, data: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function launchFormJs(): Promise<FormJs> {
  const profile = mkdtempSync(join(tmpdir(), 'yunfu-formjs-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const page: Page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: VIEWER });
  await page.addScriptTag({ content: SUBMIT });
  await page.addScriptTag({ content: TEXT });
  return {
    async submit(schema, data) {
      const result = (await page.evaluate(
        `window.__submit(${JSON.stringify({ schema, data })})`,
      )) as FormJsResult;
      if (pageErrors.length > 0) throw new Error(`form-js failed: ${pageErrors.join('; ')}`);
      return result;
    },
    async text(schema, data) {
      const text = (await page.evaluate(`window.__text(${JSON.stringify({ schema, data })})`)) as string;
      if (pageErrors.length > 0) throw new Error(`form-js failed: ${pageErrors.join('; ')}`);
      return text;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

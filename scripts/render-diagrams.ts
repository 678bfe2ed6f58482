// Renders every process of processes/ to docs/diagrams/<process-id>.svg with bpmn-js — the same library the
// operations view draws with — in headless Chromium (`npm run docs:diagrams`). A collapsed sub-process's drill-down
// plane becomes docs/diagrams/<process-id>--<SubProcessId>.svg. Everything is served from node_modules by a
// loopback server; the browser fetches nothing else.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const PROCESSES = join(ROOT, 'processes');
const OUT = join(ROOT, 'docs', 'diagrams');
const BPMN_DIST = join(ROOT, 'node_modules', 'bpmn-js', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/diagram-js.css"><link rel="stylesheet" href="/bpmn-js.css">
<style>html,body{margin:0}#canvas{width:1600px;height:1000px}</style>
<script src="/bpmn-viewer.js"></script>
</head><body><div id="canvas"></div></body></html>`;

const FILES: Record<string, [string, string]> = {
  '/': ['', 'text/html; charset=utf-8'],
  '/bpmn-viewer.js': [join(BPMN_DIST, 'bpmn-viewer.production.min.js'), 'text/javascript; charset=utf-8'],
  '/diagram-js.css': [join(BPMN_DIST, 'assets', 'diagram-js.css'), 'text/css; charset=utf-8'],
  '/bpmn-js.css': [join(BPMN_DIST, 'assets', 'bpmn-js.css'), 'text/css; charset=utf-8'],
};

function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = FILES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1] });
    res.end(file[0] ? readFileSync(file[0]) : PAGE);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

/** Runs in the page (a string: this file is type-checked without the DOM library). */
const RENDER = `async (xml) => {
  const viewer = new BpmnJS({ container: '#canvas' });
  const { warnings } = await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const out = [];
  for (const root of canvas.getRootElements()) {
    canvas.setRootElement(root);
    const { svg } = await viewer.saveSVG();
    out.push({ id: root.businessObject.id, name: root.businessObject.name || root.businessObject.id, svg });
  }
  viewer.destroy();
  return { warnings: warnings.map((w) => w.message), diagrams: out };
}`;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** bpmn-js names its arrow-head markers at random: number them in order, so an unchanged model redraws identically. */
function stableIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const [, id] of svg.matchAll(/\bid="(marker-[a-z0-9]+)"/g))
    ids.set(id!, `${prefix}-marker-${ids.size + 1}`);
  return svg.replace(/#(marker-[a-z0-9]+)\b|\bid="(marker-[a-z0-9]+)"/g, (all, ref?: string, id?: string) => {
    const name = ids.get((ref ?? id)!);
    if (!name) return all;
    return ref ? `#${name}` : `id="${name}"`;
  });
}

interface Rendered {
  warnings: string[];
  diagrams: Array<{ id: string; name: string; svg: string }>;
}

const { server, url } = await serve();
const profile = mkdtempSync(join(tmpdir(), 'yunfu-diagrams-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
});
try {
  const page = await context.newPage();
  await page.goto(url);
  mkdirSync(OUT, { recursive: true });
  for (const old of readdirSync(OUT).filter((f) => f.endsWith('.svg'))) rmSync(join(OUT, old));
  for (const file of readdirSync(PROCESSES)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()) {
    const xml = readFileSync(join(PROCESSES, file), 'utf8');
    const processId = /<bpmn:process\b[^>]*\bid="([^"]+)"/.exec(xml)?.[1];
    if (!processId) throw new Error(`${file}: no <bpmn:process id>`);
    const result = (await page.evaluate(`(${RENDER})(${JSON.stringify(xml)})`)) as Rendered;
    if (result.warnings.length) throw new Error(`${file}: ${result.warnings.join('; ')}`);
    const processName = result.diagrams.find((d) => d.id === processId)?.name ?? processId;
    for (const { id, name: elementName, svg } of result.diagrams) {
      const name = id === processId ? processId : `${processId}--${id}`;
      // A title, for screen readers and for the SVG's own tooltip.
      const title = id === processId ? processName : `${processName} — ${elementName}`;
      const titled = svg.replace(/(<svg\b[^>]*>)/, `$1<title>${escapeXml(title)}</title>`);
      writeFileSync(join(OUT, `${name}.svg`), `${stableIds(titled, name)}\n`);
      console.log(`docs/diagrams/${name}.svg`);
    }
  }
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

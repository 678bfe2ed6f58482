// docs/processes.md shows a picture of every process (docs/diagrams/, rendered by bpmn-js in headless Chromium with
// `npm run docs:diagrams`): each process and each collapsed sub-process's drill-down plane has its SVG, the SVG draws
// that model's elements with their names, and the document links it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';

const DOCS = join(PROCESSES_DIR, '../docs');
const DIAGRAMS = join(DOCS, 'diagrams');

function decode(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text an SVG draws, without markup or white space (bpmn-js breaks a long label into several <tspan>s). */
function drawnText(svg: string): string {
  return decode(svg.replace(/<[^>]*>/g, '')).replace(/\s+/g, '');
}

interface Model {
  file: string;
  id: string;
  name: string;
  /** Names of the elements inside <bpmn:process> (tasks, events, gateways, flows, sub-processes). */
  elementNames: string[];
  /** Every BPMN plane other than the process's own: the collapsed sub-processes' drill-downs. */
  planes: string[];
}

const models: Model[] = readdirSync(PROCESSES_DIR)
  .filter((f) => f.endsWith('.bpmn'))
  .sort()
  .map((file) => {
    const xml = readFileSync(join(PROCESSES_DIR, file), 'utf8');
    const process = /<bpmn:process\b([^>]*)>([\s\S]*?)<\/bpmn:process>/.exec(xml);
    if (!process) throw new Error(`${file}: no <bpmn:process>`);
    const attrs = process[1]!;
    const id = /\bid="([^"]+)"/.exec(attrs)![1]!;
    const name = decode(/\bname="([^"]*)"/.exec(attrs)?.[1] ?? '');
    const elementNames = [...process[2]!.matchAll(/<bpmn:\w+\b[^>]*\bname="([^"]+)"/g)].map((m) =>
      decode(m[1]!),
    );
    const planes = [...xml.matchAll(/<bpmndi:BPMNPlane\b[^>]*\bbpmnElement="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((p) => p !== id);
    return { file, id, name, elementNames, planes };
  });

describe('process diagrams in docs/processes.md (`npm run docs:diagrams`)', () => {
  const doc = readFileSync(join(DOCS, 'processes.md'), 'utf8');
  const handWritten = doc.slice(0, doc.indexOf('<!-- catalogue:begin'));

  it('covers every model of processes/', () => {
    expect(models.length).toBeGreaterThanOrEqual(12);
    expect(models.every((m) => m.name && m.elementNames.length > 0)).toBe(true);
  });

  it.each(models)(
    '$id has its SVG, drawn with the names of its elements, and linked from the document',
    (m) => {
      const files = [`${m.id}.svg`, ...m.planes.map((p) => `${m.id}--${p}.svg`)];
      let text = '';
      for (const file of files) {
        const path = join(DIAGRAMS, file);
        expect(existsSync(path), `${file} is missing: run npm run docs:diagrams`).toBe(true);
        const svg = readFileSync(path, 'utf8');
        expect(svg).toMatch(/<svg\b[^>]*\bviewBox="[^"]+"/);
        expect(svg).toContain('created with bpmn-js');
        expect(svg).toContain(`<title>${m.name}`);
        // Every arrow head it points to is defined in the file itself (the ids are renumbered after bpmn-js draws).
        const defined = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((d) => d[1]));
        const dangling = [...svg.matchAll(/url\('?#([^')]+)'?\)/g)]
          .map((r) => r[1])
          .filter((r) => !defined.has(r));
        expect(dangling).toEqual([]);
        // Drawn shapes, not an empty canvas.
        expect(svg.match(/class="djs-element djs-shape"/g)?.length ?? 0).toBeGreaterThan(1);
        text += drawnText(svg);
        expect(handWritten).toContain(`](diagrams/${file})`);
      }
      const missing = m.elementNames.filter((n) => !text.includes(n.replace(/\s+/g, '')));
      expect(missing).toEqual([]);
      expect(handWritten).toContain(`![${m.name}](diagrams/${m.id}.svg)`);
    },
  );

  it('has no picture left of a process or plane that no longer exists', () => {
    const expected = new Set(
      models.flatMap((m) => [`${m.id}.svg`, ...m.planes.map((p) => `${m.id}--${p}.svg`)]),
    );
    const stale = readdirSync(DIAGRAMS).filter((f) => !expected.has(f));
    expect(stale).toEqual([]);
  });

  it('tells how to regenerate them', () => {
    expect(handWritten).toContain('npm run docs:diagrams');
  });
});

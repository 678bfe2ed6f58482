// docs/traceability.md maps every clause of the regulation to what implements it and the tests that prove it.
// This test keeps the map complete and true: every clause has a row, every model element and file it names
// exists, and every test it names exists under that name.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, readCatalogue } from '../src/modeling/catalogue.ts';

const root = resolve(import.meta.dirname, '..');
const clausesMd = readFileSync(resolve(root, 'docs/regulation/clauses.md'), 'utf8');
const traceability = readFileSync(resolve(root, 'docs/traceability.md'), 'utf8');

interface ClauseRow {
  id: string;
  contextOnly: boolean;
}

/** The clauses of the regulation, and whether clauses.md calls them context only. */
const clauses: ClauseRow[] = [
  ...clausesMd.matchAll(/^\| ((?:G|P|PUB|PRO|EMG|PC|IM|AC|SV|SU)-\d+) \|(.*)$/gm),
].map((m) => ({
  id: m[1]!,
  contextOnly: /\|\s*Context only\.\s*\|\s*$/.test(m[2]!),
}));

interface MapRow {
  id: string;
  implementedBy: string[];
  provedBy: string[];
}

function parseMap(md: string): Map<string, MapRow> {
  const rows = new Map<string, MapRow>();
  for (const line of md.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    // | clause | rule | implemented by | proved by |
    if (cells.length < 6 || !/^(G|P|PUB|PRO|EMG|PC|IM|AC|SV|SU)-\d+$/.test(cells[1]!)) continue;
    const refs = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.set(cells[1]!, { id: cells[1]!, implementedBy: refs(cells[3]!), provedBy: refs(cells[4]!) });
  }
  return rows;
}

const map = parseMap(traceability);
let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await readCatalogue();
});

describe('docs/traceability.md', () => {
  it('reads the clauses of the regulation', () => {
    expect(clauses.length).toBeGreaterThanOrEqual(40);
    expect(clauses.filter((c) => c.contextOnly).map((c) => c.id)).toEqual(['G-1', 'SU-1']);
  });

  it('has a row for every clause of docs/regulation/clauses.md', () => {
    const missing = clauses.filter((c) => !map.has(c.id)).map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it('names what implements every clause that is not context only, and the tests that prove it', () => {
    for (const c of clauses.filter((x) => !x.contextOnly)) {
      const row = map.get(c.id)!;
      expect(row.implementedBy.length, `${c.id} is implemented by something`).toBeGreaterThan(0);
      expect(row.provedBy.length, `${c.id} is proved by a test`).toBeGreaterThan(0);
    }
  });

  it('every model element it names exists (process-id#ElementId), and every file', () => {
    const elements = new Map(catalogue.processes.map((p) => [p.id, new Set(p.elements.map((e) => e.id))]));
    const decisions = new Set(catalogue.decisions.flatMap((d) => d.ids));
    for (const row of map.values()) {
      for (const ref of row.implementedBy) {
        if (ref.includes('#')) {
          const [processId, elementId] = ref.split('#') as [string, string];
          expect(elements.has(processId), `${row.id}: process ${processId}`).toBe(true);
          expect(elements.get(processId)!.has(elementId), `${row.id}: ${ref}`).toBe(true);
        } else if (ref.includes('/') || ref.includes('.')) {
          expect(existsSync(resolve(root, ref)), `${row.id}: file ${ref}`).toBe(true);
        } else {
          expect(elements.has(ref) || decisions.has(ref), `${row.id}: process or decision ${ref}`).toBe(true);
        }
      }
    }
  });

  it('every test it names exists under that name (`test/file.ts › words of the test name`)', () => {
    for (const row of map.values()) {
      for (const ref of row.provedBy) {
        const [file, name] = ref.split(' › ') as [string, string | undefined];
        expect(file, `${row.id}: ${ref}`).toMatch(/^test\/.+\.ts$/);
        expect(existsSync(resolve(root, file)), `${row.id}: ${file} exists`).toBe(true);
        expect(name, `${row.id}: ${ref} names a test`).toBeTruthy();
        expect(readFileSync(resolve(root, file), 'utf8'), `${row.id}: '${name}' in ${file}`).toContain(name);
      }
    }
  });

  it('every element it names cites that clause in its documentation, as the diagram shows it', () => {
    const elementClauses = new Map(
      catalogue.processes.flatMap((p) =>
        p.elements.map((e): [string, string[]] => [`${p.id}#${e.id}`, e.clauses]),
      ),
    );
    for (const row of map.values()) {
      for (const ref of row.implementedBy.filter((r) => r.includes('#'))) {
        expect(elementClauses.get(ref), `${ref} documents ${row.id}`).toContain(row.id);
      }
    }
  });
});

// docs/architecture.md names files and folders as it describes the layers and a submission's path; every one must
// exist, so the page cannot drift from the code it describes.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');

describe('docs/architecture.md', () => {
  it('names only paths that exist', () => {
    const named = new Set<string>();
    for (const m of doc.matchAll(/`((?:src|workers|test|docs|processes|scripts|bench)\/[^`\s]*)`/g))
      named.add(m[1]!);
    for (const m of doc.matchAll(/\b((?:src|workers)\/[\w./-]+\.(?:ts|js))\b/g)) named.add(m[1]!);
    expect(named.size).toBeGreaterThan(20);
    const missing = [...named].filter((p) => !existsSync(join(ROOT, p.replace(/\/$/, ''))));
    expect(missing).toEqual([]);
  });

  it('names every job worker module the submission path relies on in workers/all.ts', () => {
    const all = readFileSync(join(ROOT, 'workers/all.ts'), 'utf8');
    for (const m of doc.matchAll(/`workers\/([\w-]+)\.ts`/g)) {
      if (m[1] === 'all' || m[1] === 'effects') continue;
      expect(all, `workers/all.ts lists ${m[1]}`).toContain(`./${m[1]}.ts`);
    }
  });
});

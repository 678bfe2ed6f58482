// docs/processes.md shows the models as they are: its generated part equals what the models render to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESSES_DIR, readCatalogue } from '../../src/modeling/catalogue.ts';
import { renderCatalogue, spliceCatalogue } from '../../src/modeling/catalogue-markdown.ts';

describe('docs/processes.md', () => {
  it('is up to date with processes/ (run `npm run docs:processes` after changing a model)', async () => {
    const doc = readFileSync(join(PROCESSES_DIR, '../docs/processes.md'), 'utf8');
    expect(spliceCatalogue(doc, renderCatalogue(await readCatalogue()))).toBe(doc);
  });
});

// Rewrites the generated catalogue in docs/processes.md from processes/ (`npm run docs:processes`).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCatalogue } from '../src/modeling/catalogue.ts';
import { renderCatalogue, spliceCatalogue } from '../src/modeling/catalogue-markdown.ts';

const file = resolve(import.meta.dirname, '../docs/processes.md');
const updated = spliceCatalogue(readFileSync(file, 'utf8'), renderCatalogue(await readCatalogue()));
writeFileSync(file, updated);
console.log(`updated ${file}`);

// The rules of docs/architecture.md, checked over the code's own imports and sizes: what may import what, no
// import circles, no source file over 600 lines and no function over 80 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['src', 'workers', 'scripts', 'bench'];
const MAX_FILE_LINES = 600;
const MAX_FUNCTION_LINES = 80;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ts|js)$/.test(name)) out.push(path);
  }
  return out;
}

/** Lines as an editor counts them: a final newline ends the last line, it does not start another. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Vendored bundles the pages serve as they come from their packages are not our code. */
const isVendored = (file: string) => file.includes('/vendor/');
const sourceFiles = SOURCE_DIRS.flatMap(filesUnder).filter((f) => !isVendored(f));
const testFiles = filesUnder('test').filter((f) => !f.startsWith('test/fixtures/'));

function parse(file: string): ts.SourceFile {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
  );
}

/** Whether a declaration brings in types only (erased at run time, so it cannot close a circle). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    clause.name === undefined &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

/**
 * Relative imports of a file, resolved to repository paths; package imports by their package name. `local` holds
 * every relative import (the layer rules hold for types too); `runtime` only those that load code.
 */
function importsOf(file: string): { local: string[]; runtime: string[]; packages: string[] } {
  const local: string[] = [];
  const runtime: string[] = [];
  const packages: string[] = [];
  const sf = parse(file);
  const visit = (node: ts.Node) => {
    let spec: string | null = null;
    let erased = false;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      spec = (node.moduleSpecifier as ts.StringLiteral).text;
      erased = typeOnly(node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) spec = arg.text;
    }
    if (spec !== null) {
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
        local.push(target);
        if (!erased) runtime.push(target);
      } else if (!spec.startsWith('node:'))
        packages.push(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string),
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { local, runtime, packages };
}

const under = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);

interface Rule {
  what: string;
  files: (f: string) => boolean;
  mayImport: (target: string) => boolean;
  forbiddenPackages?: string[];
}

const PAGES = 'src/app/pages/public';
const RULES: Rule[] = [
  {
    what: 'the engine knows nothing of Yunfu: src/engine imports only itself and the generic model reader',
    files: (f) => under(f, 'src/engine'),
    mayImport: (t) => under(t, 'src/engine') || t === 'src/modeling/moddle.ts',
  },
  {
    what: 'the domain knows nothing of HTTP, engines or stores',
    files: (f) => under(f, 'src/domain'),
    mayImport: (t) => under(t, 'src/domain'),
    forbiddenPackages: ['fastify', 'pg', 'better-sqlite3', 'kysely', '@camunda8/sdk'],
  },
  {
    what: 'the store depends only on the domain',
    files: (f) => under(f, 'src/store'),
    mayImport: (t) => under(t, 'src/store') || under(t, 'src/domain'),
    forbiddenPackages: ['fastify', '@camunda8/sdk'],
  },
  {
    what: 'workers reach the engine only through the Camunda client runtime',
    files: (f) => under(f, 'workers'),
    mayImport: (t) =>
      ['workers', 'src/domain', 'src/store', 'src/camunda'].some((d) => under(t, d)) || t === 'src/config.ts',
  },
  {
    what: 'the Camunda client layer knows nothing of the app, the store or the embedded engine',
    files: (f) => under(f, 'src/camunda'),
    mayImport: (t) =>
      ['src/camunda', 'src/domain', 'src/modeling'].some((d) => under(t, d)) || t === 'src/config.ts',
  },
  {
    what: 'the business service reaches the engine only through the Camunda client (never src/engine)',
    files: (f) => under(f, 'src/app') && !under(f, PAGES),
    mayImport: (t) => !under(t, 'src/engine') && !under(t, 'workers') && !under(t, 'src/demo'),
  },
  {
    what: 'the pages are browser modules that import only each other and their vendored bundles',
    files: (f) => under(f, PAGES),
    mayImport: (t) => under(t, PAGES),
  },
  {
    what: 'the demo goes through the business commands, not the routes',
    files: (f) => under(f, 'src/demo'),
    mayImport: (t) => !under(t, 'src/app/api'),
  },
];

describe('architecture: what may import what (docs/architecture.md)', () => {
  for (const rule of RULES) {
    it(rule.what, () => {
      const broken: string[] = [];
      for (const file of sourceFiles.filter(rule.files)) {
        const { local, packages } = importsOf(file);
        for (const t of local) if (!rule.mayImport(t)) broken.push(`${file} → ${t}`);
        for (const p of packages) if (rule.forbiddenPackages?.includes(p)) broken.push(`${file} → ${p}`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('the pages talk to /api only, never to the engine’s /v2', () => {
    const offenders = sourceFiles.filter(
      (f) => under(f, PAGES) && /['"`]\/v2\//.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('has no import circles between source files (imports of types only are erased and do not count)', () => {
    const graph = new Map(
      sourceFiles.map((f) => [f, importsOf(f).runtime.filter((t) => sourceFiles.includes(t))]),
    );
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') circles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(circles).toEqual([]);
  });
});

describe('architecture: sizes a newcomer can read', () => {
  it(`no file over ${MAX_FILE_LINES} lines, source or test`, () => {
    const long = [...sourceFiles, ...testFiles]
      .map((f) => ({ f, lines: lineCount(readFileSync(join(ROOT, f), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  // Test files are exempt: a describe block is a list of stories, not a function anyone reads as one.
  it(`no source function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const file of sourceFiles) {
      const sf = parse(file);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const from = sf.getLineAndCharacterOfPosition(node.getStart()).line;
          const to = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (to - from + 1 > MAX_FUNCTION_LINES) long.push(`${file}:${from + 1}: ${to - from + 1} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });
});

// bpmnlint over a zeebe-aware moddle, configured by the repository's .bpmnlintrc, the same file Camunda Modeler
// reads. `plugin:yunfu/recommended` is the repository's own folder bpmnlint-plugin-yunfu/, loaded by path rather
// than installed as a package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseBpmn } from './moddle.ts';

const require = createRequire(import.meta.url);
const Linter = require('bpmnlint/lib/linter');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const ROOT = resolve(import.meta.dirname, '../..');
const LOCAL_PLUGINS: Record<string, string> = {
  'bpmnlint-plugin-yunfu': resolve(ROOT, 'bpmnlint-plugin-yunfu'),
};

/** A require from the repository root that finds the local plug-in folders under their package names. */
function pluginRequire(): NodeJS.Require {
  const base = createRequire(resolve(ROOT, 'package.json'));
  const local = (id: string) => {
    const dir = Object.entries(LOCAL_PLUGINS).find(([name]) => id === name || id.startsWith(`${name}/`));
    return dir ? dir[1] + id.slice(dir[0].length) : id;
  };
  const req = ((id: string) => base(local(id))) as NodeJS.Require;
  return Object.assign(req, base, {
    resolve: ((id: string, options?: { paths?: string[] }) =>
      base.resolve(local(id), options)) as NodeJS.RequireResolve,
  });
}

export interface LintProblem {
  id: string;
  message: string;
  rule: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

export interface LintReport {
  errors: LintProblem[];
  warnings: LintProblem[];
}

const config = JSON.parse(readFileSync(resolve(ROOT, '.bpmnlintrc'), 'utf8'));

export async function lintBpmnXml(xml: string): Promise<LintReport> {
  const { rootElement, warnings: importWarnings } = await parseBpmn(xml);
  const linter = new Linter({ config, resolver: new NodeResolver({ require: pluginRequire() }) });
  const results: Record<string, Array<Omit<LintProblem, 'rule'>>> = await linter.lint(rootElement);
  const report: LintReport = { errors: [], warnings: [] };
  for (const [rule, problems] of Object.entries(results)) {
    for (const p of problems) {
      const problem = { ...p, rule };
      if (p.category === 'error' || p.category === 'rule-error') report.errors.push(problem);
      else report.warnings.push(problem);
    }
  }
  for (const w of importWarnings) {
    report.errors.push({ id: '', message: w.message, rule: 'import', category: 'error' });
  }
  return report;
}

export async function lintBpmnFile(file: string): Promise<LintReport> {
  return lintBpmnXml(readFileSync(file, 'utf8'));
}

export function formatReport(file: string, report: LintReport): string {
  const lines = [...report.errors, ...report.warnings].map(
    (p) => `  ${p.category.padEnd(5)} ${p.id.padEnd(36)} ${p.message}  (${p.rule})`,
  );
  return lines.length ? `${file}\n${lines.join('\n')}` : '';
}

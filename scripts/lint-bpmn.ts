// Lints BPMN files the way Camunda Modeler does: bpmnlint with `bpmnlint:recommended`,
// `plugin:camunda-compat/camunda-cloud-8-8` and the repository's conventions `plugin:yunfu/recommended`
// (bpmnlint-plugin-yunfu/), all from .bpmnlintrc, over a moddle that knows the zeebe: extensions (plain
// `bpmnlint` does not, and then reports every zeebe:* element as missing).
// Usage: npx tsx scripts/lint-bpmn.ts [files...]   (default: processes/*.bpmn). Exit 1 on any error.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport, lintBpmnFile } from '../src/modeling/lint.ts';

const args = process.argv.slice(2);
const files =
  args.length > 0
    ? args
    : readdirSync('processes')
        .filter((f) => f.endsWith('.bpmn'))
        .map((f) => join('processes', f));

let errors = 0;
for (const file of files) {
  const report = await lintBpmnFile(file);
  errors += report.errors.length;
  const text = formatReport(file, report);
  if (text) console.log(text);
}
console.log(`${files.length} file(s) linted, ${errors} error(s)`);
process.exit(errors > 0 ? 1 : 0);

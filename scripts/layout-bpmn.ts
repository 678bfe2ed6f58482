// Lays out a BPMN file that has no diagram interchange (or whose layout should be redone):
// `npx tsx scripts/layout-bpmn.ts processes/foo.bpmn [...]` rewrites each file in place.
// Sub-processes come out collapsed, with their content on a drill-down plane, as Camunda Modeler shows them.
import { readFileSync, writeFileSync } from 'node:fs';
import { layoutProcess } from 'bpmn-auto-layout';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx scripts/layout-bpmn.ts <file.bpmn> [...]');
  process.exit(2);
}
for (const file of files) {
  const withoutDi = readFileSync(file, 'utf8').replace(
    /<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>\s*/g,
    '',
  );
  writeFileSync(file, await layoutProcess(withoutDi));
  console.log(`laid out ${file}`);
}

// Every deployable resource in processes/ parses, links what it names, and is ready for Camunda Modeler 8.8.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, PROCESSES_DIR, readCatalogue } from '../../src/modeling/catalogue.ts';
import { lintBpmnFile } from '../../src/modeling/lint.ts';

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await readCatalogue();
});

const bpmnFiles = readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn'));
const contract = readFileSync(join(PROCESSES_DIR, '../docs/process-contract.md'), 'utf8');

/** The process ids that the foundation requires, one file each, named as the regulation names them. */
const REQUIRED_PROCESSES = [
  'annual-plan-filing',
  'public-needs-collection',
  'public-project-initiation',
  'professional-project-initiation',
  'out-of-plan-initiation',
  'project-procurement',
  'project-implementation',
  'project-acceptance',
  'project-evaluation',
  'audit-request',
  'infrastructure-service-request',
  'coordination-request',
  'project-lifecycle',
];

describe('the process catalogue', () => {
  it('has every required process, one per file named after its id, with a Chinese name', () => {
    const ids = catalogue.processes.map((p) => p.id).sort();
    expect(ids).toEqual([...REQUIRED_PROCESSES].sort());
    for (const p of catalogue.processes) {
      expect(p.file).toBe(`${p.id}.bpmn`);
      expect(p.name, p.id).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('every BPMN and DMN parses without warnings; every form is JSON', () => {
    for (const p of catalogue.processes) expect(p.parseWarnings, p.file).toEqual([]);
    for (const d of catalogue.decisions) expect(d.parseWarnings, d.file).toEqual([]);
    for (const f of catalogue.forms) expect(f.parseError, f.file).toBeUndefined();
  });

  it('targets Camunda 8.8 (modeler:executionPlatform)', () => {
    for (const p of catalogue.processes) {
      expect(p.executionPlatform, p.file).toBe('Camunda Cloud');
      expect(p.executionPlatformVersion, p.file).toMatch(/^8\.8\./);
    }
  });

  it('every flow element has a shape or edge in the diagram, so Modeler shows all of it', () => {
    for (const p of catalogue.processes) {
      const missing = p.elements.filter((e) => !p.diagramElementIds.has(e.id)).map((e) => e.id);
      expect(missing, p.file).toEqual([]);
      // a collapsed sub-process's content belongs on its own drill-down plane, not drawn over the process
      expect(p.misplacedDiagramElementIds, p.file).toEqual([]);
    }
  });
});

// The conventions that one diagram can show (a user task links a form and has candidate groups that evaluate to a
// list, messages have correlation keys, timers a definition, job types are yunfu.<verb>-<noun>, business rule
// tasks a result variable, documentation cites real clause IDs) are bpmnlint rules of bpmnlint-plugin-yunfu/,
// proved on fixtures by lint-rules.test.ts; here they run over every model. What needs other files stays below.
describe.each(bpmnFiles)('%s under Camunda Modeler rules', (file) => {
  it('has zero bpmnlint errors (recommended + camunda-compat 8.8 + yunfu)', async () => {
    const report = await lintBpmnFile(join(PROCESSES_DIR, file));
    expect(report.errors.map((e) => `${e.id}: ${e.message} (${e.rule})`)).toEqual([]);
  });
});

/** The group ids a candidateGroups value names: a static list, or the string literals of a FEEL expression
 * (a literal ending in '-' is a prefix such as "unit-" + unitId, documented as `unit-<unitId>`). */
function groupsNamed(candidateGroups: string | undefined): string[] {
  if (!candidateGroups) return [];
  if (!candidateGroups.startsWith('=')) return candidateGroups.split(',').map((g) => g.trim());
  return [...candidateGroups.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((g) => !g.endsWith('-'));
}

describe('links between resources', () => {
  it('every form a user task links exists', () => {
    const formIds = new Set(catalogue.forms.map((f) => f.id));
    for (const p of catalogue.processes) {
      for (const t of p.userTasks) {
        expect(formIds.has(t.formId), `${p.id}/${t.id} links form '${t.formId}' which exists`).toBe(true);
      }
    }
  });

  it('every form is used, its id is its file name, and every field is labelled', () => {
    const used = new Set(catalogue.processes.flatMap((p) => p.userTasks.map((t) => t.formId)));
    for (const f of catalogue.forms) {
      expect(f.file).toBe(`${f.id}.form`);
      expect(used.has(f.id), `${f.file} is linked by a user task`).toBe(true);
      expect(f.unlabelledKeys, f.file).toEqual([]);
    }
  });

  it('every call activity calls a process that exists', () => {
    const ids = new Set(catalogue.processes.map((p) => p.id));
    for (const p of catalogue.processes) {
      for (const c of p.calledProcesses)
        expect(ids.has(c.processId ?? ''), `${p.id}/${c.elementId} → ${c.processId}`).toBe(true);
    }
  });

  it('every business rule task calls a decision that exists', () => {
    const ids = new Set(catalogue.decisions.flatMap((d) => d.ids));
    for (const p of catalogue.processes) {
      for (const d of p.calledDecisions) {
        expect(ids.has(d.decisionId ?? ''), `${p.id}/${d.elementId} → ${d.decisionId}`).toBe(true);
      }
    }
  });

  it('every job type is listed in docs/process-contract.md', () => {
    for (const p of catalogue.processes) {
      for (const t of p.jobTasks) {
        expect(contract, `${t.jobType} (${p.id}/${t.id}) in the contract`).toContain(`\`${t.jobType}\``);
      }
    }
  });

  it('every message name and candidate group used is listed in docs/process-contract.md', () => {
    for (const p of catalogue.processes) {
      for (const m of p.messages) expect(contract, `${m.name} in the contract`).toContain(`\`${m.name}\``);
      for (const t of p.userTasks) {
        for (const g of groupsNamed(t.candidateGroups)) {
          expect(contract, `group ${g} of ${p.id}/${t.id} in the contract`).toContain(`\`${g}\``);
        }
      }
    }
  });

  it('the notification templates in the contract are exactly those the models use', () => {
    const used = new Set(
      catalogue.processes.flatMap((p) =>
        p.jobTasks
          .filter((t) => t.jobType === 'yunfu.send-notification')
          .map((t) => t.headers.template ?? ''),
      ),
    );
    expect(used.has(''), 'every notification task names a template').toBe(false);
    const section = contract.slice(contract.indexOf('### `yunfu.send-notification` templates'));
    const listed = new Set(
      [...section.slice(0, section.indexOf('A test keeps')).matchAll(/`([a-z-]+)`/g)].map((m) => m[1]),
    );
    expect([...used].sort()).toEqual([...listed].sort());
  });

  it('every task header value that selects behaviour is listed in the contract', () => {
    const selecting: Record<string, string[]> = {
      'yunfu.record-filing': ['filingKind', 'filedWith'],
      'yunfu.close-project': ['stage'],
      'yunfu.set-project-stage': ['stage'],
      'yunfu.compute-due-date': ['resultVariable'],
    };
    for (const p of catalogue.processes) {
      for (const t of p.jobTasks) {
        for (const header of selecting[t.jobType ?? ''] ?? []) {
          const value = t.headers[header];
          if (header === 'filedWith' && value === undefined) continue; // optional
          if (header === 'resultVariable' && value === `${t.headers.deadline}Due`) continue; // the <name>Due rule
          expect(value, `${p.id}/${t.id} has header ${header}`).toBeTruthy();
          expect(contract, `${header}=${value} of ${p.id}/${t.id}`).toContain(`\`${value}\``);
        }
      }
    }
  });

  it('every deadline a model computes exists in config/deadlines.json', () => {
    const deadlines = JSON.parse(readFileSync(join(PROCESSES_DIR, '../config/deadlines.json'), 'utf8'));
    for (const p of catalogue.processes) {
      for (const t of p.jobTasks.filter((j) => j.jobType === 'yunfu.compute-due-date')) {
        expect(Object.keys(deadlines), `${p.id}/${t.id}`).toContain(t.headers.deadline);
      }
    }
  });
});

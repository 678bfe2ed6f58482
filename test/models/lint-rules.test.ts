// The process conventions are bpmnlint rules (bpmnlint-plugin-yunfu/, `plugin:yunfu/recommended` in .bpmnlintrc),
// so a process owner sees them in Camunda Modeler and in `npm run lint:bpmn`. Each rule passes a diagram that keeps
// the convention and reports the element of one that breaks it (test/fixtures/lint/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESSES_DIR } from '../../src/modeling/catalogue.ts';
import { lintBpmnFile } from '../../src/modeling/lint.ts';

const ROOT = join(PROCESSES_DIR, '..');
const FIXTURES = join(import.meta.dirname, '../fixtures/lint');
const plugin = (await import(join(ROOT, 'bpmnlint-plugin-yunfu/index.js'))).default as {
  configs: { recommended: { rules: Record<string, string> } };
};

/** Each rule, and the element its fixture breaks it on. */
const BROKEN: Record<string, string[]> = {
  'user-task-form': ['Task_NoForm'],
  'candidate-groups': ['Task_StringGroup'],
  'message-correlation': ['Message_NoKey'],
  'timer-definition': ['Event_Never'],
  'job-type': ['Task_BadType'],
  'decision-result': ['Task_NoResult'],
  'known-clause-ids': ['Task_BadClause'],
  'inclusive-join-escape': ['Boundary_Escape', 'Flow_Away'],
};

const yunfuProblems = async (file: string) =>
  (await lintBpmnFile(join(FIXTURES, file))).errors.filter((e) => e.rule.startsWith('yunfu/'));

describe('plugin:yunfu/recommended', () => {
  it('is what .bpmnlintrc extends, next to bpmnlint:recommended and camunda-compat 8.8', () => {
    const rc = JSON.parse(readFileSync(join(ROOT, '.bpmnlintrc'), 'utf8'));
    expect(rc.extends).toEqual([
      'bpmnlint:recommended',
      'plugin:camunda-compat/camunda-cloud-8-8',
      'plugin:yunfu/recommended',
    ]);
  });

  it('has a fixture per rule, every rule an error', () => {
    expect(Object.keys(plugin.configs.recommended.rules).sort()).toEqual(Object.keys(BROKEN).sort());
    expect(new Set(Object.values(plugin.configs.recommended.rules))).toEqual(new Set(['error']));
  });

  it('passes a diagram that keeps every convention', async () => {
    expect(await yunfuProblems('valid.bpmn')).toEqual([]);
  });

  it.each(Object.entries(BROKEN))('yunfu/%s reports the element that breaks it', async (rule, ids) => {
    const problems = await yunfuProblems(`${rule}.bpmn`);
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems.map((p) => p.rule))).toEqual(new Set([`yunfu/${rule}`]));
    expect([...new Set(problems.map((p) => p.id))]).toEqual(ids);
  });

  it('knows exactly the clause IDs of docs/regulation/clauses.md', () => {
    const clauses = readFileSync(join(ROOT, 'docs/regulation/clauses.md'), 'utf8');
    const ids = [...clauses.matchAll(/^\| ((?:G|P|PUB|PRO|EMG|PC|IM|AC|SV|SU)-\d+) \|/gm)].map((m) => m[1]);
    const known = JSON.parse(readFileSync(join(ROOT, 'bpmnlint-plugin-yunfu/lib/clause-ids.json'), 'utf8'));
    expect(known).toEqual(ids);
  });
});

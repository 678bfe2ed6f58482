// The project's real diagrams, decisions and forms deploy on the engine as they are.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openEngine, type TestEngine } from './helpers.ts';

const DIR = join(import.meta.dirname, '..', '..', 'processes');
const resources = readdirSync(DIR)
  .filter((f) => /\.(bpmn|dmn|form)$/.test(f))
  .sort()
  .map((name) => ({ name, content: readFileSync(join(DIR, name), 'utf8') }));

describe('processes/', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
  });
  afterEach(() => t.close());

  test.skipIf(resources.length === 0)('every resource deploys in one deployment', async () => {
    // when
    const result = await t.engine.deploy(resources);
    // then
    const processes = result.deployments.filter((d) => 'processDefinition' in d);
    const bpmnFiles = resources.filter((r) => r.name.endsWith('.bpmn'));
    expect(processes.length).toBeGreaterThanOrEqual(bpmnFiles.length);
    expect(result.deployments.filter((d) => 'form' in d)).toHaveLength(
      resources.filter((r) => r.name.endsWith('.form')).length,
    );
  });

  test.skipIf(resources.length === 0)(
    'each BPMN file deploys on its own (with the decisions and forms it links)',
    async () => {
      const shared = resources.filter((r) => !r.name.endsWith('.bpmn'));
      await t.engine.deploy(shared);
      for (const r of resources.filter((x) => x.name.endsWith('.bpmn'))) {
        await expect(t.engine.deploy([r]), r.name).resolves.toBeDefined();
      }
    },
  );
});

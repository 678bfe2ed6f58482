// Engine state schema version 6 (issue 15 §1): an index of element instances by process definition, so that a
// definition's element-instance counts (POST /v2/process-definitions/{key}/statistics/element-instances) read
// that definition's rows only. A version 5 file upgrades when the engine opens it and keeps its counts.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFINITION_COUNTS_SQL, definitionElementStatistics } from '../../src/engine/read/statistics.ts';
import { SCHEMA_VERSION } from '../../src/engine/state/schema.ts';
import { openEngine, type TestEngine } from './helpers.ts';
import { userTaskProcess } from './rest-server.ts';

let t: TestEngine | undefined;
afterEach(() => t?.close());

describe('engine state schema version 6', () => {
  it('upgrades a version 5 file: the index is created and the counts are the same', async () => {
    t = await openEngine();
    const deployed = await t.engine.deploy([{ name: 'v6.bpmn', content: userTaskProcess('v6', 'finance') }]);
    const [first] = deployed.deployments;
    const key = Number(
      first && 'processDefinition' in first ? first.processDefinition.processDefinitionKey : 0,
    );
    for (let i = 0; i < 3; i++) t.engine.createProcessInstance({ processDefinitionId: 'v6', variables: {} });
    const [task] = t.engine.searchUserTasks({ filter: { state: 'CREATED' } }).items;
    t.engine.completeUserTask(task!.userTaskKey);
    const before = t.engine.read((it) => definitionElementStatistics(it, key));
    expect(before.find((s) => s.elementId === 'task')).toMatchObject({ active: 2, completed: 1 });
    t.engine.close();

    // the version 5 file: without version 6's index (nor version 7's batch operations, nor version 8's signal
    // subscriptions, deployment contents and decision version tags, nor version 9's listener event type of jobs, nor version 10's decision instances and correlations)
    const old = new Database(t.file);
    expect(old.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    old.exec(
      'DROP INDEX element_instances_definition; DROP TABLE batch_operation_items; DROP TABLE batch_operations; ' +
        'DROP TABLE signal_subscriptions; DROP TABLE deployment_contents; DROP TABLE decision_version_tags; ' +
        'ALTER TABLE jobs DROP COLUMN listener_event_type; DROP TABLE decision_instances; ' +
        'DROP TABLE correlated_message_subscriptions; DROP INDEX process_instances_definition; ' +
        'ALTER TABLE process_definitions DROP COLUMN deleted; ALTER TABLE decision_requirements DROP COLUMN deleted; ' +
        'ALTER TABLE decision_definitions DROP COLUMN deleted; ALTER TABLE forms DROP COLUMN deleted; ' +
        'DROP TABLE compensation_subscriptions; DROP INDEX process_instances_root_ended; ' +
        'DROP INDEX message_correlations_process;',
    );
    old.pragma('user_version = 5');
    old.close();

    const engine = await t.reopen();
    const upgraded = new Database(t.file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const plan = upgraded.prepare(`EXPLAIN QUERY PLAN ${DEFINITION_COUNTS_SQL}`).all(key) as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('element_instances_definition');
    upgraded.close();
    expect(engine.read((it) => definitionElementStatistics(it, key))).toEqual(before);
  });
});

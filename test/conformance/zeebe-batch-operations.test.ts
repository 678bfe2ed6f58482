// Camunda 8.8's batch operations on process instances, created from a process-instance filter and followed
// through their status and items (issue #15 §1):
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instances-batch-operation/
// ("Since only ACTIVE root instances can be cancelled, any given filters for state and parentProcessInstanceKey are
// ignored and overridden"), …/resolve-incidents-batch-operation/, …/get-batch-operation/,
// …/search-batch-operations/, …/search-batch-operation-items/, …/suspend-batch-operation/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k, sequenceProcess } from './fidelity.ts';
import { startTarget, statusOf, type Target } from './target.ts';

let t: Target;
const TYPE = 'fid-batch-work';

beforeAll(async () => {
  t = await startTarget();
  const work = `<bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${TYPE}" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>`;
  await t.client.createDeployment({
    resources: [
      bpmnFile(
        'fid-batch.bpmn',
        definitions('defs-fid-batch', sequenceProcess('fid-batch', [['work', work]])),
      ),
    ],
  });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

async function start(group: string): Promise<string> {
  const created = await t.client.createProcessInstance({
    processDefinitionId: 'fid-batch',
    variables: { group },
  });
  return String(created.processInstanceKey);
}

async function stateOf(pik: string): Promise<string> {
  return String((await t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistent())).state);
}

/** The batch, once it has applied every item. */
async function finished(key: string) {
  return t.client.getBatchOperation(
    { batchOperationKey: k(key) },
    {
      consistency: {
        waitUpToMs: 30_000,
        pollIntervalMs: 50,
        predicate: (b: { state?: string }) => b.state === 'COMPLETED' || b.state === 'PARTIALLY_COMPLETED',
      },
    },
  );
}

const byGroup = (group: string) => ({
  processDefinitionId: 'fid-batch',
  variables: [{ name: 'group', value: JSON.stringify(group) }],
});

describe('batch cancellation', () => {
  it('cancels exactly the ACTIVE instances the filter matches, item by item, and reports each', async () => {
    const a = [await start('a'), await start('a'), await start('a')];
    const b = await start('b');
    const created = await t.client.cancelProcessInstancesBatchOperation(
      // the filter's state is overridden: only ACTIVE root instances are canceled
      { filter: { ...byGroup('a'), state: 'COMPLETED' } as never },
      consistent(),
    );
    expect(created.batchOperationType).toBe('CANCEL_PROCESS_INSTANCE');
    const batch = await finished(String(created.batchOperationKey));
    expect(batch).toMatchObject({
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      state: 'COMPLETED',
      operationsTotalCount: 3,
      operationsCompletedCount: 3,
      operationsFailedCount: 0,
    });
    expect(batch.endDate).toBeTruthy();
    for (const pik of a) expect(await stateOf(pik)).toBe('TERMINATED');
    expect(await stateOf(b)).toBe('ACTIVE');

    const items = await t.client.searchBatchOperationItems(
      { filter: { batchOperationKey: created.batchOperationKey as never } },
      consistent((r) => r.items.length === 3),
    );
    expect((items.items ?? []).map((i) => String(i.processInstanceKey)).sort()).toEqual([...a].sort());
    expect(
      (items.items ?? []).every(
        (i) => i.state === 'COMPLETED' && i.operationType === 'CANCEL_PROCESS_INSTANCE',
      ),
    ).toBe(true);

    const found = await t.client.searchBatchOperations(
      { filter: { batchOperationKey: created.batchOperationKey as never } },
      consistent((r) => r.items.length === 1),
    );
    expect(found.items?.[0]).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 3 });
    await t.client.cancelProcessInstance({ processInstanceKey: k(b) });
  });

  it('a filter that matches nothing makes an empty batch that is completed at once', async () => {
    const created = await t.client.cancelProcessInstancesBatchOperation(
      { filter: byGroup('none') as never },
      consistent(),
    );
    const batch = await finished(String(created.batchOperationKey));
    expect(batch).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 0 });
  });

  it('a finished batch cannot be suspended, resumed or canceled; an unknown one is 404', async () => {
    const created = await t.client.cancelProcessInstancesBatchOperation(
      { filter: byGroup('none') as never },
      consistent(),
    );
    const key = String(created.batchOperationKey);
    await finished(key);
    for (const call of [
      t.client.suspendBatchOperation({ batchOperationKey: k(key) }, consistent()),
      t.client.resumeBatchOperation({ batchOperationKey: k(key) }, consistent()),
      t.client.cancelBatchOperation({ batchOperationKey: k(key) }, consistent()),
    ]) {
      // refused as the batch's state does not allow it: neither applied (ok) nor an unknown route (404)
      expect([400, 409]).toContain(await statusOf(call));
    }
    expect(
      await statusOf(t.client.getBatchOperation({ batchOperationKey: k('2251799813999999') }, consistent())),
    ).toBe(404);
  });

  it('refuses an unknown filter field with 400 (raw HTTP: the client checks first)', async () => {
    const res = await t.raw('/process-instances/cancellation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { colour: 'red' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('colour');
  });
});

describe('batch incident resolution', () => {
  it("resolves the incidents of the matching instances; a job incident's job gets a retry and runs again", async () => {
    const pik = await start('incident');
    // the job fails with no retries left: an incident
    let jobKey: string | undefined;
    for (let round = 0; round < 50 && !jobKey; round++) {
      const { jobs } = await t.client.activateJobs({
        type: TYPE,
        timeout: 60_000,
        maxJobsToActivate: 10,
        requestTimeout: 2_000,
      });
      for (const j of jobs) {
        await t.client.failJob({ jobKey: j.jobKey, retries: 0, errorMessage: 'service down' });
        if (String(j.processInstanceKey) === pik) jobKey = String(j.jobKey);
      }
    }
    expect(jobKey).toBeTruthy();
    const incidents = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
      consistent((r) => r.items.length === 1),
    );
    expect(incidents.items).toHaveLength(1);

    const created = await t.client.resolveIncidentsBatchOperation(
      { filter: byGroup('incident') as never },
      consistent(),
    );
    expect(created.batchOperationType).toBe('RESOLVE_INCIDENT');
    const batch = await finished(String(created.batchOperationKey));
    expect(batch).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 1, operationsCompletedCount: 1 });
    const items = await t.client.searchBatchOperationItems(
      { filter: { batchOperationKey: created.batchOperationKey as never } },
      consistent((r) => r.items.length === 1),
    );
    expect(String(items.items?.[0]?.itemKey)).toBe(String(incidents.items?.[0]?.incidentKey));
    const after = await t.client.searchIncidents(
      { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
      consistent((r) => r.items.length === 0),
    );
    expect(after.items).toHaveLength(0);
    // the job can be worked again and the instance completes
    let done = false;
    for (let round = 0; round < 50 && !done; round++) {
      const { jobs } = await t.client.activateJobs({
        type: TYPE,
        timeout: 60_000,
        maxJobsToActivate: 10,
        requestTimeout: 2_000,
      });
      for (const j of jobs) {
        await t.client.completeJob({ jobKey: j.jobKey });
        if (String(j.processInstanceKey) === pik) done = true;
      }
    }
    expect(done).toBe(true);
    expect(await stateOf(pik)).toBe('COMPLETED');
  });
});

describe('batch migration and modification', () => {
  const moveModel = (version: string) =>
    definitions(
      `defs-fid-batch-move-${version}`,
      sequenceProcess('fid-batch-move', [
        [
          'taskA',
          `<bpmn:serviceTask id="taskA" name="A ${version}"><bpmn:extensionElements><zeebe:taskDefinition type="fid-batch-a" /></bpmn:extensionElements></bpmn:serviceTask>`,
        ],
        [
          'taskB',
          `<bpmn:serviceTask id="taskB"><bpmn:extensionElements><zeebe:taskDefinition type="fid-batch-b" /></bpmn:extensionElements></bpmn:serviceTask>`,
        ],
      ]),
    );
  const startMove = async (group: string) =>
    String(
      (await t.client.createProcessInstance({ processDefinitionId: 'fid-batch-move', variables: { group } }))
        .processInstanceKey,
    );
  const activeElements = async (pik: string) =>
    (
      await t.client.searchElementInstances(
        { filter: { processInstanceKey: k(pik), state: 'ACTIVE' } },
        consistent(),
      )
    ).items
      ?.map((e) => e.elementId)
      .filter((id) => id !== 'fid-batch-move');

  beforeAll(async () => {
    await t.client.createDeployment({ resources: [bpmnFile('fid-batch-move.bpmn', moveModel('v1'))] });
  });

  it('moves every matching instance from taskA to taskB (the move instructions of …/modify-process-instances-batch-operation/)', async () => {
    const moved = [await startMove('move'), await startMove('move')];
    const stays = await startMove('stay');
    const created = await t.client.modifyProcessInstancesBatchOperation(
      {
        filter: {
          processDefinitionId: 'fid-batch-move',
          variables: [{ name: 'group', value: '"move"' }],
        } as never,
        moveInstructions: [{ sourceElementId: 'taskA' as never, targetElementId: 'taskB' as never }],
      },
      consistent(),
    );
    expect(created.batchOperationType).toBe('MODIFY_PROCESS_INSTANCE');
    const batch = await finished(String(created.batchOperationKey));
    expect(batch).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 2, operationsCompletedCount: 2 });
    for (const pik of moved) expect(await activeElements(pik)).toEqual(['taskB']);
    expect(await activeElements(stays)).toEqual(['taskA']);
  });

  it('migrates every matching instance to the new version (…/migrate-process-instances-batch-operation/)', async () => {
    const [a, b] = [await startMove('migrate'), await startMove('migrate')];
    const deployed = await t.client.createDeployment({
      resources: [bpmnFile('fid-batch-move.bpmn', moveModel('v2'))],
    });
    const target = String(deployed.processes?.[0]?.processDefinitionKey);
    const created = await t.client.migrateProcessInstancesBatchOperation(
      {
        filter: {
          processDefinitionId: 'fid-batch-move',
          variables: [{ name: 'group', value: '"migrate"' }],
        } as never,
        migrationPlan: {
          targetProcessDefinitionKey: k(target),
          mappingInstructions: [{ sourceElementId: 'taskA' as never, targetElementId: 'taskA' as never }],
        },
      },
      consistent(),
    );
    expect(created.batchOperationType).toBe('MIGRATE_PROCESS_INSTANCE');
    const batch = await finished(String(created.batchOperationKey));
    expect(batch).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 2, operationsCompletedCount: 2 });
    for (const pik of [a, b]) {
      const got = await t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistent());
      expect(String(got.processDefinitionKey)).toBe(target);
      expect(got.processDefinitionVersion).toBe(2);
    }
  });

  it('an instance without the source element is a FAILED item; a move without instructions is 400', async () => {
    const moved = await startMove('twice');
    const move = () =>
      t.client.modifyProcessInstancesBatchOperation(
        {
          filter: {
            processDefinitionId: 'fid-batch-move',
            variables: [{ name: 'group', value: '"twice"' }],
          } as never,
          moveInstructions: [{ sourceElementId: 'taskA' as never, targetElementId: 'taskB' as never }],
        },
        consistent(),
      );
    await finished(String((await move()).batchOperationKey));
    const again = await finished(String((await move()).batchOperationKey));
    expect(again).toMatchObject({ state: 'PARTIALLY_COMPLETED', operationsFailedCount: 1 });
    expect(await activeElements(moved)).toEqual(['taskB']);
    const res = await t.raw('/process-instances/modification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { processDefinitionId: 'fid-batch-move' }, moveInstructions: [] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('moveInstructions');
  });
});

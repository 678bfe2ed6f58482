// Zeebe fidelity (issue #14 §1.2): a multi-instance output element is local to each inner instance.
// Camunda 8.8, https://docs.camunda.io/docs/components/modeler/bpmn/multi-instance/#collecting-the-output —
// the output collection holds each inner instance's output element, in the order of the input collection;
// Zeebe creates the output element's variable on the inner instance (camunda/zeebe#9947), so it neither
// leaks to the parent scope nor is overwritten by a parallel sibling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmnFile, consistent, definitions, k } from './fidelity.ts';
import { startTarget, type Target } from './target.ts';

let t: Target;

const task = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;

// per item: `compute` sets result, then `publish` waits; the body collects =result into results
const MODEL = definitions(
  'defs-fid-mi',
  `<bpmn:process id="fid-mi" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:subProcess id="perItem">
    <bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result" />
      </bpmn:extensionElements>
    </bpmn:multiInstanceLoopCharacteristics>
    <bpmn:startEvent id="innerStart" />
    ${task('compute', 'fid-mi-compute')}
    ${task('publish', 'fid-mi-publish')}
    <bpmn:endEvent id="innerEnd" />
    <bpmn:sequenceFlow id="i0" sourceRef="innerStart" targetRef="compute" />
    <bpmn:sequenceFlow id="i1" sourceRef="compute" targetRef="publish" />
    <bpmn:sequenceFlow id="i2" sourceRef="publish" targetRef="innerEnd" />
  </bpmn:subProcess>
  ${task('after', 'fid-mi-after')}
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="perItem" />
  <bpmn:sequenceFlow id="f1" sourceRef="perItem" targetRef="after" />
  <bpmn:sequenceFlow id="f2" sourceRef="after" targetRef="end" />
</bpmn:process>`,
);

beforeAll(async () => {
  t = await startTarget();
  await t.client.createDeployment({ resources: [bpmnFile('fid-mi.bpmn', MODEL)] });
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Activates the jobs of a type for the instance until `count` are in hand. */
async function take(type: string, pik: string, count: number) {
  const mine: Array<{ jobKey: string; variables: Record<string, unknown> }> = [];
  for (let round = 0; mine.length < count && round < 50; round++) {
    const { jobs } = await t.client.activateJobs({
      type,
      timeout: 60_000,
      maxJobsToActivate: 10,
      requestTimeout: 2_000,
    });
    for (const j of jobs) {
      if (String(j.processInstanceKey) === pik) mine.push(j as never);
      else await t.client.failJob({ jobKey: j.jobKey, retries: j.retries });
    }
  }
  return mine;
}

describe('multi-instance output element', () => {
  it('parallel inner instances that interleave collect [10, 20] in input order, and `result` stays out of the parent', async () => {
    const created = await t.client.createProcessInstance({
      processDefinitionId: 'fid-mi',
      variables: { items: [1, 2] },
    });
    const pik = String(created.processInstanceKey);
    // both inner instances compute before either publishes, the second item first
    const computes = await take('fid-mi-compute', pik, 2);
    expect(computes).toHaveLength(2);
    for (const job of [...computes].sort((a, b) => Number(b.variables.item) - Number(a.variables.item))) {
      await t.client.completeJob({
        jobKey: job.jobKey,
        variables: { result: Number(job.variables.item) * 10 },
      });
    }
    const publishes = await take('fid-mi-publish', pik, 2);
    expect(publishes).toHaveLength(2);
    for (const job of publishes) await t.client.completeJob({ jobKey: job.jobKey });
    // then: the body handed its collection to the process, and `result` was never a process variable
    const [after] = await take('fid-mi-after', pik, 1);
    expect(after?.variables.results).toEqual([10, 20]);
    expect(after?.variables).not.toHaveProperty('result');
    const vars = await t.client.searchVariables(
      { filter: { processInstanceKey: k(pik), scopeKey: k(pik) }, sort: [{ field: 'name' }] },
      consistent((x) => x.items.some((v: { name: string }) => v.name === 'results')),
    );
    expect(vars.items.map((v) => v.name)).toEqual(['items', 'results']);
    await t.client.completeJob({ jobKey: (after as { jobKey: string }).jobKey });
  });
});

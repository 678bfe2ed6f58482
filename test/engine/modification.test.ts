// Process instance modification over /v2 with the official client (strict validation): Camunda 8.8's
// POST /v2/process-instances/{processInstanceKey}/modification
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/modify-process-instance/)
// with Zeebe's semantics (ProcessInstanceModificationModifyProcessor, ElementActivationBehavior): activation
// creates the flow scope instances it needs, terminating the last element of a scope terminates the scope (up to
// the process instance), incidents of terminated elements are resolved, refusals carry Zeebe's reasons, and either
// every instruction applies or none does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistent, definitions, k, sequenceProcess } from '../conformance/fidelity.ts';
import { type ChangeServer, refusal, startChangeServer } from './instance-change-server.ts';

let s: ChangeServer;

const userTask = (id: string) =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;

// start → review (timer boundary "late") → sub [subStart → fix → subEnd] → perUnit (multi-instance) → check → end
const MODEL = definitions(
  'defs-mod-main',
  `<bpmn:process id="mod-main" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${userTask('review')}
  <bpmn:boundaryEvent id="late" attachedToRef="review">
    <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
  </bpmn:boundaryEvent>
  <bpmn:endEvent id="lateEnd" />
  <bpmn:subProcess id="sub">
    <bpmn:startEvent id="subStart" />
    ${userTask('fix')}
    <bpmn:endEvent id="subEnd" />
    <bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="fix" />
    <bpmn:sequenceFlow id="s2" sourceRef="fix" targetRef="subEnd" />
  </bpmn:subProcess>
  <bpmn:subProcess id="perUnit">
    <bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=units" inputElement="unit" /></bpmn:extensionElements>
    </bpmn:multiInstanceLoopCharacteristics>
    <bpmn:startEvent id="unitStart" />
    ${userTask('unitTask')}
    <bpmn:endEvent id="unitEnd" />
    <bpmn:sequenceFlow id="u1" sourceRef="unitStart" targetRef="unitTask" />
    <bpmn:sequenceFlow id="u2" sourceRef="unitTask" targetRef="unitEnd" />
  </bpmn:subProcess>
  <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="mod.check" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="review" />
  <bpmn:sequenceFlow id="f1" sourceRef="review" targetRef="sub" />
  <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="perUnit" />
  <bpmn:sequenceFlow id="f3" sourceRef="perUnit" targetRef="check" />
  <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="end" />
  <bpmn:sequenceFlow id="f5" sourceRef="late" targetRef="lateEnd" />
</bpmn:process>`,
);

const CHILD = definitions(
  'defs-mod-child',
  sequenceProcess('mod-child', [['childTask', userTask('childTask')]]),
);
const PARENT = definitions(
  'defs-mod-parent',
  sequenceProcess('mod-parent', [
    [
      'call',
      '<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="mod-child" /></bpmn:extensionElements></bpmn:callActivity>',
    ],
  ]),
);

// start → gateway (event-based) → a timer or a message
const EBG = definitions(
  'defs-mod-ebg',
  `<bpmn:process id="mod-ebg" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:eventBasedGateway id="gw" />
  <bpmn:intermediateCatchEvent id="waitTimer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="waitMessage"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="e0" sourceRef="start" targetRef="gw" />
  <bpmn:sequenceFlow id="e1" sourceRef="gw" targetRef="waitTimer" />
  <bpmn:sequenceFlow id="e2" sourceRef="gw" targetRef="waitMessage" />
  <bpmn:sequenceFlow id="e3" sourceRef="waitTimer" targetRef="end" />
  <bpmn:sequenceFlow id="e4" sourceRef="waitMessage" targetRef="end" />
</bpmn:process>
<bpmn:message id="m" name="mod-go"><bpmn:extensionElements><zeebe:subscription correlationKey="=&quot;k&quot;" /></bpmn:extensionElements></bpmn:message>`,
);

beforeAll(async () => {
  s = await startChangeServer();
  await s.deploy('mod-main.bpmn', MODEL);
  await s.deploy('mod-child.bpmn', CHILD);
  await s.deploy('mod-parent.bpmn', PARENT);
  await s.deploy('mod-ebg.bpmn', EBG);
});

afterAll(async () => {
  await s?.close();
});

async function start(): Promise<string> {
  const created = await s.client.createProcessInstance({
    processDefinitionId: 'mod-main',
    variables: { units: [] },
  });
  return String(created.processInstanceKey);
}

async function elementsOf(pi: string, elementId: string, state = 'ACTIVE') {
  const r = await s.client.searchElementInstances(
    {
      filter: { processInstanceKey: k(pi), elementId: k(elementId), state: state as never },
    },
    consistent(),
  );
  return (r.items ?? []).map((e) => String(e.elementInstanceKey));
}

async function openTasks(pi: string) {
  const r = await s.client.searchUserTasks(
    { filter: { processInstanceKey: k(pi), state: 'CREATED' } },
    consistent(),
  );
  return r.items;
}

async function instanceState(pi: string) {
  return (await s.client.getProcessInstance({ processInstanceKey: k(pi) }, consistent())).state;
}

describe('activate and terminate', () => {
  it('activates a task inside a sub-process (creating its instance) and terminates another, with variables; the task is found, completed and the instance runs on', async () => {
    const pi = await start();
    const [review] = await elementsOf(pi, 'review');
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [
        {
          elementId: 'fix',
          variableInstructions: [
            { variables: { reason: 're-check' } },
            { scopeId: 'sub', variables: { round: 2 } },
          ],
        },
      ],
      terminateInstructions: [{ elementInstanceKey: k(review!) }],
      operationReference: 42,
    });
    const tasks = await openTasks(pi);
    expect(tasks.map((t) => t.elementId)).toEqual(['fix']);
    const [sub] = await elementsOf(pi, 'sub');
    expect(sub).toBeDefined();
    expect(await elementsOf(pi, 'review', 'TERMINATED')).toEqual([review]);
    const vars = await s.client.searchVariables({ filter: { processInstanceKey: k(pi) } }, consistent());
    const scopeOf = (name: string) => String(vars.items.find((v) => v.name === name)?.scopeKey);
    expect(scopeOf('reason')).toBe(pi);
    expect(scopeOf('round')).toBe(sub);

    await s.client.completeUserTask({ userTaskKey: tasks[0]!.userTaskKey });
    const { jobs } = await s.client.activateJobs({
      type: 'mod.check',
      timeout: 10_000,
      maxJobsToActivate: 1,
    });
    expect(jobs.map((j) => String(j.processInstanceKey))).toEqual([pi]);
    await s.client.completeJob({ jobKey: jobs[0]!.jobKey });
    expect(await instanceState(pi)).toBe('COMPLETED');

    // the modification is in the engine's record stream, with the flow scopes the activation used
    const modified = s.engine
      .records({ processInstanceKey: pi })
      .filter((r) => r.valueType === 'PROCESS_INSTANCE_MODIFICATION');
    expect(modified).toHaveLength(1);
    expect(modified[0]!.intent).toBe('MODIFIED');
    expect(modified[0]!.value).toMatchObject({
      operationReference: 42,
      activateInstructions: [{ elementId: 'fix', ancestorScopeKeys: [pi, sub] }],
      terminateInstructions: [{ elementInstanceKey: review }],
    });
  });

  it('terminating the last active element terminates the process instance, as Zeebe does', async () => {
    const pi = await start();
    const [review] = await elementsOf(pi, 'review');
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      terminateInstructions: [{ elementInstanceKey: k(review!) }],
    });
    expect(await instanceState(pi)).toBe('TERMINATED');
    expect(await openTasks(pi)).toEqual([]);
  });

  it('terminating the only task of a sub-process terminates the sub-process but not the instance when something else is active', async () => {
    const pi = await start();
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix' }],
    });
    const [fix] = await elementsOf(pi, 'fix');
    const [sub] = await elementsOf(pi, 'sub');
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      terminateInstructions: [{ elementInstanceKey: k(fix!) }],
    });
    expect(await elementsOf(pi, 'sub', 'TERMINATED')).toEqual([sub]);
    expect(await instanceState(pi)).toBe('ACTIVE');
    expect((await openTasks(pi)).map((t) => t.elementId)).toEqual(['review']);
  });

  it('reuses the one active flow scope instance, asks for an ancestor when there are two, and the ancestor decides', async () => {
    const pi = await start();
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix' }],
    });
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix' }],
    });
    const [first] = await elementsOf(pi, 'sub');
    expect(await elementsOf(pi, 'sub')).toHaveLength(1);
    // with the process instance as ancestor, a new sub-process instance is created
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix', ancestorElementInstanceKey: k(pi) }],
    });
    expect(await elementsOf(pi, 'sub')).toHaveLength(2);
    const refused = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [{ elementId: 'fix' }],
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.detail).toContain(
      "for an element that has a flow scope with more than one active instance: 'sub'. Can't decide in which instance of the flow scope the element should be activated",
    );
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [
        {
          elementId: 'fix',
          ancestorElementInstanceKey: k(first!),
          variableInstructions: [{ scopeId: 'sub', variables: { chosen: true } }],
        },
      ],
    });
    // the instruction's sub-process variables landed in the chosen instance
    const chosen = await s.client.searchVariables(
      { filter: { processInstanceKey: k(pi), name: 'chosen' } },
      consistent(),
    );
    expect((chosen.items ?? []).map((v) => String(v.scopeKey))).toEqual([first]);
    const fixes = await s.client.searchElementInstances(
      {
        filter: { processInstanceKey: k(pi), elementId: k('fix') },
      },
      consistent(),
    );
    const active = (fixes.items ?? [])
      .filter((e) => e.state === 'ACTIVE')
      .map((e) => String(e.elementInstanceKey));
    expect(active).toHaveLength(4);
  });

  it('resolves the incident of a terminated element', async () => {
    const pi = await start();
    const [review] = await elementsOf(pi, 'review');
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'check' }],
      terminateInstructions: [{ elementInstanceKey: k(review!) }],
    });
    const { jobs } = await s.client.activateJobs({
      type: 'mod.check',
      timeout: 10_000,
      maxJobsToActivate: 5,
    });
    const job = jobs.find((j) => String(j.processInstanceKey) === pi)!;
    await s.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'register down' });
    const open = await s.client.searchIncidents(
      { filter: { processInstanceKey: k(pi), state: 'ACTIVE' } },
      consistent(),
    );
    expect(open.items).toHaveLength(1);
    const [check] = await elementsOf(pi, 'check');
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'review' }],
      terminateInstructions: [{ elementInstanceKey: k(check!) }],
    });
    const resolved = await s.client.searchIncidents({ filter: { processInstanceKey: k(pi) } }, consistent());
    expect((resolved.items ?? []).map((i) => i.state)).toEqual(['RESOLVED']);
    expect((await openTasks(pi)).map((t) => t.elementId)).toEqual(['review']);
  });
});

describe('refusals (Zeebe’s reasons) leave the instance as it was', () => {
  const activate = (pi: string, elementId: string) =>
    refusal(
      s.client.modifyProcessInstance({ processInstanceKey: k(pi), activateInstructions: [{ elementId }] }),
    );

  it('an element that does not exist', async () => {
    const pi = await start();
    expect(await activate(pi, 'nope')).toMatchObject({
      status: 400,
      detail: expect.stringContaining(
        "Expected to modify instance of process 'mod-main' but it contains one or more activate instructions with an element that could not be found: 'nope'",
      ),
    });
  });

  it('a start event, a boundary event and a sequence flow cannot be activated', async () => {
    const pi = await start();
    for (const [id, type] of [
      ['subStart', 'START_EVENT'],
      ['late', 'BOUNDARY_EVENT'],
      ['f1', 'SEQUENCE_FLOW'],
      ['mod-main', 'PROCESS'],
    ]) {
      const r = await activate(pi, id!);
      expect(r.status).toBe(400);
      expect(r.detail).toContain(
        `for elements that are unsupported: '${id}'. The activation of elements with type '${type}' is not supported.`,
      );
    }
  });

  it('an event that belongs to an event-based gateway', async () => {
    const pi = String(
      (await s.client.createProcessInstance({ processDefinitionId: 'mod-ebg' })).processInstanceKey,
    );
    const r = await activate(pi, 'waitTimer');
    expect(r.status).toBe(400);
    expect(r.detail).toContain(
      "for elements that are unsupported: 'waitTimer'. The activation of events belonging to an event-based gateway is not supported.",
    );
  });

  it('an element inside a multi-instance sub-process (no instance to activate it in)', async () => {
    const pi = await start();
    const r = await activate(pi, 'unitTask');
    expect(r.status).toBe(400);
    expect(r.detail).toContain(
      "would result in the activation of multi-instance element 'perUnit', which is currently unsupported.",
    );
    expect(await elementsOf(pi, 'perUnit')).toEqual([]);
  });

  it('an element instance that does not exist, and a variable scope that is not a flow scope', async () => {
    const pi = await start();
    const r = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        terminateInstructions: [{ elementInstanceKey: k('2251799813999999') }],
      }),
    );
    expect(r).toMatchObject({
      status: 400,
      detail: expect.stringContaining("with an element instance that could not be found: '2251799813999999'"),
    });
    const v = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [
          { elementId: 'check', variableInstructions: [{ scopeId: 'sub', variables: { a: 1 } }] },
        ],
      }),
    );
    expect(v.status).toBe(400);
    expect(v.detail).toContain(
      "with a scope element that doesn't belong to the activating element's flow scope",
    );
  });

  it('an ancestor that is not a flow scope of the element, and an activation inside an instance being terminated', async () => {
    const pi = await start();
    const [review] = await elementsOf(pi, 'review');
    const notAncestor = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [{ elementId: 'fix', ancestorElementInstanceKey: k(review!) }],
      }),
    );
    expect(notAncestor.status).toBe(400);
    expect(notAncestor.detail).toContain(
      `with an ancestor scope key that is not an ancestor of the element to activate:\n- instance '${review}' of element 'review' is not an ancestor of element 'fix'`,
    );
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix' }],
    });
    const [sub] = await elementsOf(pi, 'sub');
    const conflict = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [{ elementId: 'fix' }],
        terminateInstructions: [{ elementInstanceKey: k(sub!) }],
      }),
    );
    expect(conflict.status).toBe(400);
    expect(conflict.detail).toContain(
      `element 'fix' requires flow scope instance '${sub}' which is being terminated`,
    );
    expect(await elementsOf(pi, 'fix')).toHaveLength(1);
  });

  it('emptying an instance started by a call activity (modify the parent instead)', async () => {
    await s.client.createProcessInstance({ processDefinitionId: 'mod-parent' });
    const children = await s.client.searchProcessInstances(
      { filter: { processDefinitionId: 'mod-child', state: 'ACTIVE' } },
      consistent(),
    );
    const child = String(children.items?.[0]?.processInstanceKey);
    const [task] = await elementsOf(child, 'childTask');
    const r = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(child),
        terminateInstructions: [{ elementInstanceKey: k(task!) }],
      }),
    );
    expect(r.status).toBe(400);
    expect(r.detail).toContain(
      "Expected to modify instance of process 'mod-child' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process.",
    );
    expect(await elementsOf(child, 'childTask')).toEqual([task]);
    expect(await instanceState(child)).toBe('ACTIVE');
  });

  it('an instance that does not exist or has ended: 404', async () => {
    expect((await activate('2251799813999998', 'review')).status).toBe(404);
    const pi = await start();
    await s.client.cancelProcessInstance({ processInstanceKey: k(pi) });
    const r = await activate(pi, 'review');
    expect(r).toMatchObject({
      status: 404,
      detail: expect.stringContaining(`no process instance found with key '${pi}'`),
    });
  });

  it('all or nothing: a valid activation is not applied when another instruction is refused', async () => {
    const pi = await start();
    const r = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [{ elementId: 'fix' }],
        terminateInstructions: [{ elementInstanceKey: k('2251799813999999') }],
      }),
    );
    expect(r.status).toBe(400);
    expect(await elementsOf(pi, 'sub')).toEqual([]);
    expect((await openTasks(pi)).map((t) => t.elementId)).toEqual(['review']);
  });

  it('all or nothing: an instruction refused while applying undoes the ones applied before it', async () => {
    const pi = await start();
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix' }],
    });
    await s.client.modifyProcessInstance({
      processInstanceKey: k(pi),
      activateInstructions: [{ elementId: 'fix', ancestorElementInstanceKey: k(pi) }],
    });
    const before = s.engine.records({ processInstanceKey: pi }).length;
    const r = await refusal(
      s.client.modifyProcessInstance({
        processInstanceKey: k(pi),
        activateInstructions: [{ elementId: 'check' }, { elementId: 'fix' }],
      }),
    );
    expect(r.status).toBe(400);
    expect(await elementsOf(pi, 'check')).toEqual([]);
    expect(
      (await s.client.searchJobs({ filter: { processInstanceKey: k(pi) } }, consistent())).items,
    ).toEqual([]);
    expect(s.engine.records({ processInstanceKey: pi })).toHaveLength(before);
  });

  it('a browser request from another site is refused (403) and changes nothing', async () => {
    const pi = await start();
    const [review] = await elementsOf(pi, 'review');
    const r = await s.raw(
      `/process-instances/${pi}/modification`,
      { terminateInstructions: [{ elementInstanceKey: review }] },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(r.status).toBe(403);
    expect(await elementsOf(pi, 'review')).toEqual([review]);
    const m = await s.raw(
      `/process-instances/${pi}/migration`,
      {
        targetProcessDefinitionKey: '1',
        mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
      },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(m.status).toBe(403);
  });

  it('a malformed body is a 400 naming the field (raw HTTP: the client checks first)', async () => {
    const pi = await start();
    const r = await s.raw(`/process-instances/${pi}/modification`, {
      activateInstructions: [{ variableInstructions: [{ scopeId: 'sub' }] }],
      terminateInstructions: [{ elementInstanceKey: 'abc' }],
    });
    expect(r.status).toBe(400);
    const detail = String(r.json.detail);
    expect(detail).toContain('activateInstructions[0].elementId');
    expect(detail).toContain('activateInstructions[0].variableInstructions[0].variables');
    expect(detail).toContain('terminateInstructions[0].elementInstanceKey');
  });
});

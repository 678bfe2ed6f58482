// Zeebe fidelity (issue #14 §2): compensation models Zeebe 8.8 refuses are refused at deploy in the words of its
// validators (BoundaryEventValidator, CompensationTaskValidator, CompensationEventDefinitionValidator,
// IntermediateThrowEventValidator, SubProcessValidator, ModelUtil), and compensation subscriptions outlive a restart
// of the embedded engine. https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/ (the referenced
// activity "must have a compensation boundary event and must be in the same scope of the compensation throw event");
// https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/ (no compensation event sub-process in 8.8).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { startEmbedded } from '../../src/engine/rest/standalone.ts';
import { chain, compensable, compensation, compensationThrow, svc } from './compensation-models.ts';
import { bpmnFile, consistent, definitions, k } from './fidelity.ts';
import { startTarget, type Target, VALIDATION } from './target.ts';

let t: Target;

beforeAll(async () => {
  t = await startTarget();
}, 600_000);

afterAll(async () => {
  await t?.close();
});

/** Deploys a one-process model and answers the refusal's status and detail. */
async function refusal(body: string): Promise<{ status: number; detail: string }> {
  const xml = definitions(
    'defs-fid-comp-bad',
    `<bpmn:process id="fid-comp-bad" isExecutable="true">${body}</bpmn:process>`,
  );
  try {
    await t.client.createDeployment({ resources: [bpmnFile('fid-comp-bad.bpmn', xml)] });
  } catch (e) {
    const { status, detail } = e as { status: number; detail: string };
    return { status, detail };
  }
  return { status: 200, detail: '' };
}

const flows = (...ids: string[]) =>
  `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('f', ['start', ...ids, 'end'])}`;

describe('compensation models Zeebe refuses', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'a compensation boundary event without an association to its handler',
      `${svc('A', 'x')}<bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>${flows('A')}`,
      ['Compensation boundary events must have a compensation association and no outgoing sequence flows'],
    ],
    [
      'a non-interrupting compensation boundary event',
      `${compensable('A', 'x').replace('attachedToRef="A"', 'attachedToRef="A" cancelActivity="false"')}${flows('A')}`,
      ['Non-Interrupting event of this type is not allowed'],
    ],
    [
      'a compensation handler on a sequence flow',
      `${compensable('A', 'x')}${flows('A', 'undo_A')}`,
      [
        'A compensation handler should have no incoming sequence flows',
        'A compensation handler should have no outgoing sequence flows',
      ],
    ],
    [
      'a business rule task as compensation handler',
      `${svc('A', 'x')}<bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:businessRuleTask id="undo_A" isForCompensation="true"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r" /></bpmn:extensionElements></bpmn:businessRuleTask>
      <bpmn:association id="as" sourceRef="A_comp" targetRef="undo_A" />${flows('A')}`,
      [
        'Compensation task must be one of: service task, user task, send task, script task, manual task, or undefined task.',
      ],
    ],
    [
      'a compensation throw event with waitForCompletion="false"',
      `${compensable('A', 'x')}<bpmn:intermediateThrowEvent id="throw"><bpmn:compensateEventDefinition waitForCompletion="false" /></bpmn:intermediateThrowEvent>${flows('A', 'throw')}`,
      ['A compensation intermediate throwing event waitForCompletion attribute must be true or not present'],
    ],
    [
      'an activityRef naming no element',
      `${compensable('A', 'x')}${compensationThrow('throw', 'Missing')}${flows('A', 'throw')}`,
      ["The referenced compensation activity 'Missing' doesn't exist"],
    ],
    [
      'an activityRef to an activity without compensation, in another scope',
      `<bpmn:subProcess id="S"><bpmn:startEvent id="ss" />${svc('B', 'x')}<bpmn:endEvent id="se" />${chain('s', ['ss', 'B', 'se'])}</bpmn:subProcess>
      ${compensationThrow('throw', 'B')}${flows('S', 'throw')}`,
      [
        "The referenced compensation activity 'B' must have either a compensation boundary event or be a subprocess",
        "The referenced compensation activity 'B' must be in the same scope as the compensation throw event",
      ],
    ],
    [
      'a compensation event sub-process on the process level',
      `<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="cs"><bpmn:compensateEventDefinition /></bpmn:startEvent><bpmn:endEvent id="ce" /><bpmn:sequenceFlow id="c0" sourceRef="cs" targetRef="ce" /></bpmn:subProcess>${flows()}`,
      [
        'Start events in event subprocesses must be one of: message, timer, error, signal or escalation',
        'A compensation event subprocess is not allowed on the process level',
      ],
    ],
  ];
  for (const [what, body, messages] of cases) {
    it(`refuses ${what} (400, Zeebe's message)`, async () => {
      const { status, detail } = await refusal(body);
      expect(status).toBe(400);
      for (const m of messages) expect(detail).toContain(m);
    });
  }

  it('accepts the same activity with its handler connected by an association', async () => {
    const { status } = await refusal(`${svc('A', 'x')}${compensation('A', 'x-undo')}${flows('A')}`);
    expect(status).toBe(200);
  });
});

describe('compensation across a restart of the embedded engine', () => {
  it.skipIf(process.env.CONFORMANCE_TARGET === 'camunda')(
    'an activity completed before the restart is compensated after it',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'yunfu-comp-restart-'));
      const open = () =>
        startEmbedded({
          dataDir: dir,
          host: '127.0.0.1',
          port: 0,
          logger: pino({ level: 'silent' }),
          processesDir: null,
        });
      const clientOf = (address: string) =>
        createLooseCamundaClient(
          { restAddress: address, auth: { strategy: 'NONE' }, tenantId: null },
          { validation: VALIDATION },
        );
      const jobOf = async (c: ReturnType<typeof clientOf>, type: string) => {
        const { jobs } = await c.activateJobs({
          type,
          timeout: 60_000,
          maxJobsToActivate: 1,
          requestTimeout: 1_000,
        });
        expect(jobs).toHaveLength(1);
        return jobs[0]!;
      };
      try {
        let server = await open();
        let client = clientOf(server.address!);
        const model = `<bpmn:process id="fid-comp-restart" isExecutable="true">${compensable('A', 'fcr-a')}${svc('W', 'fcr-w')}${compensationThrow('throw')}
          <bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('f', ['start', 'A', 'W', 'throw', 'end'])}</bpmn:process>`;
        await client.createDeployment({
          resources: [bpmnFile('fid-comp-restart.bpmn', definitions('defs-fid-comp-restart', model))],
        });
        const created = await client.createProcessInstance({ processDefinitionId: 'fid-comp-restart' });
        const pik = String(created.processInstanceKey);
        await client.completeJob({ jobKey: (await jobOf(client, 'fcr-a')).jobKey });
        await server.close();

        server = await open();
        client = clientOf(server.address!);
        await client.completeJob({ jobKey: (await jobOf(client, 'fcr-w')).jobKey });
        const undo = await jobOf(client, 'fcr-a-undo');
        expect(undo.elementId).toBe('undo_A');
        await client.completeJob({ jobKey: undo.jobKey });
        const done = await client.getProcessInstance(
          { processInstanceKey: k(pik) },
          consistent((x) => x.state === 'COMPLETED'),
        );
        expect(done.state).toBe('COMPLETED');
        await server.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

// https://docs.camunda.io/docs/components/concepts/process-instance-migration/ — Zeebe migrates a completed
// activity's compensation subscription along the mapping of its compensation boundary event
// (ProcessInstanceMigrationCatchEventBehaviour) and drops the unmapped ones.
describe('compensation subscriptions in a process instance migration', () => {
  const P = 'fid-comp-mig';
  const v1 = `<bpmn:process id="${P}" isExecutable="true">${compensable('A', 'fcmig-a')}${svc('W', 'fcmig-w')}${compensationThrow('throw')}
    <bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('f', ['start', 'A', 'W', 'throw', 'end'])}</bpmn:process>`;
  const v2 = `<bpmn:process id="${P}" isExecutable="true">${svc('A2', 'fcmig-a')}${compensation('A2', 'fcmig-undo2')}${svc('W', 'fcmig-w')}${compensationThrow('throw')}
    <bpmn:boundaryEvent id="W_timer" attachedToRef="W"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:endEvent id="late" /><bpmn:sequenceFlow id="t0" sourceRef="W_timer" targetRef="late" />
    <bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('f', ['start', 'A2', 'W', 'throw', 'end'])}</bpmn:process>`;
  let source = '';
  let target = '';

  beforeAll(async () => {
    const deploy = async (n: number, xml: string) => {
      const d = await t.client.createDeployment({
        resources: [bpmnFile(`${P}-${n}.bpmn`, definitions(`defs-${P}-${n}`, xml))],
      });
      return String(d.processes?.[0]?.processDefinitionKey);
    };
    source = await deploy(1, v1);
    target = await deploy(2, v2);
  });

  /** An instance of version 1 whose A completed; W waits. */
  async function atW(): Promise<{ pik: string; w: string }> {
    const created = await t.client.createProcessInstance({ processDefinitionKey: k(source) });
    const pik = String(created.processInstanceKey);
    const a = await t.client.activateJobs({
      type: 'fcmig-a',
      timeout: 60_000,
      maxJobsToActivate: 1,
      requestTimeout: 1_000,
    });
    await t.client.completeJob({ jobKey: a.jobs[0]!.jobKey });
    const w = await t.client.activateJobs({
      type: 'fcmig-w',
      timeout: 60_000,
      maxJobsToActivate: 1,
      requestTimeout: 1_000,
    });
    return { pik, w: String(w.jobs[0]!.jobKey) };
  }

  const migrate = (
    pik: string,
    mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>,
  ) =>
    t.client.migrateProcessInstance({
      processInstanceKey: k(pik),
      targetProcessDefinitionKey: k(target),
      mappingInstructions,
    });

  const undoJobs = async (type: string) =>
    (await t.client.activateJobs({ type, timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 500 })).jobs;

  it('a mapped compensation boundary event takes the subscription to the target activity and its handler', async () => {
    const { pik, w } = await atW();
    await migrate(pik, [
      { sourceElementId: 'W', targetElementId: 'W' },
      { sourceElementId: 'A_comp', targetElementId: 'A2_comp' },
    ]);
    await t.client.completeJob({ jobKey: w as never });
    const [undo] = await undoJobs('fcmig-undo2');
    expect(undo?.elementId).toBe('undo_A2');
    await t.client.completeJob({ jobKey: undo!.jobKey });
    const done = await t.client.getProcessInstance(
      { processInstanceKey: k(pik) },
      consistent((x) => x.state === 'COMPLETED'),
    );
    expect(done.state).toBe('COMPLETED');
  });

  it('an unmapped one is dropped: the throw event finds nothing to compensate', async () => {
    const { pik, w } = await atW();
    await migrate(pik, [{ sourceElementId: 'W', targetElementId: 'W' }]);
    await t.client.completeJob({ jobKey: w as never });
    const done = await t.client.getProcessInstance(
      { processInstanceKey: k(pik) },
      consistent((x) => x.state === 'COMPLETED'),
    );
    expect(done.state).toBe('COMPLETED');
    expect(await undoJobs('fcmig-a-undo')).toHaveLength(0);
    expect(await undoJobs('fcmig-undo2')).toHaveLength(0);
  });

  it("mapping it to a boundary event of another type is refused (400, Zeebe's message)", async () => {
    const { pik, w } = await atW();
    let refused = { status: 0, detail: '' };
    try {
      await migrate(pik, [
        { sourceElementId: 'W', targetElementId: 'W' },
        { sourceElementId: 'A_comp', targetElementId: 'W_timer' },
      ]);
    } catch (e) {
      refused = e as typeof refused;
    }
    expect(refused.status).toBe(400);
    expect(refused.detail).toContain(
      "Expected to migrate process instance with id 'fid-comp-mig' but compensation boundary event 'A_comp' is mapped to a target boundary event 'W_timer' that has event type 'TIMER' different than compensation boundary event type.",
    );
    // nothing moved: the instance is still on version 1, W's job still open
    const still = await t.client.getProcessInstance({ processInstanceKey: k(pik) }, consistent());
    expect(String(still.processDefinitionKey)).toBe(source);
    await t.client.completeJob({ jobKey: w as never });
    const [undo] = await undoJobs('fcmig-a-undo');
    expect(undo?.elementId).toBe('undo_A');
    await t.client.completeJob({ jobKey: undo!.jobKey });
  });
});

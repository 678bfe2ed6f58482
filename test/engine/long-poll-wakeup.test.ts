// Issue #17: a job activation (long poll) that shares a group-commit batch with the command creating the job it
// waits for, the activation first, is answered with that job by the same poll at once. Its attempt finds nothing
// (the job does not exist yet), the batch's COMMIT announces the new job, and only then does the poll's answer
// settle: a poll that started waiting for an announcement after that one waited for the next recheck (1 s) instead.
// The workers on their own thread hit this on about one step in three — their next poll reaches the server with
// the handler's completion — and one instance of ten service tasks at a time took ~1 s instead of ~40 ms.
//
// The test makes the race happen every time rather than by timing: when the poll's attempt is submitted, the
// completion is submitted right behind it, into the same batch. It then checks the order of what the route did —
// attempt, announcement, attempt again without waiting — not how long it took.
import { afterEach, expect, it } from 'vitest';
import { type RestServer, raw, startRest } from './rest-server.ts';

const TWO_STEPS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="two" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1"/><bpmn:serviceTask id="t1"><bpmn:extensionElements><zeebe:taskDefinition type="step"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="t2"/><bpmn:serviceTask id="t2"><bpmn:extensionElements><zeebe:taskDefinition type="step"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f3" sourceRef="t2" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;

let rest: RestServer | null = null;
afterEach(async () => {
  await rest?.close();
  rest = null;
});

it('a poll whose attempt shares a batch with the job it waits for gets that job at once, not at the next recheck', async () => {
  rest = await startRest();
  const engine = rest.engine;
  await engine.deploy([{ name: 'two.bpmn', content: TWO_STEPS }]);
  engine.createProcessInstance({ processDefinitionId: 'two' });
  const [first] = engine.activateJobs({ type: 'step', maxJobsToActivate: 1, timeout: 60_000 });
  expect(first?.elementId).toBe('t1');

  // what the route does, in order
  const steps: string[] = [];
  const activate = engine.activateJobs.bind(engine);
  engine.activateJobs = (q) => {
    const jobs = activate(q);
    steps.push(`attempt: ${jobs.map((j) => j.elementId).join(',') || 'none'}`);
    return jobs;
  };
  const wait = engine.waitForJobs.bind(engine);
  engine.waitForJobs = (type, ms, signal) => {
    steps.push('wait');
    return wait(type, ms, signal);
  };
  const unsubscribe = engine.onJobsAvailable((type) => steps.push(`announced: ${type}`));
  // the poll's attempt is queued first; t1's completion (which creates t2) right behind it, in the same batch
  const submit = engine.submit.bind(engine);
  let completion: Promise<unknown> | null = null;
  engine.submit = ((command) => {
    const queued = submit(command);
    completion ??= submit(() => engine.completeJob(first!.jobKey, {}));
    return queued;
  }) as typeof engine.submit;

  const answer = await raw(
    rest.port,
    'POST',
    '/v2/jobs/activation',
    { 'content-type': 'application/json' },
    JSON.stringify({ type: 'step', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 30_000 }),
  );
  await completion;
  unsubscribe();

  expect(answer.status).toBe(200);
  expect((answer.json().jobs as Array<{ elementId: string }>).map((j) => j.elementId)).toEqual(['t2']);
  // the race did happen: the attempt found nothing, and t2 was announced before the poll could wait for it
  expect(steps.slice(0, 2)).toEqual(['attempt: none', 'announced: step']);
  // and the poll tried again at once instead of waiting (for a recheck, 1 s, or the poll's 30 s)
  expect(steps.slice(2)).toEqual(['attempt: t2']);
}, 30_000);

// A server that closes answers the job long polls waiting on it at once, with no jobs, instead of holding its
// close until each poll's requestTimeout ends. Before this, a system whose workers were polling took about 70 s to
// close (test/commands/reconcile.test.ts), and so did every restart of `npm start` behind it.
import { expect, it } from 'vitest';
import { fixture } from './helpers.ts';
import { raw, startRest } from './rest-server.ts';

it('closing the server answers a waiting job activation at once, with no jobs', async () => {
  const rest = await startRest();
  const body = JSON.stringify({
    type: 'nothing-to-do',
    timeout: 10_000,
    maxJobsToActivate: 5,
    requestTimeout: 60_000,
  });
  const started = Date.now();
  const poll = raw(rest.port, 'POST', '/v2/jobs/activation', { 'content-type': 'application/json' }, body);
  // the poll is waiting on the engine before the server closes
  await new Promise((r) => setTimeout(r, 300));
  await rest.close();
  const answer = await poll;
  const waited = Date.now() - started;
  expect(answer.status).toBe(200);
  expect(answer.json()).toEqual({ jobs: [] });
  // well short of the poll's 60 s: the close did not wait it out
  expect(waited).toBeLessThan(30_000);
}, 60_000);

// A user task command waits for its task listeners (https://docs.camunda.io/docs/components/concepts/user-task-listeners/);
// a closing server does not wait for them: it answers 503, and the transition stays under way in the engine's file.
it('closing the server answers a completion waiting for its task listeners at once, with 503', async () => {
  const rest = await startRest();
  const { engine } = rest;
  await engine.deploy([fixture('task-listeners.bpmn')]);
  const pi = engine.createProcessInstance({
    processDefinitionId: 'tl',
    variables: { initialAssignee: null, completeType: 'tl-complete-1', listenerRetries: 1 },
  }).processInstanceKey;
  const [create] = engine.activateJobs({ type: 'tl-create', maxJobsToActivate: 1, timeout: 10_000 });
  engine.completeJob(create!.jobKey);
  const [task] = engine.searchUserTasks({ filter: { processInstanceKey: pi } }).items;
  const started = Date.now();
  const completion = raw(
    rest.port,
    'POST',
    `/v2/user-tasks/${task!.userTaskKey}/completion`,
    {
      'content-type': 'application/json',
    },
    '{}',
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(engine.getUserTask(task!.userTaskKey).state).toBe('COMPLETING');
  await rest.close();
  const answer = await completion;
  expect(answer.status).toBe(503);
  expect(answer.json()).toMatchObject({ status: 503, title: 'UNAVAILABLE' });
  expect(Date.now() - started).toBeLessThan(10_000);
}, 60_000);

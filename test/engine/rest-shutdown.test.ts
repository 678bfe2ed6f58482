// A server that closes answers the job long polls waiting on it at once, with no jobs, instead of holding its
// close until each poll's requestTimeout ends. Before this, a system whose workers were polling took about 70 s to
// close (test/commands/reconcile.test.ts), and so did every restart of `npm start` behind it.
import { expect, it } from 'vitest';
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

// Child process of the crash test: runs a workload against an engine file until every instance is
// done, logging each successful job completion to a side file. The test kills it with SIGKILL at
// random moments and starts it again.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.ts';

const [file, log, total] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const engine = await Engine.open({ file, synchronous: 'FULL' });
await engine.deploy([
  {
    name: 'crash-workload.bpmn',
    content: readFileSync(
      join(import.meta.dirname, '..', 'fixtures', 'engine', 'crash-workload.bpmn'),
      'utf8',
    ),
  },
]);
const types = ['crash-a', 'crash-b', 'crash-c'];
for (;;) {
  const created = engine.searchProcessInstances({
    filter: { processDefinitionId: 'crash-workload' },
    page: { limit: 1 },
  }).page.totalItems;
  if (created < total)
    engine.createProcessInstance({ processDefinitionId: 'crash-workload', variables: { n: created } });
  let worked = 0;
  for (const type of types) {
    for (const job of engine.activateJobs({
      type,
      worker: `pid-${process.pid}`,
      maxJobsToActivate: 5,
      timeout: 400,
    })) {
      engine.completeJob(job.jobKey, { [type]: process.pid });
      appendFileSync(log, `${job.jobKey}\n`);
      worked++;
    }
  }
  const active = engine.searchProcessInstances({
    filter: { processDefinitionId: 'crash-workload', state: 'ACTIVE' },
    page: { limit: 1 },
  }).page.totalItems;
  if (created >= total && active === 0) break;
  if (worked === 0) await new Promise((r) => setTimeout(r, 20));
}
engine.close();
process.stdout.write('DONE\n');

// Runs a worker definition's handler the way the runtime does: variables through its parser, headers as the model
// sets them. The process-path tests run the same workers through the engine.
import type { AnyWorkerDefinition, JobContext, JobOutcome } from '../../src/camunda/worker-runtime.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** Job keys as Zeebe hands them out: unique, so handlers idempotent by job key treat each run as a new job. */
let lastJobKey = 2251799813685249n;
const nextJobKey = () => String(++lastJobKey);

export async function runJob(
  worker: AnyWorkerDefinition,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
  jobKey = nextJobKey(),
): Promise<JobOutcome> {
  const context: JobContext = {
    jobKey,
    type: worker.type,
    processInstanceKey: '2251799813685250',
    processDefinitionId: 'test',
    elementId: 'Task_Test',
    retries: 3,
    customHeaders: headers,
    logger: quiet,
  };
  const parsed = worker.variables ? worker.variables(variables) : variables;
  return worker.handler(parsed, context);
}

export function completed(outcome: JobOutcome): Record<string, unknown> {
  if (outcome.kind !== 'complete') throw new Error(`expected completion, got ${JSON.stringify(outcome)}`);
  return outcome.variables;
}

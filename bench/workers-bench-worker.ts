// The `bench` job type's worker for bench/workers.ts: completes each task at once with one variable, as the
// in-process loop of bench/engine.ts does. Loaded into the workers' thread (SystemOptions.threadWorkers) or given to
// the main event loop's workers (workerOverrides).
import { readlinkSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { type AnyWorkerDefinition, complete } from '../src/camunda/worker-runtime.ts';

export const benchWorker: AnyWorkerDefinition = {
  type: 'bench',
  // as many jobs at once as instances in flight, in both modes
  concurrency: 50,
  handler: (_vars, job) => complete({ [job.elementId]: true }),
};

export default function workers(): AnyWorkerDefinition[] {
  // the workers' thread tells the bench server its Linux thread id ('<pid>/task/<tid>'), whose CPU time it reads
  if (!isMainThread && process.env.BENCH_TID_FILE) {
    writeFileSync(process.env.BENCH_TID_FILE, readlinkSync('/proc/thread-self').split('/').pop() ?? '');
  }
  return [benchWorker];
}

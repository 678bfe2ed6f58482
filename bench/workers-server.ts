// The server of bench/workers.ts, run as a child process: the system as `npm start` composes it (src/system.ts, the
// embedded engine, /v2 and /api on one port, every worker of workers/all.ts plus the benchmark's `bench` worker),
// with the workers on their own thread (`thread`, npm start's mode) or on the main event loop (`client`).
// Tells the parent its address (IPC) once listening, and answers 'cpu' with the CPU time used so far: the whole
// process (every thread) and the main thread alone (the engine, the HTTP server and, in `client` mode, the workers).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { startSystem } from '../src/system.ts';
import { benchWorker } from './workers-bench-worker.ts';

const mode = process.argv[2] === 'client' ? 'client' : 'thread';
const dataDir = mkdtempSync(join(tmpdir(), 'workers-bench-'));
process.env.BENCH_TID_FILE = join(dataDir, 'workers-thread.tid');
const config = { ...loadConfig({ ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1' }), port: 0 };
const system = await startSystem(config, {
  workers: mode,
  ...(mode === 'thread'
    ? { threadWorkers: new URL('./workers-bench-worker.ts', import.meta.url).href }
    : { workerOverrides: [benchWorker] }),
  // the request log as npm start writes it, to a sink: what it costs counts, the pipe to the parent does not
  logStream: { write: () => {} },
});
process.send?.({ address: system.url });

// requests served, by kind: how many job activations the workers make per instance tells how they batch
const requests: Record<string, number> = {};
system.app.server.on('request', (req: { url?: string }) => {
  const kind = /\/jobs\/activation/.test(req.url ?? '')
    ? 'activations'
    : /\/jobs\/[^/]+\/completion/.test(req.url ?? '')
      ? 'completions'
      : 'other';
  requests[kind] = (requests[kind] ?? 0) + 1;
});

/** CPU time (ms) of one thread, from Linux's per-thread accounting (clock ticks of 10 ms). */
function threadCpuMs(tid: string | number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

process.on('message', (m) => {
  if (m !== 'cpu') return;
  const { user, system: sys } = process.cpuUsage();
  const tid = mode === 'thread' ? readFileSync(process.env.BENCH_TID_FILE as string, 'utf8') : null;
  process.send?.({
    cpuMs: (user + sys) / 1000,
    mainMs: threadCpuMs(process.pid),
    workersMs: tid ? threadCpuMs(tid) : 0,
    requests: { ...requests },
  });
});

process.on('SIGTERM', async () => {
  await system.close(2_000);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});

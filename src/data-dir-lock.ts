// One data directory, one process: `npm start` and `npm run demo` take DATA_DIR/.lock before they open the engine
// file or the store. Two processes on one engine file each keep their own key counter and their own view of the
// state; the second would deploy into the live file and the first later overwrite its counter.
// The lock file is created exclusively (O_EXCL) and holds the owner's pid, host and start time. A lock left by a
// process that died without removing it (kill -9, power loss) is taken over when that pid is no longer alive on
// this host; a lock from another host (a shared volume) is never taken over: the message says what to check.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = '.lock';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    super(
      owner
        ? `DATA_DIR ${dataDir} is in use by process ${owner.pid} on ${owner.host} (${owner.command}, started ${owner.startedAt}). ` +
            `Stop that process first; one data directory serves one process. If it is surely gone, remove ${join(dataDir, LOCK_FILE)}.`
        : `DATA_DIR ${dataDir} is being locked by another process right now (${join(dataDir, LOCK_FILE)}); try again shortly.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Takes the lock or throws DataDirLockedError; the returned function (also run on exit) releases it. */
export function lockDataDir(dataDir: string, command: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      if (attempt === 0 && isStale(file, owner)) {
        removeIfUnchanged(file, owner);
        continue;
      }
      throw new DataDirLockedError(dataDir, owner);
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    const release = () => {
      process.off('exit', release);
      // only our own lock: a lock someone took over after a stale check is theirs
      if (readOwner(file)?.pid === me.pid) unlinkSync(file);
    };
    process.on('exit', release);
    return release;
  }
  throw new DataDirLockedError(dataDir, readOwner(file));
}

/** For the command-line entry points: takes the lock, or says who holds it and exits with status 3. */
export function lockDataDirOrExit(dataDir: string, command: string): () => void {
  try {
    return lockDataDir(dataDir, command);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    console.error(e.message);
    process.exit(3);
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isSafeInteger(o.pid) && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

function isStale(file: string, owner: LockOwner | null): boolean {
  if (!owner) {
    // written between create and write, or garbage: stale once it is clearly not being written any more
    try {
      return Date.now() - statSync(file).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
  if (owner.host !== hostname()) return false;
  // our own pid, yet we hold no lock: left by an earlier run of a container that restarted with the same pid
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeIfUnchanged(file: string, owner: LockOwner | null): void {
  const now = readOwner(file);
  if (now?.pid !== owner?.pid) return;
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

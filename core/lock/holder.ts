import { hostname } from 'node:os';

/** What a lock file holds: who took it, and a token so a holder only ever deletes its own lock. */
export interface Holder {
  pid: number;
  host: string;
  /** Epoch milliseconds when taken. */
  time: number;
  token: string;
}

/**
 * A lock may be broken when its holder is known dead (same host, no such
 * process), or when it is older than `staleMs` by the time it recorded.
 * `undefined` means the lock is gone (nothing to break); `null` means its
 * content is unreadable, and only the file's age can tell.
 */
export function holderIsStale(holder: Holder | undefined | null, fileAgeMs: number, staleMs: number): boolean {
  if (holder === undefined) return false;
  if (holder === null) return fileAgeMs > staleMs;
  if (holder.host === hostname() && !processAlive(holder.pid)) return true;
  return Date.now() - holder.time > staleMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread; the lock is taken from synchronous code (generators' callbacks, the CLI) and held for milliseconds. */
export function sleepSync(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, Math.max(1, Math.round(ms)));
}

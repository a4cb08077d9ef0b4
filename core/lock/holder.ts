import { readFileSync, statSync } from 'node:fs';
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

/** The holder written in a lock file: undefined when the file is gone, null when its content is unreadable. */
export function readHolder(path: string): Holder | undefined | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    return typeof v?.pid === 'number' && typeof v?.host === 'string' && typeof v?.time === 'number' ? v : null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

/** Milliseconds since the file was last written; 0 when it is gone. */
export function fileAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
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

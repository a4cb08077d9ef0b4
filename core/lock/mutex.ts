import { closeSync, linkSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileAgeMs, holderIsStale, readHolder, sleepSync, type Holder } from './holder';

export interface ExclusiveOptions {
  /** How long to wait for another process's lock before giving up. */
  timeoutMs?: number;
  /** A lock older than this is broken even when its holder looks alive: the critical section takes milliseconds. */
  staleMs?: number;
}

const DEFAULTS = { timeoutMs: 10_000, staleMs: 30_000 };

/**
 * Runs `fn` while holding `lockPath`, a file only one process can create. The
 * holder's pid, host and start time are in the file before it appears (written to
 * a temporary file, then hard-linked into place: a link fails if the name exists,
 * and the content is complete the moment it is visible). A lock whose holder died
 * on this host, or that is older than `staleMs`, is broken under a second
 * exclusive file (`<lock>.break`), so two waiters never both break it and delete a
 * fresh lock taken in between.
 */
export function withExclusiveFile<T>(lockPath: string, fn: () => T, options: ExclusiveOptions = {}): T {
  const { timeoutMs, staleMs } = { ...DEFAULTS, ...options };
  const me: Holder = { pid: process.pid, host: hostname(), time: Date.now(), token: Math.random().toString(36).slice(2) };
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; !create(lockPath, me); delay = Math.min(delay * 2, 100)) {
    if (breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) throw new Error(busyMessage(lockPath, timeoutMs));
    sleepSync(delay / 2 + Math.random() * delay);
  }
  try {
    return fn();
  } finally {
    // Delete only our own lock: a lock broken as stale may already belong to someone else.
    if (readHolder(lockPath)?.token === me.token) rmSync(lockPath, { force: true });
  }
}

/** True when `path` was created holding `holder`; false when it exists. */
function create(path: string, holder: Holder): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${holder.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temp, JSON.stringify({ ...holder, time: Date.now() }));
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some SMB shares): O_EXCL, content written just after.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')
      return createExclusive(path, readFileSync(temp, 'utf8'));
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The fallback: a lock seen empty for a moment reads as unreadable, which is broken only once old. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function breakIfStale(lockPath: string, staleMs: number): boolean {
  if (!holderIsStale(readHolder(lockPath), fileAgeMs(lockPath), staleMs)) return false;
  const breaker = `${lockPath}.break`;
  if (!create(breaker, { pid: process.pid, host: hostname(), time: Date.now(), token: '' })) {
    // A breaker that died mid-break would block everyone; its critical section is a read and an unlink.
    if (holderIsStale(readHolder(breaker), fileAgeMs(breaker), 2_000)) rmSync(breaker, { force: true });
    return false;
  }
  try {
    // Re-judged under the breaker: the lock may have been released and re-taken since the first look.
    const stale = holderIsStale(readHolder(lockPath), fileAgeMs(lockPath), staleMs);
    if (stale) rmSync(lockPath, { force: true });
    return stale;
  } finally {
    rmSync(breaker, { force: true });
  }
}

function busyMessage(lockPath: string, timeoutMs: number): string {
  const h = readHolder(lockPath);
  const who = h ? `process ${h.pid} on ${h.host} since ${new Date(h.time).toISOString()}` : 'another process';
  return `specthis: ${lockPath} is held by ${who}; waited ${timeoutMs / 1000} s for it. If no specthis process is running, delete that file and try again`;
}

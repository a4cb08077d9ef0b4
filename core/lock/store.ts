import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { readUtf8 } from '../fs/read';
import { formatLock } from './format';
import { fileAgeMs, holderIsStale, readHolder } from './holder';
import { withExclusiveFile, type ExclusiveOptions } from './mutex';
import { parseLock } from './parse';
import { LOCK_FILE, lockFilePath, lockFileRel, type Lock } from './types';

/** Temporary files of lock writes (`._lock.json.<pid>.<rand>.tmp`) and of lock-file creation (`._lock.json.lock…`). */
const DATA_TEMP = /^\._lock\.json\.\d+\.[0-9a-z]*\.tmp$/;
const MUTEX_TEMP = /^\._lock\.json\.lock(\.break)?\.\d+\.[0-9a-z]*\.tmp$/;
const ORPHAN_AGE_MS = 60_000;

/**
 * The lock of a workspace: `{}` when the file does not exist (nothing certified).
 * A file that exists but does not parse throws a LockFileError naming the line.
 */
export function readLock(root: string, specsDir: string): Lock {
  let text: string;
  try {
    text = readUtf8(lockFilePath(root, specsDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseLock(text, lockFileRel(specsDir));
}

export interface LockUpdate {
  before: Lock;
  after: Lock;
  /** False when the new content equals the old bytes (nothing rewritten). */
  written: boolean;
}

/**
 * Read-modify-write of the lock under `<lock>.lock`, so concurrent certifications
 * all land; the new text replaces the file atomically, so a crash leaves the old
 * lock or the new one. A lock that does not parse is never overwritten: other
 * people's records would be lost with it.
 */
export function updateLock(root: string, specsDir: string, mutate: (lock: Lock) => Lock, options?: ExclusiveOptions): LockUpdate {
  const path = lockFilePath(root, specsDir);
  return withExclusiveFile(
    `${path}.lock`,
    () => {
      removeOrphans(dirname(path));
      const before = readLock(root, specsDir);
      const after = mutate(structuredClone(before));
      const text = formatLock(after);
      const unchanged = currentText(path) === text || (Object.keys(after).length === 0 && currentText(path) === undefined);
      if (!unchanged) writeFileAtomic(path, text);
      return { before, after, written: !unchanged };
    },
    options,
  );
}

function currentText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Temporary files a killed writer left behind. Called under the lock: no one
 * else is writing the lock then, so any data temp file is an orphan; lock-taking
 * temp files belong to waiters and are removed only when the process that wrote
 * one died on this host, or once they are old.
 */
function removeOrphans(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`.${LOCK_FILE}`)) continue;
    const abs = join(dir, name);
    if (DATA_TEMP.test(name) || (MUTEX_TEMP.test(name) && holderIsStale(readHolder(abs), fileAgeMs(abs), ORPHAN_AGE_MS)))
      rmSync(abs, { force: true });
  }
}

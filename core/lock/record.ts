import type { ExclusiveOptions } from './mutex';
import { updateLock, type LockUpdate } from './store';
import type { LockRecord } from './types';

/**
 * Writes records into the lock (replacing the entries' old ones), under the
 * lock-file lock and atomically. Other entries' records are re-read inside the
 * lock, so a concurrent certification of another entry is kept.
 */
export function recordCertifications(
  root: string,
  specsDir: string,
  records: readonly { entry: string; record: LockRecord }[],
  options?: ExclusiveOptions,
): LockUpdate {
  return updateLock(
    root,
    specsDir,
    (lock) => {
      for (const { entry, record } of records) lock[entry] = record;
      return lock;
    },
    options,
  );
}

/** Removes the named entries' records, or every record with `'all'`; returns the names that had one. */
export function clearCertifications(
  root: string,
  specsDir: string,
  entries: readonly string[] | 'all',
  options?: ExclusiveOptions,
): LockUpdate & { cleared: string[] } {
  let cleared: string[] = [];
  const update = updateLock(
    root,
    specsDir,
    (lock) => {
      cleared = (entries === 'all' ? Object.keys(lock) : entries.filter((e) => Object.prototype.hasOwnProperty.call(lock, e))).sort();
      for (const name of cleared) delete lock[name];
      return lock;
    },
    options,
  );
  return { ...update, cleared };
}

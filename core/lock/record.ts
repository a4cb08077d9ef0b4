import type { ExclusiveOptions } from './mutex';
import { updateLock, type LockUpdate } from './store';
import type { Lock, LockRecord } from './types';

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

/** What clearing the named records would do: the decision `nx g …:certify --clear` and `specthis lock clear` share. */
export interface ClearPlan {
  /** Names with a record: cleared. */
  clearing: string[];
  /** Declared entries without a record: nothing to clear, said as such (clearing stays idempotent). */
  noRecord: string[];
  /** Neither a declared entry nor a record: a typo, refused before anything is written. */
  unknown: string[];
}

/**
 * A record may outlive its entry (renamed or deleted in the spec): clearing it
 * is how it goes, so a name with a record is cleared whether or not the specs
 * still declare it.
 */
export function planClear(lock: Lock, declared: (name: string) => boolean, names: readonly string[] | 'all'): ClearPlan {
  const has = (n: string) => Object.prototype.hasOwnProperty.call(lock, n);
  if (names === 'all') return { clearing: Object.keys(lock).sort(), noRecord: [], unknown: [] };
  const unique = [...new Set(names)];
  return {
    clearing: unique.filter(has).sort(),
    noRecord: unique.filter((n) => !has(n) && declared(n)),
    unknown: unique.filter((n) => !has(n) && !declared(n)),
  };
}

/** The refusal of names that are neither entries nor records, in the words both front ends print. */
export function unknownRecordsReason(unknown: readonly string[], specsDir: string, lockFile: string): string {
  return `no entry and no record named ${unknown.map((n) => `"${n}"`).join(', ')} in ${specsDir}/ or ${lockFile}`;
}

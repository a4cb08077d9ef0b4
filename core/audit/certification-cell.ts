import { computeInputs, type Component } from '../hash/inputs';
import { classifyCertification, type Certification, type CertificationState } from '../lock/classify';
import { LockFileError } from '../lock/errors';
import { readLock } from '../lock/store';
import { lockFileRel, recordOf, type Lock } from '../lock/types';
import type { Entry, Spec } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import type { Finding } from './types';

/** The certification cell: a state from core/lock, or `—` when the lock cannot be read (never "unbound": that would hide drift). */
export type CertificationCell = CertificationState | '—';
export type { CertificationState };

export interface CertificationReader {
  /** Certification of an entry, undefined when the lock does not parse; `live` is its inputs when the caller already computed them. */
  of(spec: Spec, entry: Entry, live?: { digest: string; components: Component[] }): Certification | undefined;
  /** A lock that does not parse, as a finding at its line. */
  findings: Finding[];
  /** The lock as read for this audit; undefined when it does not parse. */
  lock: Lock | undefined;
  /** Its workspace-relative path. */
  file: string;
}

/**
 * Reads `<specsDir>/_lock.json` once per audit and classifies entries against
 * it with core/lock. A lock that does not parse is an error finding, and every
 * certification cell reads `—`, while the rest of the audit still reports.
 */
export function certificationReader(root: string, model: WorkspaceModel): CertificationReader {
  let lock: Lock | undefined;
  const findings: Finding[] = [];
  try {
    lock = readLock(root, model.options.specsDir);
  } catch (error) {
    if (!(error instanceof LockFileError)) throw error;
    findings.push({
      ...error.diagnostic,
      reason: `the lock does not parse: ${error.diagnostic.reason}`,
      spec: lockFileRel(model.options.specsDir),
    });
  }
  return {
    findings,
    lock,
    file: lockFileRel(model.options.specsDir),
    of(spec, entry, live) {
      return lock && classifyCertification(live ?? computeInputs(root, spec, entry), recordOf(lock, entry.name));
    },
  };
}

import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';

/** The certification axis of DESIGN.md §4: has someone checked that this code satisfies this contract? */
export type CertificationState = 'certified' | 'spec audit needed' | 'unbound';

/**
 * SEAM: the certification state of an entry, from `<specsDir>/_lock.json`.
 *
 * TODO(core/lock): return the lock's classification (certified / spec audit
 * needed / unbound) once core/lock exports one. Until then every entry reads
 * `unbound` (never certified), which is what a workspace without a lock is.
 * The audit reports this column and never fails on it.
 */
export function certificationOf(root: string, model: WorkspaceModel, entry: Entry): CertificationState {
  void root;
  void model;
  void entry;
  return 'unbound';
}

import { classifyCertification, describeCertification, type Certification } from '../lock/classify';
import { recordOf, type Lock } from '../lock/types';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { describeRealization } from './describe';
import { classify, type Classification } from './realization';

/**
 * Both axes of an entry (docs/architecture.md, "Entry state"): is the code
 * certified against its contract (the lock), and do the outputs come from the
 * current inputs (the receipt). The run, `specthis status`, the audit and the
 * page all ask here; the live inputs are hashed once and serve both axes.
 */
export interface EntryState {
  certification: Certification;
  realization: Classification;
}

export function entryState(root: string, model: WorkspaceModel, entry: Entry, lock: Lock): EntryState {
  const realization = classify(root, model, entry);
  return { certification: classifyCertification(realization.live.inputs, recordOf(lock, entry.name)), realization };
}

/** Both axes in words, `<state>: <why>`, for a terminal line or a table cell. */
export function describeEntryState(s: EntryState): { certification: string; realization: string } {
  return {
    certification: `${s.certification.state}: ${describeCertification(s.certification)}`,
    realization: `${s.realization.state}: ${describeRealization(s.realization.why)}`,
  };
}

import { computeInputs, FRAMING_VERSION, type Component } from '../hash/inputs';
import type { Entry } from '../spec/types';
import { describeMove, diffComponents, type MovedComponent } from '../state/moved';
import type { WorkspaceModel } from '../workspace/types';
import { recordOf, type Lock, type LockRecord } from './types';

/** The certification axis of an entry (DESIGN.md §4); realization is the other, in core/state. */
export type CertificationState = 'certified' | 'spec audit needed' | 'unbound';

export interface Certification {
  state: CertificationState;
  /** One line starting with the state: `spec audit needed: script scripts/fit.py changed since Ada certified it on 2026-01-01`. */
  reason: string;
  /** The reason without the state. */
  detail: string;
  /** Each input that moved since certification, added and removed ones included; empty unless `spec audit needed`. */
  moved: MovedComponent[];
  record?: LockRecord;
  live: { digest: string; components: Component[] };
}

/** Compares live inputs with the entry's lock record. Pure: callers that already computed the inputs pass them. */
export function classifyCertification(live: { digest: string; components: Component[] }, record: LockRecord | undefined): Certification {
  const result = (state: CertificationState, detail: string, moved: MovedComponent[] = []): Certification => ({
    state,
    reason: `${state}: ${detail}`,
    detail,
    moved,
    live,
    ...(record ? { record } : {}),
  });
  if (!record) return result('unbound', 'never certified (the lock holds no record for it)');
  const by = `${record.author} certified it on ${record.ts.slice(0, 10)}`;
  if (record.inputs_certified === live.digest) return result('certified', `inputs match the record (${by})`);
  const moved = diffComponents(record.components, live.components);
  if (record.framing !== FRAMING_VERSION) {
    return result(
      'spec audit needed',
      `the record was framed as ${record.framing} and this plugin frames inputs as ${FRAMING_VERSION}; re-certify after checking the entry`,
      moved,
    );
  }
  if (!moved.length)
    return result('spec audit needed', `the record's inputs_certified does not match its own components (edited by hand?); ${by}`);
  return result('spec audit needed', `${moved.map(describeMove).join(', ')} changed since ${by}`, moved);
}

/** Certification of one entry of the model, inputs computed live from disk. */
export function certificationOf(root: string, model: WorkspaceModel, entry: Entry, lock: Lock): Certification {
  const spec = model.specs.find((s) => s.file === entry.specFile);
  if (!spec) throw new Error(`entry "${entry.name}" names spec ${entry.specFile}, which the workspace model does not hold`);
  return classifyCertification(computeInputs(root, spec, entry), recordOf(lock, entry.name));
}

import { computeInputs, FRAMING_VERSION, type Component } from '../hash/inputs';
import { describeMove, diffComponents, type MovedComponent } from '../hash/moved';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';
import { recordOf, type Lock, type LockRecord } from './types';

/** The certification axis of an entry (docs/architecture.md, "Entry state"); realization is the other, in core/state. */
export type CertificationState = 'certified' | 'spec audit needed' | 'unbound';

/** Why an entry is in its certification state, as data; `describeCertification` says it in words. */
export type CertificationCause =
  | { kind: 'never-certified' }
  | { kind: 'matches' }
  /** The record was framed under another FRAMING_VERSION (core/hash/inputs.ts). */
  | { kind: 'framing-changed'; recorded: string; now: string }
  /** inputs_certified differs while every recorded component matches: the record was edited by hand. */
  | { kind: 'record-inconsistent' }
  | { kind: 'inputs-moved' };

export interface Certification {
  state: CertificationState;
  cause: CertificationCause;
  /** Each input that moved since certification, added and removed ones included; empty unless `spec audit needed`. */
  moved: MovedComponent[];
  record?: LockRecord;
  live: { digest: string; components: Component[] };
}

/** Compares live inputs with the entry's lock record. Pure: callers that already computed the inputs pass them. */
export function classifyCertification(live: { digest: string; components: Component[] }, record: LockRecord | undefined): Certification {
  const result = (state: CertificationState, cause: CertificationCause, moved: MovedComponent[] = []): Certification => ({
    state,
    cause,
    moved,
    live,
    ...(record ? { record } : {}),
  });
  if (!record) return result('unbound', { kind: 'never-certified' });
  if (record.inputs_certified === live.digest) return result('certified', { kind: 'matches' });
  const moved = diffComponents(record.components, live.components);
  if (record.framing !== FRAMING_VERSION) {
    return result('spec audit needed', { kind: 'framing-changed', recorded: record.framing, now: FRAMING_VERSION }, moved);
  }
  if (!moved.length) return result('spec audit needed', { kind: 'record-inconsistent' });
  return result('spec audit needed', { kind: 'inputs-moved' }, moved);
}

/**
 * The certification in words, without the state: `script scripts/fit.py
 * changed since Ada certified it on 2026-01-01`. For terminals and pages;
 * `specthis status --json` hands over the structure instead.
 */
export function describeCertification(c: Pick<Certification, 'cause' | 'moved' | 'record'>): string {
  const by = c.record ? `${c.record.author} certified it on ${c.record.ts.slice(0, 10)}` : '';
  switch (c.cause.kind) {
    case 'never-certified':
      return 'never certified (the lock holds no record for it)';
    case 'matches':
      return `inputs match the record (${by})`;
    case 'framing-changed':
      return `the record was framed as ${c.cause.recorded} and this plugin frames inputs as ${c.cause.now}; re-certify after checking the entry`;
    case 'record-inconsistent':
      return `the record's inputs_certified does not match its own components (edited by hand?); ${by}`;
    case 'inputs-moved':
      return `${c.moved.map(describeMove).join(', ')} changed since ${by}`;
  }
}

/** Certification of one entry of the model, inputs computed live from disk. */
export function certificationOf(root: string, model: WorkspaceModel, entry: Entry, lock: Lock): Certification {
  const spec = model.specs.find((s) => s.file === entry.specFile);
  if (!spec) throw new Error(`entry "${entry.name}" names spec ${entry.specFile}, which the workspace model does not hold`);
  return classifyCertification(computeInputs(root, spec, entry), recordOf(lock, entry.name));
}

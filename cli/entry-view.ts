import { formatDiagnostic } from '../core/diagnostics/diagnostic';
import type { MovedComponent } from '../core/hash/moved';
import { describeCertification, LockFileError, readLock, type CertificationCause, type CertificationState, type Lock } from '../core/lock';
import { entryTargetName, invalidTargetName, projectOf } from '../core/naming';
import type { ReceiptSource } from '../core/receipts/receipt';
import type { Entry, Spec } from '../core/spec/types';
import { describeRealization } from '../core/state/describe';
import { entryState } from '../core/state/entry-state';
import type { RealizationReason, RealizationState } from '../core/state/realization';
import type { WorkspaceModel } from '../core/workspace/types';
import { workspaceError } from './exit';

/**
 * One entry on both axes (docs/architecture.md, "Entry state"), as `status`
 * prints it and `status --json` emits it: each axis with its state, why as
 * data (`cause`/`why`, `moved`), and the same in words (`detail`).
 */
export interface EntryView {
  entry: string;
  family: Entry['family'];
  spec: string;
  line: number;
  project: string;
  target: string;
  status: string;
  script: string | null;
  outputs: string[];
  certification: { state: CertificationState; cause: CertificationCause; moved: MovedComponent[]; detail: string };
  realization: { state: RealizationState; why: RealizationReason; detail: string };
  /** Where the outputs on disk came from when the results cache brought them (their receipt's `source`); null when run here. */
  source: ReceiptSource | null;
}

/** The lock, or a workspace error: an unparsable lock is never read as "nothing certified". */
export function readLockOrFail(root: string, specsDir: string): Lock {
  try {
    return readLock(root, specsDir);
  } catch (error) {
    if (error instanceof LockFileError)
      throw workspaceError(`specthis: the lock file does not parse, so no certification can be trusted:\n${error.message}`);
    throw error;
  }
}

export function viewEntry(root: string, model: WorkspaceModel, entry: Entry, lock: Lock): EntryView {
  const { certification, realization } = entryState(root, model, entry, lock);
  const project = projectOf(entry.specFile);
  return {
    entry: entry.name,
    family: entry.family,
    spec: entry.specFile,
    line: entry.line,
    project,
    target: `${project}:${entryTargetName(model.options.targetNames, entry)}`,
    status: entry.status ?? 'missing',
    script: entry.script ?? null,
    outputs: entry.outputs,
    certification: {
      state: certification.state,
      cause: certification.cause,
      moved: certification.moved,
      detail: describeCertification(certification),
    },
    realization: { state: realization.state, why: realization.why, detail: describeRealization(realization.why) },
    source: realization.receipt?.source ?? null,
  };
}

/** Where a fetched entry's outputs came from, in words. */
export function describeSource(s: ReceiptSource): string {
  return `fetched from ${s.cache} (pushed by ${s.archivedBy} at ${s.archivedAt})`;
}

/** Entries in pipeline-reading order: by spec file, then by position in it. */
export function sortedEntries(model: WorkspaceModel): Entry[] {
  return [...model.entries.values()].sort((a, b) => (a.specFile !== b.specFile ? (a.specFile < b.specFile ? -1 : 1) : a.line - b.line));
}

export interface InvalidSpecView {
  spec: string;
  errors: number;
  target: string;
  diagnostics: string[];
}

/** Specs with errors: their entries have no state, only the diagnostics and the target that prints them. */
export function invalidSpecs(model: WorkspaceModel): InvalidSpecView[] {
  return model.specs.filter((s) => model.blocked.has(s.file)).map(viewInvalid);
}

export function viewInvalid(spec: Spec): InvalidSpecView {
  const errors = spec.diagnostics.filter((d) => d.severity === 'error');
  return {
    spec: spec.file,
    errors: errors.length,
    target: `${projectOf(spec.file)}:${invalidTargetName(spec)}`,
    diagnostics: errors.map((d) => formatDiagnostic(d)),
  };
}

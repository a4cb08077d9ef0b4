import { posix } from 'node:path';
import { classifyCertification, describeMove, LockFileError, readLock, recordOf, type CertificationState, type Lock } from '../core/lock';
import { formatDiagnostic } from '../core/diagnostics/diagnostic';
import type { Entry, Spec } from '../core/spec/types';
import { classify, type RealizationState } from '../core/state/realization';
import type { WorkspaceModel } from '../core/workspace/types';
import { projectNameFor } from '../plugin/project-name';
import { entryTarget, invalidTarget } from '../plugin/targets';
import { workspaceError } from './exit';

/** One entry on both axes (DESIGN.md §4), as `status` prints it and `status --json` emits it. */
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
  certification: { state: CertificationState; detail: string; moved: string[] };
  realization: { state: RealizationState; detail: string };
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
  const realization = classify(root, model, entry);
  // The live inputs serve both axes, so they are hashed once.
  const certification = classifyCertification(realization.live.inputs, recordOf(lock, entry.name));
  const project = projectNameFor(posix.dirname(entry.specFile));
  return {
    entry: entry.name,
    family: entry.family,
    spec: entry.specFile,
    line: entry.line,
    project,
    target: `${project}:${entryTarget(entry)}`,
    status: entry.status ?? 'missing',
    script: entry.script ?? null,
    outputs: entry.outputs,
    certification: { state: certification.state, detail: certification.detail, moved: certification.moved.map(describeMove) },
    realization: { state: realization.state, detail: realization.detail },
  };
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
    target: `${projectNameFor(posix.dirname(spec.file))}:${invalidTarget(spec)}`,
    diagnostics: errors.map((d) => formatDiagnostic(d)),
  };
}

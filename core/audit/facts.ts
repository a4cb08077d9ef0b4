import { describeCertification } from '../lock/classify';
import { describeRealization } from '../state/describe';
import { readJsonTop, type JsonTop } from '../state/output-json';
import { classify, type RealizationState } from '../state/realization';
import type { Entry, Spec } from '../spec/types';
import { pathsOutside } from '../workspace/entry-paths';
import type { WorkspaceModel } from '../workspace/types';
import type { CertificationCell, CertificationReader } from './certification-cell';

/** What the working tree says about one entry: the raw material of the table row and of `_index.json`. */
export interface EntryFacts {
  spec: Spec;
  entry: Entry;
  scriptExists: boolean;
  /** Paths of the entry that link out of the workspace, and where they lead (never read). */
  outside: { path: string; real: string }[];
  outputs: { path: string; exists: boolean }[];
  workflows: { path: string; exists: boolean }[];
  /** Top level of the compute output JSON; undefined for export entries. */
  json?: JsonTop;
  certification: CertificationCell;
  /** Why, in one line starting with the state (core/lock/classify.ts's cause, in words). */
  certificationReason: string;
  /** The same without the state. */
  certificationDetail: string;
  /** `blocked` when the spec has errors: the entry has no target that runs. */
  realization: RealizationState | 'blocked';
  /** Why, in one line (from core/state's classification). */
  realizationReason: string;
}

export function entryFacts(
  root: string,
  model: WorkspaceModel,
  spec: Spec,
  entry: Entry,
  exists: (path: string) => boolean,
  lock: CertificationReader,
): EntryFacts {
  const realization = model.blocked.has(spec.file) ? undefined : realizationOf(root, model, entry);
  const certification = lock.of(spec, entry, realization?.live);
  const certificationDetail = certification ? describeCertification(certification) : `${lock.file} does not parse`;
  return {
    spec,
    entry,
    scriptExists: !!entry.script && exists(entry.script),
    outside: pathsOutside(root, entry),
    outputs: entry.outputs.map((path) => ({ path, exists: exists(path) })),
    workflows: entry.workflows.map((path) => ({ path, exists: exists(path) })),
    ...(entry.family === 'compute' && entry.outputs[0] ? { json: readJsonTop(root, entry.outputs[0]) } : {}),
    certification: certification?.state ?? '—',
    certificationReason: `${certification?.state ?? '—'}: ${certificationDetail}`,
    certificationDetail,
    realization: realization?.state ?? 'blocked',
    realizationReason: realization?.reason ?? `blocked: ${spec.file} has errors; the entry does not run until they are fixed`,
  };
}

function realizationOf(root: string, model: WorkspaceModel, entry: Entry) {
  // The model holds every spec and file the classification reads; a file that vanishes mid-audit must not sink the whole report.
  try {
    const c = classify(root, model, entry);
    return { state: c.state, reason: `${c.state}: ${describeRealization(c.why)}`, live: c.live.inputs };
  } catch (error) {
    return { state: 'stale' as const, reason: `stale: could not classify (${(error as Error).message})`, live: undefined };
  }
}

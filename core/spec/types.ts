import type { Diagnostic } from '../diagnostics/diagnostic';
import type { SlurmResources } from './resources';

export type { Diagnostic, Severity } from '../diagnostics/diagnostic';

/**
 * The spec model: plain data parsed from Markdown specs (templates/specs/README.md).
 * Paths are POSIX and relative to the workspace root unless a name says otherwise.
 */

export const SPEC_KINDS = ['meta', 'definitions', 'templates', 'compute', 'report', 'figure'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

/** Kinds whose body declares entries, and the target family each entry becomes. */
export const ENTRY_FAMILY: Partial<Record<SpecKind, EntryFamily>> = {
  compute: 'compute',
  report: 'export',
  figure: 'export',
};
export type EntryFamily = 'compute' | 'export';

export type ScriptStatus = 'script TBD' | 'script ready';

export interface Entry {
  name: string;
  family: EntryFamily;
  /** Workspace-relative path of the spec that declares the entry. */
  specFile: string;
  /** 1-based line of the entry's `###` heading. */
  line: number;
  /** Lines [start, end) of the entry block, 0-based offsets into the spec's lines: heading to next heading of level <= 3. */
  block: { start: number; end: number };
  /** `Script:` (compute) or `Export script:` (report, figure). Workspace-relative. */
  script?: string;
  /** `Output:` (one JSON) or `Export outputs:` (one or more). Workspace-relative. */
  outputs: string[];
  status?: ScriptStatus;
  /** Text after the status keyword, e.g. "waiting for the 2024 extract". */
  statusNote?: string;
  /** `Run:` command, verbatim. */
  run?: string;
  workflows: string[];
  keys: string[];
  /** `Reads:` entry names, when given. */
  reads?: string[];
  /** `Runner:`, when given; the plugin option `runner` decides otherwise. */
  runner?: 'local' | 'slurm';
  /** `Resources:`, parsed (core/spec/resources.ts). */
  resources?: SlurmResources;
  /**
   * 0-based line indices of the entry's `Runner:` and `Resources:` lines:
   * where and with what an entry runs does not change what its output means,
   * so these lines are left out of its `entry-block` hash (core/hash/inputs.ts).
   */
  placementLines?: number[];
}

export interface Spec {
  /** Workspace-relative path, e.g. `specs/wages/compute-wages.md`. */
  file: string;
  /** Path relative to specsDir, the form `depends_on` uses, e.g. `wages/compute-wages.md`. */
  specPath: string;
  /** File stem, e.g. `compute-wages`. */
  stem: string;
  /** Front matter `name`, when given. */
  name?: string;
  kind?: SpecKind;
  /** `depends_on`, as paths relative to specsDir. */
  dependsOn: string[];
  /** 1-based line of each `depends_on` item, same order. */
  dependsOnLines: number[];
  hostDoc?: string;
  sectionLabel?: string;
  title?: string;
  entries: Entry[];
  diagnostics: Diagnostic[];
}

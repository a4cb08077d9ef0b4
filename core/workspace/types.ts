import { DEFAULT_TARGET_NAMES, type TargetNames } from '../naming';
import type { SlurmDefaults } from '../spec/resources';
import type { Diagnostic, Entry, Spec } from '../spec/types';

/** Options a workspace registers the plugin with, after defaults are applied. */
export interface SpecthisOptions {
  /** Workspace-relative directory holding the specs. Default `specs`. */
  specsDir: string;
  /** Fail entries that were never certified instead of warning. Default false. */
  requireCertified: boolean;
  /** The names of the inferred targets (options `computeTargetName`, …; core/naming.ts). */
  targetNames: TargetNames;
  /** Where entries run unless their `Runner:` says otherwise. Default `local`. */
  runner: 'local' | 'slurm';
  /** SLURM defaults for entries that run there (option `slurm`); an entry's `Resources:` wins key by key. */
  slurm: SlurmDefaults;
}

export const DEFAULT_OPTIONS: SpecthisOptions = {
  specsDir: 'specs',
  requireCertified: false,
  targetNames: DEFAULT_TARGET_NAMES,
  runner: 'local',
  slurm: {},
};

/**
 * Every spec of a workspace, with the findings that need the whole set
 * (duplicate entry names, depends_on cycles, depends_on to a missing file).
 */
export interface WorkspaceModel {
  options: SpecthisOptions;
  /** Sorted by `file`. Each spec's `diagnostics` include the workspace-level ones about it. */
  specs: Spec[];
  /** Entries by name, only from specs that are not blocked. */
  entries: Map<string, Entry>;
  /** Entry name -> what it consumes, for entries of specs that are not blocked. */
  upstream: Map<string, Upstream>;
  /** Entry name -> the files or directories it owns as outputs (core/workspace/overlaps.ts, `ownedRoots`). */
  outputRoots: Map<string, string[]>;
  /** Spec files with error diagnostics: they run nothing, and their dependents wait on their diagnostics target. */
  blocked: Set<string>;
}

export interface Upstream {
  /** Compute entries consumed, from `Reads:` or every compute entry of the specs in `depends_on`; sorted. */
  entries: string[];
  /** Blocked spec files in `depends_on`, whose entries cannot be resolved. */
  blockedSpecs: string[];
}

export type { Diagnostic, Entry, Spec };

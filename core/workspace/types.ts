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
  /** The results cache (option `cache`); SPECTHIS_CACHE_* override it at run time (core/workspace/cache-settings.ts). */
  cache?: CacheOptions;
}

/** The plugin option `cache`, as nx.json gives it (checked, defaults applied). */
export interface CacheOptions {
  /** `s3://bucket/prefix`, `file:///abs/path`, or a path relative to the workspace root. */
  url: string;
  region?: string;
  /** An S3-compatible server's endpoint, `https://…` (else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS). */
  endpoint?: string;
  /** Fetch entries from the cache before running them. Default true. */
  read: boolean;
  /** Push entries after a successful run. Default true. */
  write: boolean;
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

import { posix } from 'node:path';
import type { Entry, EntryFamily, Spec } from './spec/types';

/**
 * How specs and entries are named in Nx: projects from spec directories,
 * targets from entries. The target names are plugin options (as Nx's own
 * inferred plugins have `targetName` options), so a monorepo whose other
 * projects already have a `serve` target can call ours `specs-serve`.
 */
export interface TargetNames {
  /** Parent of compute entry targets; entry targets are `<compute>--<entry>`. */
  compute: string;
  /** Parent of report and figure entry targets, `<export>--<entry>`. */
  export: string;
  audit: string;
  dashboard: string;
  serve: string;
  /** The results cache's operations (status, push, fetch, has, list, prune) on the specsDir project. */
  cache: string;
  /** The team's Nx remote cache server (continuous) on the specsDir project. */
  cacheServer: string;
}

export const DEFAULT_TARGET_NAMES: TargetNames = {
  compute: 'compute',
  export: 'export',
  audit: 'audit',
  dashboard: 'dashboard',
  serve: 'serve',
  cache: 'cache',
  cacheServer: 'cache-server',
};

/** The plugin option that names each target (`computeTargetName`, …). */
export const TARGET_NAME_OPTIONS: Record<keyof TargetNames, string> = {
  compute: 'computeTargetName',
  export: 'exportTargetName',
  audit: 'auditTargetName',
  dashboard: 'dashboardTargetName',
  serve: 'serveTargetName',
  cache: 'cacheTargetName',
  cacheServer: 'cacheServerTargetName',
};

/** `specs` -> `specs`, `specs/models` -> `specs-models`: unique per directory and readable in `nx graph`. */
export function projectNameFor(dir: string): string {
  return dir.replace(/^\.\/?/, '').replace(/\//g, '-') || 'specs';
}

/** The project of the spec an entry (or a spec) is declared in. */
export function projectOf(file: string): string {
  return projectNameFor(posix.dirname(file));
}

/** `compute--fit-baseline`: `--` separates the family's target name from the entry name, which never holds `--`. */
export function entryTargetName(names: Pick<TargetNames, EntryFamily>, entry: Pick<Entry, 'family' | 'name'>): string {
  return `${names[entry.family]}--${entry.name}`;
}

/** The failing target of a spec with errors: `invalid--compute-wages`. */
export function invalidTargetName(spec: Pick<Spec, 'stem'>): string {
  return `invalid--${spec.stem}`;
}

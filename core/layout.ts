/**
 * Where everything the plugin reads and writes lives in a workspace: one
 * owner of every path (as Snakemake's `Persistence` is), so the run, the
 * audit, the watcher, the gitignore writer and the targets' outputs agree.
 * Workspace-relative POSIX paths; `inSpecsDir` places a file beside the specs.
 */

/** Machine-local state, gitignored: receipts, logs, caches, staging. Never committed. */
export const STATE_DIR = '.specthis';
/** One receipt per entry: what ran here, from which inputs (core/receipts/receipt.ts). */
export const RECEIPTS_DIR = `${STATE_DIR}/receipts`;
/** One log per entry, overwritten by each run (core/run/execute.ts). */
export const LOGS_DIR = `${STATE_DIR}/logs`;
/** Downloads and archives on their way in or out of the results cache: the workspace's file system, so a rename is atomic. */
export const STAGING_DIR = `${STATE_DIR}/staging`;
/** Caches of derived data that can be thrown away. */
export const LOCAL_CACHE_DIR = `${STATE_DIR}/cache`;

/** Where compute entries write their result directories, and report/figure entries their exports. */
export const RESULTS_DIR = 'results';
export const REPORTS_DIR = 'reports';

/** Files beside the specs (in specsDir). `_`-prefixed names are generated, never specs. */
export const LOCK_FILE = '_lock.json';
export const INDEX_FILE = '_index.json';
export const ROUTING_FILE = '_routing.json';
export const DASHBOARD_FILE = 'specs.html';
/** Generated files that are rewritten by `audit` and `dashboard`: ignored by Nx (`.nxignore`), never inputs. */
export const GENERATED_FILES = [INDEX_FILE, ROUTING_FILE, DASHBOARD_FILE] as const;

/** A path relative to specsDir as a workspace-relative one: `specs/_lock.json`, or `_lock.json` when specsDir is the workspace root. */
export function inSpecsDir(specsDir: string, rel: string): string {
  return specsDir === '.' || specsDir === '' ? rel : `${specsDir}/${rel}`;
}

export const lockFileRel = (specsDir: string): string => inSpecsDir(specsDir, LOCK_FILE);
export const receiptRel = (entry: string): string => `${RECEIPTS_DIR}/${entry}.json`;
export const logRel = (entry: string): string => `${LOGS_DIR}/${entry}.log`;

/** True for a path under `dir/` (not `dir` itself). */
export const isUnder = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);

import { join } from 'node:path';
// The narrow modules, not nx/src/devkit-internals (plugin/create-nodes.ts says why).
import { hashObject } from 'nx/src/hasher/file-hasher';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { packageVersion } from '../core/package';
import type { SpecthisOptions } from '../core/workspace/types';

/** Bump when the parser, the target shape or the cache layout changes, so stale caches are ignored. */
const CACHE_VERSION = 'specthis-nodes/8';

/** The cache version plus the installed plugin's version: upgrading the plugin never reuses an old result. */
export const CACHE_FORMAT = `${CACHE_VERSION} ${pluginVersion()}`;

/**
 * The plugin's two files in Nx's workspace data directory, one pair per set of
 * options: `graph`, what a warm createNodes returns, and `parses`, the parsed
 * specs by content hash (read on a miss, and by the run executor).
 */
export function cacheFiles(options: SpecthisOptions): { optionsHash: string; graph: string; parses: string } {
  const optionsHash = hashObject(options);
  return {
    optionsHash,
    graph: join(workspaceDataDirectory, `specthis.graph-${optionsHash}.json`),
    parses: join(workspaceDataDirectory, `specthis-${optionsHash}.json`),
  };
}

/** The installed @specthis/nx's version; a package that cannot be found still gets a graph, just never a cached one of another version. */
function pluginVersion(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

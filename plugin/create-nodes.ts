import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CreateNodes } from '@nx/devkit';
// The narrow modules, not nx/src/devkit-internals: a plugin worker has these loaded already,
// while devkit-internals pulls in ~130 more Nx modules (~0.2 s of worker CPU on every run).
import { hashObject } from 'nx/src/hasher/file-hasher';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { packageVersion } from '../core/package';
import { formatDiagnostic } from '../core/diagnostics/diagnostic';
import { isSpecFile, readOptions } from '../core/workspace/options';
import type { SpecthisOptions } from '../core/workspace/types';
import { readGraphCache, rememberEdges, writeGraphCache } from './spec-cache';
import { hashSpecFiles } from './spec-hashes';

// The warm path never loads the parser: it costs a plugin worker ~0.2 s of CPU.
const onMiss = () => require('./infer-nodes') as typeof import('./infer-nodes');

/** Bump when the parser, the target shape or the cache layout changes, so stale caches are ignored. */
const CACHE_VERSION = 'specthis-nodes/7';

/** The cache version plus the installed plugin's version: upgrading the plugin never reuses an old result. */
const VERSION = `${CACHE_VERSION} ${pluginVersion()}`;

/**
 * One project per spec directory. A warm run (same spec hashes, options and
 * plugin version as the last run) hashes the spec files (plugin/spec-hashes.ts)
 * and returns the result cached under that key, with no parsing. On a
 * miss, only the specs whose hash changed are parsed again.
 */
export const createNodes: CreateNodes<Partial<SpecthisOptions>> = [
  '**/*.md',
  async (files, rawOptions, context) => {
    const root = context.workspaceRoot;
    const { options, problems } = readOptions(rawOptions);
    // An option of the wrong form is nx.json's mistake, not a spec's: Nx stops on it and prints each problem.
    if (problems.length) throw new Error(problems.map((p) => formatDiagnostic(p, { specsDir: options.specsDir })).join('\n'));
    const specFiles = files.filter((f) => isSpecFile(f, options.specsDir)).sort();
    if (!specFiles.length) {
      rememberEdges(root, options, []);
      return [];
    }
    const hashes = hashSpecFiles(root, specFiles);
    const optionsHash = hashObject(options);
    const key = createHash('sha256')
      .update([VERSION, optionsHash, ...specFiles.flatMap((f, i) => [f, hashes[i]])].join('\0'))
      .digest('hex');
    // `specthis-<options>.json` holds the parses (read only on a miss); the graph file holds what a warm run returns.
    const graphPath = join(workspaceDataDirectory, `specthis.graph-${optionsHash}.json`);
    const warm = readGraphCache(graphPath, VERSION, key);
    if (warm) {
      rememberEdges(root, options, warm.edges);
      return warm.nodes;
    }
    const { nodes, edges, saveParses } = onMiss().inferGraph(
      root,
      specFiles,
      hashes,
      options,
      join(workspaceDataDirectory, `specthis-${optionsHash}.json`),
      VERSION,
    );
    rememberEdges(root, options, edges);
    // Written after Nx has the result: serializing 8 MB of caches took a quarter of a cold createNodes,
    // and while Nx merges every plugin's projects this worker would otherwise wait.
    pendingWrites = new Promise<void>((resolve) =>
      setImmediate(() => {
        writeGraphCache(graphPath, { version: VERSION, key, nodes, edges });
        saveParses();
        resolve();
      }),
    );
    return nodes;
  },
];

let pendingWrites: Promise<void> = Promise.resolve();

/** Resolves once the caches of the last cache miss are written (tests wait on it). */
export const cachesWritten = () => pendingWrites;

/** The installed @specthis/nx's version; a package that cannot be found still gets a graph, just never a cached one of another version. */
function pluginVersion(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

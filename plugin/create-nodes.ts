import { createHash } from 'node:crypto';
import type { CreateNodes } from '@nx/devkit';
import { formatDiagnostic } from '../core/diagnostics/diagnostic';
import { isSpecFile, readOptions } from '../core/workspace/options';
import type { SpecthisOptions } from '../core/workspace/types';
import { CACHE_FORMAT, cacheFiles } from './cache-files';
import { readGraphCache, writeGraphCache } from './spec-cache';
import { renamableDirectories } from './project-edges';
import { hashSpecFiles } from './spec-hashes';

// The warm path never loads the parser: it costs a plugin worker ~0.2 s of CPU.
const onMiss = () => require('./infer-nodes') as typeof import('./infer-nodes');

/**
 * One project per spec directory. A warm run (the same spec hashes, options,
 * plugin version and renamable directories, plugin/project-edges.ts, as the
 * last run) hashes the spec files (plugin/spec-hashes.ts) and returns the
 * result cached under that key, with no parsing. On a miss, only the specs
 * whose hash changed are parsed again.
 */
export const createNodes: CreateNodes<Partial<SpecthisOptions>> = [
  '**/*.md',
  async (files, rawOptions, context) => {
    const root = context.workspaceRoot;
    const { options, problems } = readOptions(rawOptions);
    // An option of the wrong form is nx.json's mistake, not a spec's: Nx stops on it and prints each problem.
    if (problems.length) throw new Error(problems.map((p) => formatDiagnostic(p, { specsDir: options.specsDir })).join('\n'));
    const specFiles = files.filter((f) => isSpecFile(f, options.specsDir)).sort();
    if (!specFiles.length) return [];
    const hashes = hashSpecFiles(root, specFiles);
    const renamable = renamableDirectories(root, specFiles, context.nxJsonConfiguration);
    const cache = cacheFiles(options);
    const key = createHash('sha256')
      .update([CACHE_FORMAT, cache.optionsHash, ...specFiles.flatMap((f, i) => [f, hashes[i]]), 'renamable', ...renamable].join('\0'))
      .digest('hex');
    const warm = readGraphCache(cache.graph, CACHE_FORMAT, key);
    if (warm) return warm.nodes;
    const { nodes, saveParses, settled } = onMiss().inferGraph(root, specFiles, hashes, options, renamable, cache.parses, CACHE_FORMAT);
    // Written after Nx has the result: serializing 8 MB of caches took a quarter of a cold createNodes,
    // and while Nx merges every plugin's projects this worker would otherwise wait.
    pendingWrites = new Promise<void>((resolve) =>
      setImmediate(() => {
        if (settled) writeGraphCache(cache.graph, { version: CACHE_FORMAT, key, nodes });
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

import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { CreateNodes, CreateNodesResultArray } from '@nx/devkit';
import { hashMultiGlobWithWorkspaceContext, hashObject, workspaceDataDirectory } from 'nx/src/devkit-internals';
import type { Spec } from '../core/spec/types';
import { isSpecFile, normalizeOptions } from '../core/workspace/options';
import type { SpecthisOptions } from '../core/workspace/types';
import { rememberSpecs } from './spec-cache';

// The warm path (every spec hash unchanged) never loads the parser: it costs a plugin worker ~0.2 s of CPU.
const onMiss = () => require('./infer-nodes') as typeof import('./infer-nodes');
const hashStrings = (parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');

/** Bump when the parser or the target shape changes, so stale caches are ignored. */
const CACHE_VERSION = 'specthis-nodes/3';

interface Cache {
  version: string;
  /** Spec file -> content hash and its parse. */
  specs: Record<string, { hash: string; spec: Spec }>;
  /** Hash over every spec hash and the options -> the whole result, for the warm path. */
  resultKey?: string;
  result?: CreateNodesResultArray;
}

export const createNodes: CreateNodes<Partial<SpecthisOptions>> = [
  '**/*.md',
  async (files, rawOptions, context) => {
    const options = normalizeOptions(rawOptions);
    const specFiles = files.filter((f) => isSpecFile(f, options.specsDir)).sort();
    if (!specFiles.length) return [];
    const hashes = await hashMultiGlobWithWorkspaceContext(context.workspaceRoot, specFiles.map((f) => [f]));
    const cachePath = join(workspaceDataDirectory, `specthis-${hashObject(options)}.json`);
    const cache = readCache(cachePath);
    const resultKey = hashStrings([CACHE_VERSION, hashObject(options), ...specFiles.flatMap((f, i) => [f, hashes[i]])]);
    if (cache.resultKey === resultKey && cache.result) {
      rememberSpecs(context.workspaceRoot, options, specFiles.map((f) => cache.specs[f].spec));
      return cache.result;
    }

    const specs: Spec[] = specFiles.map((file, i) => {
      const cached = cache.specs[file];
      return cached && cached.hash === hashes[i] ? cached.spec : onMiss().readSpec(context.workspaceRoot, file, options.specsDir);
    });
    rememberSpecs(context.workspaceRoot, options, specs);
    const result = onMiss().toNodes(specs, options);
    writeCache(cachePath, {
      version: CACHE_VERSION,
      specs: Object.fromEntries(specFiles.map((f, i) => [f, { hash: hashes[i], spec: specs[i] }])),
      resultKey,
      result,
    });
    return result;
  },
];

function readCache(path: string): Cache {
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as Cache;
    if (cache.version === CACHE_VERSION) return cache;
  } catch {
    // A missing or torn cache is only a slower run.
  }
  return { version: CACHE_VERSION, specs: {} };
}

function writeCache(path: string, cache: Cache): void {
  try {
    if (!existsSync(workspaceDataDirectory)) mkdirSync(workspaceDataDirectory, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cache));
    renameSync(tmp, path);
  } catch {
    // Read-only workspaces still get a graph.
  }
}

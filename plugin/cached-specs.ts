import type { Spec } from '../core/spec/types';
import type { SpecthisOptions } from '../core/workspace/types';
import { CACHE_FORMAT, cacheFiles } from './cache-files';
import { isParseCache, isSpec, readJson } from './spec-cache';
import { specHasher } from './spec-hashes';

/**
 * The specs createNodes parsed last, for a process that needs every spec (the
 * run executor, core/workspace/load.ts `loadWorkspace`): a spec is reused only
 * while its file still hashes as it did then (plugin/spec-hashes.ts, the hash
 * createNodes keys the cache by); any other is parsed again. A missing, torn or
 * foreign cache reuses nothing. One task no longer parses the whole workspace
 * when Nx has just parsed it.
 */
export function cachedSpecs(root: string, options: SpecthisOptions): (file: string) => Spec | undefined {
  const cached = readJson(cacheFiles(options).parses, isParseCache(CACHE_FORMAT))?.specs;
  if (!cached) return () => undefined;
  const hash = specHasher(root);
  return (file) => {
    const hit = Object.hasOwn(cached, file) ? cached[file] : undefined;
    return hit && isSpec(hit.spec) && hit.hash === hash(file) ? hit.spec : undefined;
  };
}

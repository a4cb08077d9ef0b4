import { ENTRY_NAME } from '../spec/entries';

/**
 * The results cache's keys inside a store (docs/architecture.md, "Results cache"): one archive and one
 * manifest per (run signature, entry). The manifest is written last, so its
 * presence marks a complete entry.
 */
export const CACHE_KEY_ROOT = 'cache';
const SIGNATURE = /^[0-9a-f]{64}$/;

export const archiveKey = (signature: string, entry: string): string => `${CACHE_KEY_ROOT}/${signature}/${entry}.tar.gz`;
export const manifestKey = (signature: string, entry: string): string => `${CACHE_KEY_ROOT}/${signature}/${entry}.manifest.json`;

export interface ParsedCacheKey {
  signature: string;
  entry: string;
  kind: 'archive' | 'manifest';
}

/** The (signature, entry, kind) a results-cache key stands for, or undefined for any other key. */
export function parseCacheKey(key: string): ParsedCacheKey | undefined {
  const m = /^cache\/([0-9a-f]{64})\/(.+)\.(tar\.gz|manifest\.json)$/.exec(key);
  if (!m || !ENTRY_NAME.test(m[2])) return undefined;
  return { signature: m[1], entry: m[2], kind: m[3] === 'tar.gz' ? 'archive' : 'manifest' };
}

/** Why (signature, entry) cannot name a cache entry, or undefined when they can. */
export function entryKeyProblem(signature: string, entry: string): string | undefined {
  if (!SIGNATURE.test(signature)) return `signature "${signature}" is not 64 lowercase hex digits`;
  if (!ENTRY_NAME.test(entry)) return `entry name "${entry}" is not a valid entry name`;
  return undefined;
}

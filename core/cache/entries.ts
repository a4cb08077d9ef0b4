import { archiveKey, CACHE_KEY_ROOT, entryKeyProblem, manifestKey, parseCacheKey } from './keys';
import type { CacheStore } from './store';

/** One (signature, entry) of the results cache as its keys show it; no manifest is downloaded. */
export interface CachedEntry {
  entry: string;
  signature: string;
  /** Archive size in bytes; undefined when only the manifest is there. */
  archiveBytes: number | undefined;
  /** ISO time of the newest of its two objects: when it was pushed. */
  lastModified: string;
  /** Manifest and archive both there: what `has` and a fetch need. */
  complete: boolean;
}

/** True when the entry is complete in the store: its manifest and its archive exist (the manifest is written last). */
export async function hasEntry(store: CacheStore, signature: string, entry: string): Promise<boolean> {
  if (entryKeyProblem(signature, entry)) return false;
  return (await store.has(manifestKey(signature, entry))) && (await store.has(archiveKey(signature, entry)));
}

/** Every entry under `cache/`, from one listing, sorted by entry then signature. Throws CacheStoreError as the store does. */
export async function listEntries(store: CacheStore): Promise<CachedEntry[]> {
  const byId = new Map<string, CachedEntry & { hasManifest: boolean }>();
  for (const o of await store.list(`${CACHE_KEY_ROOT}/`)) {
    const k = parseCacheKey(o.key);
    if (!k) continue;
    const id = `${k.entry}\n${k.signature}`;
    const e = byId.get(id) ?? {
      entry: k.entry,
      signature: k.signature,
      archiveBytes: undefined,
      lastModified: '',
      complete: false,
      hasManifest: false,
    };
    if (k.kind === 'archive') e.archiveBytes = o.size;
    else e.hasManifest = true;
    if (o.lastModified > e.lastModified) e.lastModified = o.lastModified;
    e.complete = e.hasManifest && e.archiveBytes !== undefined;
    byId.set(id, e);
  }
  return [...byId.values()]
    .map(({ hasManifest: _, ...e }) => e)
    .sort((a, b) =>
      a.entry !== b.entry ? (a.entry < b.entry ? -1 : 1) : a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0,
    );
}

export interface PruneResult {
  deleted: CachedEntry[];
  kept: number;
}

/**
 * Deletes every entry pushed more than `days` ago (age is time since push: a
 * store keeps no access times), incomplete ones included. The manifest goes
 * first, so a fetch racing the prune sees a miss, never half an entry.
 * Throws a RangeError for a negative or non-finite `days`, CacheStoreError as the store does.
 */
export async function pruneOlderThan(store: CacheStore, days: number, now: Date = new Date()): Promise<PruneResult> {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`prune age must be a non-negative number of days, not ${days}`);
  const cutoff = now.getTime() - days * 86_400_000;
  const deleted: CachedEntry[] = [];
  let kept = 0;
  for (const e of await listEntries(store)) {
    if (Date.parse(e.lastModified) >= cutoff) {
      kept++;
      continue;
    }
    await store.delete(manifestKey(e.signature, e.entry));
    await store.delete(archiveKey(e.signature, e.entry));
    deleted.push(e);
  }
  return { deleted, kept };
}

/**
 * The results cache (docs/architecture.md, "Results cache") as a library: stores, URL parsing, push,
 * verified fetch, listing and pruning. The run executor and the CLI call these;
 * nothing here knows about Nx.
 *
 *     const parsed = parseCacheUrl(url, root);               // never throws
 *     if (!parsed.ok) ...                                      // { problem, expected, received }
 *     const store = openStore(parsed.location, { s3: { region, endpoint } });
 *     const got = await fetchEntry({ root, store, entry, signature, roots });   // never throws
 *     const put = await pushEntry({ root, store, entry, signature, receipt, roots, toolVersion });
 *     store.close();
 */
export { parseCacheUrl, CACHE_URL_FORMS, type CacheLocation, type CacheUrlProblem, type ParsedCacheUrl } from '../workspace/cache-url';
export { openStore, type OpenStoreOptions } from './open';
export type { CacheStore, CacheObject, Downloaded, PutResult } from './store';
export { DirectoryStore, type DirectoryStoreOptions } from './dir-store';
export { S3Store, S3_STORE_DEFAULTS, type S3StoreOptions } from './s3-store';
export { CacheStoreError, type StoreErrorCategory } from './errors';
export { archiveKey, manifestKey, parseCacheKey } from './keys';
export { MANIFEST_FORMAT, type Manifest, type ManifestFile } from './manifest';
export { pushEntry, ORPHAN_AGE_MS, type PushEntryOptions, type PushRefusal, type PushResult } from './push';
export { fetchEntry, type FetchEntryOptions, type FetchMissCategory, type FetchResult } from './fetch';
export { hasEntry, listEntries, pruneOlderThan, type CachedEntry, type PruneResult } from './entries';
export { STAGING_DIR } from './staging';
export { DEFAULT_GZIP_LEVEL } from './archive';

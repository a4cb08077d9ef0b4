import { DirectoryStore, type DirectoryStoreOptions } from './dir-store';
import { S3Store, type S3StoreOptions } from './s3-store';
import type { CacheStore } from './store';
import type { CacheLocation } from '../workspace/cache-url';

export interface OpenStoreOptions {
  s3?: S3StoreOptions;
  directory?: DirectoryStoreOptions;
}

/**
 * The store for a parsed location (core/cache/url.ts `parseCacheUrl`). Opening
 * does no I/O; the first call finds out whether the store is there. Throws a
 * `CacheStoreError` of category `config` only for a malformed endpoint.
 */
export function openStore(location: CacheLocation, options: OpenStoreOptions = {}): CacheStore {
  return location.kind === 's3'
    ? new S3Store(location.bucket, location.prefix, options.s3)
    : new DirectoryStore(location.path, options.directory);
}

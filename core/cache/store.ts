import { KEY_SEGMENT } from '../workspace/cache-url';

/** One object of a store, as `list` reports it. */
export interface CacheObject {
  /** Relative to the store's root or prefix, `/`-separated. */
  key: string;
  size: number;
  /** ISO 8601, from the store's own clock. */
  lastModified: string;
}

/** What a no-overwrite write found: the first writer stores, every later one sees `exists`. */
export type PutResult = 'stored' | 'exists';

/** What a download wrote: the byte count and the SHA-256 of the bytes as they arrived (never the store's ETag). */
export interface Downloaded {
  size: number;
  sha256: string;
}

/**
 * A content store behind the results cache (docs/architecture.md, "Results cache"), generic over keys so
 * the same stores can hold Nx artefacts under `nx/<hash>` later. Keys are
 * `/`-separated segments of letters, digits, `.`, `_` and `-` (see `checkKey`),
 * relative to the store's folder or bucket prefix.
 *
 * Every method either answers or throws a `CacheStoreError` (core/cache/errors.ts)
 * whose category says what kind of failure it was; nothing hangs (the S3 store
 * bounds every call, core/cache/s3-store.ts).
 */
export interface CacheStore {
  /** Display form (`file:///…`, `s3://bucket/prefix`), never credentials. */
  readonly url: string;
  has(key: string): Promise<boolean>;
  /** Streams the object to `dest` (created or truncated); undefined when absent; refuses (category `too-large`) more than maxBytes. */
  getToFile(key: string, dest: string, maxBytes: number): Promise<Downloaded | undefined>;
  getBytes(key: string, maxBytes: number): Promise<Buffer | undefined>;
  /** Never overwrites: `exists` when the key is already there, whoever wrote it. */
  putFile(key: string, src: string): Promise<PutResult>;
  putBytes(key: string, bytes: Uint8Array): Promise<PutResult>;
  /**
   * Stores what `body` yields, of a length not known in advance; a body that
   * fails stores nothing. Lets a push upload an archive while it is being made
   * (core/cache/push.ts), instead of after.
   */
  putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<PutResult>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<CacheObject[]>;
  /** Removes the object; absent is fine (pruning races with other pruners). */
  delete(key: string): Promise<void>;
  /** Releases sockets and the like; the store is not used afterwards. */
  close(): void;
}

/** Why `key` is not a valid store key, or undefined when it is. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  const bad = key.split('/').find((s) => !KEY_SEGMENT.test(s));
  return bad === undefined
    ? undefined
    : `key ${JSON.stringify(key)} has a segment ${JSON.stringify(bad)} that is not letters, digits, ".", "_" and "-" (no leading ".")`;
}

/** Why `prefix` is not a valid list prefix: like a key, but it may be empty and may end in "/" or inside a segment. */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const segments = prefix.split('/');
  const last = segments.pop() ?? '';
  const bad = segments.find((s) => !KEY_SEGMENT.test(s)) ?? (last === '' || KEY_SEGMENT.test(last) ? undefined : last);
  return bad === undefined
    ? undefined
    : `prefix ${JSON.stringify(prefix)} has a segment ${JSON.stringify(bad)} that is not letters, digits, ".", "_" and "-" (no leading ".")`;
}

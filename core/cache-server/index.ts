/**
 * The team's Nx remote cache (docs/decisions.md, "Nx remote cache"): Nx 24's
 * self-hosted cache API over a results-cache store (core/cache), with
 * read-write and read-only tokens. `specthis cache-server` and the
 * `cache-server` executor call openCacheServer; tests and the bench call
 * startCacheServer with a store of their own.
 *
 *     const running = await startCacheServer({ store, port: 0, tokens: { write: [ci], read: [prs] }, log });
 *     // NX_SELF_HOSTED_REMOTE_CACHE_SERVER=running.url
 *     await running.close();
 */
export {
  startCacheServer,
  isLoopbackHost,
  CacheServerError,
  CACHE_SERVER_DEFAULTS,
  MIN_STORE_RATE,
  type CacheServerLog,
  type CacheServerOptions,
  type RunningCacheServer,
} from './server';
export { openCacheServer, STORE_URL_ENV, type OpenCacheServerOptions, type OpenedCacheServer } from './open';
export { tokensFromEnv, TokenChecker, WRITE_TOKENS_ENV, READ_TOKENS_ENV, type TokenList, type TokenLists } from './tokens';
export { archiveKey, recordKey, recordBytes, parseRecord, NX_HASH, NX_KEY_ROOT, RECORD_FORMAT, type NxRecord } from './keys';
export { nxArchiveProblem } from './nx-archive';

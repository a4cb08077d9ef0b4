import { CacheStoreError, errorText } from '../cache/errors';
import { openStore } from '../cache/open';
import type { CacheStore } from '../cache/store';
import { CACHE_URL_FORMS, parseCacheUrl } from '../workspace/cache-url';
import { withDeadline } from './deadline';
import { recordKey } from './keys';
import { CacheServerError, isLoopbackHost, startCacheServer, type CacheServerLog, type RunningCacheServer } from './server';
import { READ_TOKENS_ENV, tokensFromEnv, WRITE_TOKENS_ENV } from './tokens';

/** The store URL when no `--store` is given: the results cache's own variable (docs: DESIGN §8). */
export const STORE_URL_ENV = 'SPECTHIS_CACHE_URL';

export interface OpenCacheServerOptions {
  /** `--store`; default the environment's SPECTHIS_CACHE_URL. */
  store?: string;
  /** Relative directory stores are relative to this (the workspace root, or the current directory). */
  root: string;
  host?: string;
  port?: number;
  maxSize?: number;
  noAuth?: boolean;
  /** S3 region and endpoint; default the standard AWS variables (AWS_REGION, AWS_ENDPOINT_URL_S3). */
  region?: string;
  endpoint?: string;
  /** Tokens and the store URL are read from here; default process.env. */
  env?: NodeJS.ProcessEnv;
  log: CacheServerLog;
}

export interface OpenedCacheServer extends RunningCacheServer {
  /** The store's display URL (never credentials). */
  storeUrl: string;
  /** The one line a front end prints once it listens: where, over what, with which tokens, and what Nx needs. */
  banner: string;
  /** Closes the server, then the store. */
  close(): Promise<void>;
}

/**
 * `specthis cache-server` and the `cache-server` executor: the store from its
 * URL, the tokens from the environment, a first look at the store, then the
 * server. Throws CacheServerError with one line to print: `kind` `config` for
 * what the command line or the environment got wrong, `store` for a store that
 * is not there (no folder, no bucket, no credentials). A listen error is
 * rethrown as it is, for core/serve/listen-failure.ts to word.
 */
export async function openCacheServer(options: OpenCacheServerOptions): Promise<OpenedCacheServer> {
  const env = options.env ?? process.env;
  const url = options.store ?? env[STORE_URL_ENV];
  if (url === undefined || url.trim() === '')
    throw new CacheServerError(`no store: pass --store (${CACHE_URL_FORMS}) or set ${STORE_URL_ENV}`);
  const parsed = parseCacheUrl(url, options.root);
  if (!parsed.ok)
    throw new CacheServerError(`--store: ${parsed.problem} (expected ${parsed.expected}; got ${JSON.stringify(parsed.received)})`);
  const { tokens, problems } = tokensFromEnv(env);
  if (problems.length) throw new CacheServerError(problems[0]);
  let store: CacheStore;
  try {
    store = openStore(parsed.location, { s3: { region: options.region, endpoint: options.endpoint, env } });
  } catch (error) {
    throw new CacheServerError(errorText(error));
  }
  let running: RunningCacheServer;
  try {
    await probe(store, options.log);
    running = await startCacheServer({
      store,
      host: options.host,
      port: options.port,
      maxSize: options.maxSize,
      noAuth: options.noAuth,
      tokens: options.noAuth ? undefined : tokens,
      log: options.log,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const who = options.noAuth
    ? 'no tokens: anyone on this machine may read and write'
    : `${tokens.write.length} write and ${tokens.read.length} read token${tokens.read.length === 1 ? '' : 's'} (${WRITE_TOKENS_ENV}, ${READ_TOKENS_ENV})`;
  if (!isLoopbackHost(running.host))
    options.log.info(
      `specthis cache-server: tokens cross the network in clear over http://; put a TLS proxy in front (README, "The team's Nx remote cache")`,
    );
  return {
    ...running,
    storeUrl: store.url,
    banner: `specthis cache-server: serving ${store.url} at ${running.url}, ${who}; Nx needs NX_SELF_HOSTED_REMOTE_CACHE_SERVER=${running.url} (Ctrl-C stops it)`,
    close: async () => {
      await running.close();
      store.close();
    },
  };
}

/** Store errors that no retry mends: the server refuses to start on them rather than answer every GET with a miss. */
const FATAL = new Set(['no-bucket', 'config', 'credentials', 'denied']);
const PROBE_MS = 10_000;

/**
 * One look at the store before listening: a missing folder or bucket, absent
 * credentials or a refusal are said at once; a store that is only slow or
 * down now is said too, and the server starts anyway (its answers are misses
 * until the store is back).
 */
async function probe(store: CacheStore, log: CacheServerLog): Promise<void> {
  const work = withDeadline(PROBE_MS, () => store.has(recordKey('0')));
  try {
    await work.result;
  } catch (error) {
    if (error instanceof CacheStoreError && FATAL.has(error.category)) throw new CacheServerError(error.message, { cause: error }, 'store');
    log.error(
      `specthis cache-server: the store does not answer now (${errorText(error)}); starting anyway, every GET is a miss until it does`,
    );
  }
}

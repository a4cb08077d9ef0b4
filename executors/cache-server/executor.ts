import type { ExecutorContext } from '@nx/devkit';
import { CACHE_SERVER_DEFAULTS, CacheServerError, openCacheServer } from '../../core/cache-server';
import { processLog, untilStopped, type ContinuousResult } from '../continuous';
import type { CacheServerExecutorSchema } from './schema';

/**
 * `@specthis/nx:cache-server`, a continuous target like `serve`
 * (executors/serve/executor.ts): yields success once the server listens,
 * with Nx's ready signal for `readyWhen: { signal: true }`, then stays up until
 * Nx or the user stops the process, and closes the server and the store before
 * returning. The store comes from the options given on the command line or
 * SPECTHIS_CACHE_URL, never from the target's configuration, which Nx hashes.
 */
export default async function* cacheServerExecutor(
  options: CacheServerExecutorSchema,
  context: Pick<ExecutorContext, 'root'>,
): AsyncGenerator<ContinuousResult> {
  const host = options.host ?? CACHE_SERVER_DEFAULTS.host;
  const port = options.port ?? CACHE_SERVER_DEFAULTS.port;
  yield* untilStopped(
    'cache-server',
    { host, port },
    () =>
      openCacheServer({
        store: options.store,
        root: context.root,
        host,
        port,
        maxSize: options.maxSize,
        noAuth: options.noAuth,
        region: options.region,
        endpoint: options.endpoint,
        log: processLog,
      }),
    (handle) => handle.banner,
    (error) => (error instanceof CacheServerError ? error.message : undefined),
  );
}

import type { ExecutorContext } from '@nx/devkit';
import { CACHE_SERVER_DEFAULTS, CacheServerError, openCacheServer, type OpenedCacheServer } from '../../core/cache-server';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { listenFailure, waitForSignal } from '../../core/serve';
import type { CacheServerExecutorSchema } from './schema';

type Result = { success: boolean; baseUrl?: string };

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
): AsyncGenerator<Result> {
  const host = options.host ?? CACHE_SERVER_DEFAULTS.host;
  const port = options.port ?? CACHE_SERVER_DEFAULTS.port;
  let handle: OpenedCacheServer;
  try {
    handle = await openCacheServer({
      store: options.store,
      root: context.root,
      host,
      port,
      maxSize: options.maxSize,
      noAuth: options.noAuth,
      region: options.region,
      endpoint: options.endpoint,
      log: { info: (line) => void process.stdout.write(`${line}\n`), error: (line) => void process.stderr.write(`${line}\n`) },
    });
  } catch (error) {
    const reason = error instanceof CacheServerError ? error.message : listenFailure(error, host, port);
    process.stderr.write(
      `${reason ? `specthis cache-server: ${reason}` : describeUnexpected('cache-server', error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`,
    );
    yield { success: false };
    return;
  }
  const stop = waitForSignal();
  process.stdout.write(`${handle.banner}\n`);
  signalReady(handle);
  try {
    yield { success: true, baseUrl: handle.url };
    await stop.received;
  } finally {
    stop.cancel();
    await handle.close();
  }
}

/** For a target with `readyWhen: { signal: true }`; @nx/devkit is loaded only when Nx asked for the signal. */
function signalReady(handle: OpenedCacheServer): void {
  if (!process.env.NX_READY_SIGNAL_SOCKET) return;
  (require('@nx/devkit') as typeof import('@nx/devkit')).emitReadySignal(handle.server);
}

import type { ExecutorContext } from '@nx/devkit';
import { DEFAULT_HOST, DEFAULT_PORT, listenFailure, serveDashboard, waitForSignal, type ServeHandle } from '../../core/serve';
import { describeUnexpected, nxVerbose } from '../../core/diagnostics/unexpected';
import { workspaceOptions } from '../workspace-options';
import type { ServeExecutorSchema } from './schema';

type Result = { success: boolean; baseUrl?: string };

/**
 * `@specthis/nx:serve`, a continuous target: yields success once the server
 * listens (Nx then starts the tasks that wait on it), then stays alive until
 * Nx or the user stops the process (SIGINT/SIGTERM), and closes the server
 * and the watcher before returning.
 */
export default async function* serveExecutor(
  options: ServeExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
): AsyncGenerator<Result> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const workspace = workspaceOptions(context, (line) => process.stderr.write(`${line}\n`));
  if (!workspace) {
    yield { success: false };
    return;
  }
  let handle: ServeHandle;
  try {
    handle = await serveDashboard(context.root, workspace, {
      host,
      port,
      debounceMs: options.debounceMs,
      log: { info: (line) => void process.stdout.write(`${line}\n`), error: (line) => void process.stderr.write(`${line}\n`) },
    });
  } catch (error) {
    const reason = listenFailure(error, host, port);
    process.stderr.write(
      `${reason ? `specthis serve: ${reason}` : describeUnexpected('serve', error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`,
    );
    yield { success: false };
    return;
  }
  const stop = waitForSignal();
  process.stdout.write(`specthis serve: the live dashboard is at ${handle.url} (Ctrl-C stops it)\n`);
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
function signalReady(handle: ServeHandle): void {
  if (!process.env.NX_READY_SIGNAL_SOCKET) return;
  (require('@nx/devkit') as typeof import('@nx/devkit')).emitReadySignal(handle.server);
}

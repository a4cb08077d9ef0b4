import type { ExecutorContext } from '@nx/devkit';
import { DEFAULT_HOST, DEFAULT_PORT, serveDashboard } from '../../core/serve';
import { processLog, untilStopped, type ContinuousResult } from '../continuous';
import { workspaceOptions } from '../workspace-options';
import type { ServeExecutorSchema } from './schema';

/**
 * `@specthis/nx:serve`, a continuous target: yields success once the server
 * listens (Nx then starts the tasks that wait on it), then stays alive until
 * Nx or the user stops the process (SIGINT/SIGTERM), and closes the server
 * and the watcher before returning.
 */
export default async function* serveExecutor(
  options: ServeExecutorSchema,
  context: Pick<ExecutorContext, 'root' | 'nxJsonConfiguration'>,
): AsyncGenerator<ContinuousResult> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const workspace = workspaceOptions(context, (line) => process.stderr.write(`${line}\n`));
  if (!workspace) {
    yield { success: false };
    return;
  }
  yield* untilStopped(
    'serve',
    { host, port },
    () => serveDashboard(context.root, workspace, { host, port, debounceMs: options.debounceMs, log: processLog }),
    (handle) => `specthis serve: the live dashboard is at ${handle.url} (Ctrl-C stops it)`,
  );
}

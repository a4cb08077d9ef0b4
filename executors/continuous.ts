import type { Server } from 'node:net';
import { describeUnexpected, nxVerbose } from '../core/diagnostics/unexpected';
import { listenFailure, waitForSignal } from '../core/serve';

export type ContinuousResult = { success: boolean; baseUrl?: string };

/** What a continuous target starts: a listening server with its URL, closed when the target stops. */
export interface Listening {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The life of a continuous target (`serve`, `cache-server`): start the server;
 * when it cannot listen, one line that says why (`explain` first, then the
 * common listen failures) and a failure; otherwise print `banner`, give Nx its
 * ready signal for `readyWhen: { signal: true }`, yield success with the base
 * URL (Nx then starts the tasks that wait on it), stay up until SIGINT/SIGTERM,
 * and close the server before returning.
 */
export async function* untilStopped<H extends Listening>(
  command: string,
  at: { host: string; port: number },
  start: () => Promise<H>,
  banner: (handle: H) => string,
  explain: (error: unknown) => string | undefined = () => undefined,
): AsyncGenerator<ContinuousResult> {
  let handle: H;
  try {
    handle = await start();
  } catch (error) {
    const reason = explain(error) ?? listenFailure(error, at.host, at.port);
    process.stderr.write(
      `${reason ? `specthis ${command}: ${reason}` : describeUnexpected(command, error, { verbose: nxVerbose(), more: 'NX_VERBOSE_LOGGING=true' })}\n`,
    );
    yield { success: false };
    return;
  }
  const stop = waitForSignal();
  process.stdout.write(`${banner(handle)}\n`);
  signalReady(handle.server);
  try {
    yield { success: true, baseUrl: handle.url };
    await stop.received;
  } finally {
    stop.cancel();
    await handle.close();
  }
}

/** @nx/devkit is loaded only when Nx asked for the signal. */
function signalReady(server: Server): void {
  if (!process.env.NX_READY_SIGNAL_SOCKET) return;
  (require('@nx/devkit') as typeof import('@nx/devkit')).emitReadySignal(server);
}

/** A target's log lines to the process's own streams, where Nx shows them. */
export const processLog = {
  info: (line: string) => void process.stdout.write(`${line}\n`),
  error: (line: string) => void process.stderr.write(`${line}\n`),
};

import type { Server } from 'node:http';
import { LiveBuild, type Render, type ServeLog } from './live-build';
import { startServer } from './server';
import { watchWorkspace } from './watcher';

export interface ServeOptions {
  host?: string;
  /** Default 8765; 0 picks a free port. */
  port?: number;
  /** Quiet time after the last change before a rebuild. Default DEFAULT_DEBOUNCE_MS (40 ms). */
  debounceMs?: number;
  keepaliveMs?: number;
  log?: ServeLog;
}

export interface ServeHandle {
  url: string;
  host: string;
  port: number;
  server: Server;
  live: LiveBuild;
  /** Resolves when the watcher has scanned the workspace. */
  watching: Promise<void>;
  close(): Promise<void>;
}

export const STDERR_LOG: ServeLog = {
  info: (line) => void process.stderr.write(`${line}\n`),
  error: (line) => void process.stderr.write(`${line}\n`),
};

/**
 * The live dashboard: watch the workspace, render once, listen. The watcher
 * starts before the first render so an edit made while it runs is not lost.
 * Serves from memory; it never writes specs.html (the `dashboard` target does).
 */
export async function serveWorkspace(root: string, specsDir: string, render: Render, options: ServeOptions = {}): Promise<ServeHandle> {
  const log = options.log ?? STDERR_LOG;
  const live = new LiveBuild(render, log, options.debounceMs);
  const watcher = watchWorkspace(
    root,
    specsDir,
    (rel, structural) => live.notify(rel, structural),
    (error) => log.error(`specthis serve: watching ${root} failed: ${error.message}`),
  );
  await live.start();
  let running;
  try {
    running = await startServer({ root, live, host: options.host, port: options.port, keepaliveMs: options.keepaliveMs });
  } catch (error) {
    live.close();
    await watcher.close();
    throw error;
  }
  const server = running;
  // One line when the initial scan is done: tests and the bench wait on it rather than sleeping.
  void watcher.ready.then(() => log.info(`specthis serve: watching ${watcher.count()} paths in ${root} for changes`));
  return {
    url: server.url,
    host: server.host,
    port: server.port,
    server: server.server,
    live,
    watching: watcher.ready,
    close: async () => {
      live.close();
      await Promise.all([watcher.close(), server.close()]);
    },
  };
}

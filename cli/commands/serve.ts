import { DEFAULT_DEBOUNCE_MS, DEFAULT_HOST, DEFAULT_PORT, listenFailure, serveDashboard, waitForSignal } from '../../core/serve';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import { findWorkspaceRoot, workspaceOptions } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, host: { type: 'string' }, port: { type: 'string' }, debounce: { type: 'string' } } as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the live dashboard on http://127.0.0.1:8765 until stopped',
  help: `Usage: specthis serve [--host <h>] [--port <p>] [--debounce <ms>] [--specs-dir <dir>]

Serves the dashboard from memory and keeps it live: when specs, scripts,
outputs, the lock, receipts or host documents change, it re-renders and open
pages reload. A render that fails keeps the last good page and prints why.
Only the page and the outputs the specs declare are served (JSON and text
shown escaped, images and PDFs raw); requests must be addressed to
localhost, 127.0.0.1 or [::1]. Nothing is written to disk (\`specthis
dashboard\` writes specs.html). Runs until Ctrl-C. Inside Nx:
\`nx run <specs-project>:serve\`.

Options:
  --host <h>         address to listen on (default ${DEFAULT_HOST})
  --port <p>         port (default ${DEFAULT_PORT}); 0 picks a free one
  --debounce <ms>    quiet time after a change before re-rendering (default ${DEFAULT_DEBOUNCE_MS})
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
serve exits 0 when stopped, 2 when it cannot listen on the address asked for.`,

  async run(args, io) {
    const { values } = parseCommand('serve', args, OPTIONS, 0);
    const port = integer('port', values.port, DEFAULT_PORT, 65535);
    const debounceMs = integer('debounce', values.debounce, DEFAULT_DEBOUNCE_MS, 60_000);
    const host = values.host ?? DEFAULT_HOST;
    const root = findWorkspaceRoot(io.cwd);
    const options = workspaceOptions(root, values['specs-dir']);
    const out = lines(io.stdout);
    // Listen for signals before listening on the port, so a stop during startup still closes cleanly.
    const stop = waitForSignal();
    let handle;
    try {
      handle = await serveDashboard(root, options, {
        host,
        port,
        debounceMs,
        log: { info: (l) => out(l), error: (l) => lines(io.stderr)(l) },
      });
    } catch (error) {
      stop.cancel();
      const reason = listenFailure(error, host, port);
      throw reason ? usageError(`specthis serve: ${reason}`) : error;
    }
    out(`specthis serve: the live dashboard is at ${handle.url} (Ctrl-C stops it)`);
    const signal = await stop.received;
    out(`specthis serve: ${signal}, stopping`);
    await handle.close();
    return EXIT.ok;
  },
};

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw usageError(`specthis serve: --${name} is a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

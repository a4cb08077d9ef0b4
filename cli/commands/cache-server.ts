import {
  CACHE_SERVER_DEFAULTS,
  CacheServerError,
  openCacheServer,
  READ_TOKENS_ENV,
  STORE_URL_ENV,
  WRITE_TOKENS_ENV,
} from '../../core/cache-server';
import { CACHE_URL_FORMS } from '../../core/cache';
import { listenFailure, waitForSignal } from '../../core/serve';
import { parseCommand } from '../args';
import { lines, type Command } from '../command';
import { CliError, EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import { findWorkspaceRoot } from '../workspace';

const OPTIONS = {
  store: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'max-size': { type: 'string' },
  'no-auth': { type: 'boolean' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

export const cacheServerCommand: Command = {
  name: 'cache-server',
  summary: "serve the team's Nx remote cache over a cache store until stopped",
  help: `Usage: specthis cache-server --store <url> [--host <h>] [--port <p>] [--max-size <bytes>] [--no-auth]

Serves Nx 24's self-hosted remote cache (GET and PUT /v1/cache/<hash>) over
a results-cache store, the artefacts under <prefix>/nx/. Point Nx at it with
NX_SELF_HOSTED_REMOTE_CACHE_SERVER=http://<host>:<port> and a token in
NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN. Tokens come from the environment,
comma-separated: ${WRITE_TOKENS_ENV} read and write
(CI on the protected branch), ${READ_TOKENS_ENV} only read
(pull requests, laptops). A store that fails or is slow is a cache miss,
never an error; an upload that is not stored is answered 403, which Nx
accepts. One line per request on stdout. Runs until Ctrl-C. Inside Nx:
\`nx run <specs-project>:cache-server --store=<url>\`.

Options:
  --store <url>       ${CACHE_URL_FORMS}
                      (default: ${STORE_URL_ENV})
  --host <h>          address to listen on (default ${CACHE_SERVER_DEFAULTS.host})
  --port <p>          port (default ${CACHE_SERVER_DEFAULTS.port}); 0 picks a free one
  --max-size <bytes>  largest upload stored (default 1g); k, m, g suffixes are powers of 1024
  --no-auth           no tokens: anyone may read and write; only on a loopback host
  --region <r>        S3 region (default AWS_REGION)
  --endpoint <url>    S3-compatible endpoint (default AWS_ENDPOINT_URL_S3)
  -h, --help          this help

${EXIT_CODES_HELP}
cache-server exits 0 when stopped; 2 when the command line or the tokens are
wrong or it cannot listen; 3 when the store is not there (no folder, no
bucket, no credentials).`,

  async run(args, io) {
    const { values } = parseCommand('cache-server', args, OPTIONS, 0);
    const port = values.port === undefined ? CACHE_SERVER_DEFAULTS.port : portNumber(values.port);
    const maxSize = values['max-size'] === undefined ? undefined : byteSize(values['max-size']);
    const host = values.host ?? CACHE_SERVER_DEFAULTS.host;
    const out = lines(io.stdout);
    const err = lines(io.stderr);
    // Listen for signals before listening on the port, so a stop during startup still closes cleanly.
    const stop = waitForSignal();
    let handle;
    try {
      handle = await openCacheServer({
        store: values.store,
        root: findWorkspaceRoot(io.cwd),
        host,
        port,
        maxSize,
        noAuth: values['no-auth'],
        region: values.region,
        endpoint: values.endpoint,
        log: { info: (l) => out(l), error: (l) => err(l) },
      });
    } catch (error) {
      stop.cancel();
      if (error instanceof CacheServerError)
        throw new CliError(`specthis cache-server: ${error.message}`, error.kind === 'store' ? EXIT.workspace : EXIT.usage);
      const reason = listenFailure(error, host, port);
      throw reason ? usageError(`specthis cache-server: ${reason}`) : error;
    }
    out(handle.banner);
    const signal = await stop.received;
    out(`specthis cache-server: ${signal}, stopping`);
    await handle.close();
    return EXIT.ok;
  },
};

function portNumber(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw usageError(`specthis cache-server: --port is a whole number from 0 to 65535, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** `1048576`, `512k`, `100m`, `2g` (powers of 1024, either case). */
function byteSize(raw: string): number {
  const m = /^(\d{1,15})([kmg]?)$/i.exec(raw.trim());
  const bytes = m ? Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase()) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw usageError(
      `specthis cache-server: --max-size is a positive number of bytes, optionally with k, m or g; got ${JSON.stringify(raw)}`,
    );
  return bytes;
}

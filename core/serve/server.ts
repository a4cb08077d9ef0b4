import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStream } from './event-stream';
import { allowedHosts, COMMON_HEADERS, hostAllowed, PAGE_CSP, SVG_CSP, VIEW_CSP } from './http-policy';
import type { LiveBuild } from './live-build';
import { readOutput } from './output-file';
import { outputPage, renderErrorPage } from './pages';
import { declaredPath, FILES_PREFIX } from './request-path';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8765;
export const EVENTS_PATH = '/_specthis/events';
/** The Server-Timing metric that carries the served page's build number. */
export const BUILD_TIMING = 'specthis-build';

export interface ServerOptions {
  root: string;
  live: LiveBuild;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  keepaliveMs?: number;
}

export interface RunningServer {
  /** `http://<host>:<port>/`, with the bound port. */
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * The live dashboard's HTTP server (docs/architecture.md, "Dashboard"). It answers only GET and
 * HEAD, only to local Host names, and serves exactly three things: the last
 * good page at `/`, the reload event stream, and the current build's declared
 * outputs under `/files/`. Nothing else on disk is reachable.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const events = new EventStream(options.keepaliveMs);
  const unsubscribe = options.live.onReload((version) => events.reload(version));
  let allowed = new Set<string>();
  const server = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hostAllowed(req.headers.host, allowed))
      return plain(
        req,
        res,
        403,
        'forbidden: this server answers only requests addressed to localhost, 127.0.0.1 or [::1] with its port\n',
      );
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(req, res, 405, 'method not allowed: GET or HEAD\n', { Allow: 'GET, HEAD' });
    const target = req.url ?? '';
    const path = target.split('?', 1)[0];
    const current = options.live.current;
    if (path === '/') {
      const html = current ? current.build.html : renderErrorPage(options.live.lastError ?? 'the first render has not finished');
      // The page reads its build from Server-Timing and opens its event stream with it (event-stream.ts); the page's bytes stay those of specs.html.
      const build: Record<string, string> = current ? { 'Server-Timing': `${BUILD_TIMING};desc="${current.version}"` } : {};
      return send(
        req,
        res,
        current ? 200 : 503,
        { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP, ...build },
        html,
      );
    }
    if (path === EVENTS_PATH)
      return events.attach(req, res, { ...COMMON_HEADERS }, current?.version, /[?&]since=(\d{1,12})(?:&|$)/.exec(target)?.[1]);
    if (!target.startsWith(FILES_PREFIX))
      return plain(req, res, 404, 'not found: this server serves the dashboard at / and declared outputs under /files/\n');
    const verdict = declaredPath(target, current?.declared ?? new Set());
    if (!verdict.ok) return plain(req, res, verdict.status, `${verdict.status === 400 ? 'bad request' : 'not found'}: ${verdict.reason}\n`);
    const file = readOutput(options.root, verdict.path);
    if (!file)
      return plain(req, res, 404, 'not found: the declared output is missing, not a regular file, or resolves outside the workspace\n');
    if (!file.rawType)
      return send(
        req,
        res,
        200,
        { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': VIEW_CSP },
        outputPage(verdict.path, file),
      );
    const csp: Record<string, string> = file.rawType === 'image/svg+xml' ? { 'Content-Security-Policy': SVG_CSP } : {};
    return send(req, res, 200, { 'Content-Type': file.rawType, ...csp }, file.bytes);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  allowed = allowedHosts(host, address.port);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost === '0.0.0.0' || urlHost === '[::]' ? 'localhost' : urlHost}:${address.port}/`,
    host,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function plain(req: IncomingMessage, res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  send(req, res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': VIEW_CSP, ...extra }, text);
}

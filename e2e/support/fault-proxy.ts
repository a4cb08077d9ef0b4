import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A small HTTP proxy in front of moto (e2e/support/moto.ts) that misbehaves on
 * demand, for the results cache's fault tests:
 *
 * - `pass`: forward every request unchanged.
 * - `status`: answer `status` with an S3-style XML error (403 AccessDenied, 500 InternalError, …)
 *   to the next `times` requests (all of them when omitted), then pass again.
 * - `hang`: accept the request and never answer (nor close), as a wedged server does.
 *
 * `methods` limits a fault to requests of those methods (e.g. PUT and POST: uploads fail, reads pass).
 */
export type Fault =
  { kind: 'pass' } | { kind: 'status'; status: number; times?: number; methods?: string[] } | { kind: 'hang'; methods?: string[] };

export interface FaultProxy {
  endpoint: string;
  port: number;
  fault: Fault;
  /** Requests seen since start, answered or not: how many attempts a client made. */
  requests: number;
  /** Requests the fault answered or held instead of forwarding: proof that a fault fired, and how often. */
  injected: number;
  setFault(fault: Fault): void;
  close(): Promise<void>;
}

const CODES: Record<number, string> = { 403: 'AccessDenied', 404: 'NoSuchKey', 500: 'InternalError', 503: 'SlowDown' };

export function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const sockets = new Set<Socket>();
  let remaining = Infinity;
  const proxy: FaultProxy = {
    endpoint: '',
    port: 0,
    fault: { kind: 'pass' },
    requests: 0,
    injected: 0,
    setFault(fault) {
      proxy.fault = fault;
      remaining = fault.kind === 'status' ? (fault.times ?? Infinity) : Infinity;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    // Node's server already answered any "Expect: 100-continue"; the body comes as it is.
    const { expect: _expect, ...headers } = req.headers;
    const upstream = request({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    proxy.requests++;
    const fault = proxy.fault;
    if (fault.kind !== 'pass' && fault.methods && !fault.methods.includes(req.method ?? '')) return forward(req, res);
    if (fault.kind === 'hang') {
      proxy.injected++;
      req.resume(); // read the body, answer nothing
      return;
    }
    if (fault.kind === 'status' && remaining > 0) {
      remaining--;
      proxy.injected++;
      req.resume();
      const code = CODES[fault.status] ?? 'InjectedFault';
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by fault-proxy</Message><RequestId>fault</RequestId></Error>`;
      res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    forward(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      proxy.port = typeof address === 'object' && address ? address.port : 0;
      proxy.endpoint = `http://127.0.0.1:${proxy.port}`;
      resolve(proxy);
    });
  });
}

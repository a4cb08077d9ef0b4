import { isIP } from 'node:net';

/**
 * Sent with every response. No `Access-Control-Allow-*` header is ever sent:
 * other origins get no readable response, whatever `Origin` they send.
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The dashboard and the error page: inline CSS and JS, same-origin images and the event stream, nothing else. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Escaped output views and plain-text replies: no script at all, in a sandbox. */
export const VIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** SVG outputs are served as images, but a browser navigating to one runs its script unless sandboxed. */
export const SVG_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

/** The host names a request may carry: loopback names and the bound host, each with the bound port. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const bound = boundHost.toLowerCase();
  if (bound !== '0.0.0.0' && bound !== '::' && bound !== '') names.add(isIP(bound) === 6 ? `[${bound}]` : bound);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

/**
 * DNS rebinding defence: a page on evil.example whose name was re-pointed at
 * 127.0.0.1 sends `Host: evil.example:<port>`; only local names (and the host
 * the user bound to) are answered. A request without Host is refused too.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  return hostHeader !== undefined && allowed.has(hostHeader.trim().toLowerCase());
}

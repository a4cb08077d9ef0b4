import { posix } from 'node:path';

export type PathVerdict = { ok: true; path: string } | { ok: false; status: 400 | 404; reason: string };

/** Everything after this prefix names a workspace-relative output. */
export const FILES_PREFIX = '/files/';

/**
 * The declared output a raw `/files/...` request target names, or why it names
 * none. The raw target is decoded exactly once; anything that could mean a
 * different path to another decoder (a `%` that decodes again, a backslash, a
 * NUL or other control character, invalid UTF-8 such as overlong `%c0%ae`, a
 * `.`/`..`/empty segment, a leading `/`) is refused rather than repaired, and
 * the result must then be one of the build's declared outputs exactly. Hidden
 * segments (`.git`, `.env`, `.specthis`) and node_modules are refused even when a spec
 * declares them: the server is a viewer for results, not for configuration.
 */
export function declaredPath(rawTarget: string, declared: ReadonlySet<string>): PathVerdict {
  if (!rawTarget.startsWith(FILES_PREFIX)) return refuse(404, 'not under /files/');
  const raw = rawTarget.slice(FILES_PREFIX.length).split(/[?#]/, 1)[0];
  if (raw.includes('\\') || /%5c/i.test(raw)) return refuse(400, 'backslash in path');
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return refuse(400, 'malformed percent-encoding or invalid UTF-8');
  }
  if (/%[0-9a-f]{2}/i.test(path)) return refuse(400, 'percent-encoding left after one decode (double encoding)');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return refuse(400, 'control character or backslash in path');
  if (path === '' || path.startsWith('/')) return refuse(400, 'absolute or empty path');
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return refuse(400, 'empty, "." or ".." segment');
  if (posix.normalize(path) !== path) return refuse(400, 'path is not normalized');
  if (!isServable(path)) return refuse(404, 'hidden or node_modules path');
  if (!declared.has(path)) return refuse(404, 'not a declared output of the current build');
  return { ok: true, path };
}

/** False for paths with a hidden segment or a node_modules segment; checked on the request and on the resolved file. */
export function isServable(relative: string): boolean {
  return !relative.split('/').some((s) => s.startsWith('.') || s === 'node_modules');
}

function refuse(status: 400 | 404, reason: string): PathVerdict {
  return { ok: false, status, reason };
}

import { isAbsolute, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where a results cache lives (docs/architecture.md, "Results cache"). `url` is the display form:
 * normalized, and never holding credentials (they come from the standard AWS
 * chain, never from the URL), so it can go into every log line.
 */
export type CacheLocation = { kind: 'directory'; path: string; url: string } | { kind: 's3'; bucket: string; prefix: string; url: string };

export interface CacheUrlProblem {
  problem: string;
  expected: string;
  received: string;
}

export type ParsedCacheUrl = { ok: true; location: CacheLocation } | ({ ok: false } & CacheUrlProblem);

export const CACHE_URL_FORMS = 's3://bucket/prefix, file:///abs/path, or relative/path (relative to the workspace root)';

/** A key or prefix segment: what S3 and every file system accept unquoted; no leading dot (temp files are dot-named). */
export const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** S3's rules for bucket names (virtual-host style): 3–63 lowercase letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses a cache URL as given in plugin options or SPECTHIS_CACHE_URL. Never
 * throws: bad input comes back as a problem naming the accepted forms, for the
 * caller to print as one line.
 */
export function parseCacheUrl(input: string, workspaceRoot: string): ParsedCacheUrl {
  const received = input;
  const fail = (problem: string): ParsedCacheUrl => ({ ok: false, problem, expected: CACHE_URL_FORMS, received });
  const text = input.trim();
  if (!text) return fail('the cache URL is empty');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\cache), which is a path.
  if (scheme && scheme.length > 1) {
    if (scheme === 's3') return parseS3(text, fail);
    if (scheme === 'file') return parseFile(text, fail);
    if (scheme === 'http' || scheme === 'https') {
      return fail(
        `${scheme}: is not a cache URL; an S3-compatible server is an s3:// URL plus the endpoint option (or AWS_ENDPOINT_URL_S3)`,
      );
    }
    return fail(`unsupported scheme ${JSON.stringify(`${scheme}:`)}`);
  }
  if (text.startsWith('~')) return fail('"~" is not expanded here; give an absolute path or one relative to the workspace root');
  return directory(isAbsolute(text) ? normalize(text) : resolve(workspaceRoot, text));
}

function parseS3(text: string, fail: (problem: string) => ParsedCacheUrl): ParsedCacheUrl {
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(text);
  if (!m) return fail('not an s3:// URL');
  const [, authority, rawPath = '', rest] = m;
  if (authority.includes('@'))
    return fail('credentials do not belong in the cache URL; they come from the standard AWS chain (env, ~/.aws, SSO, instance role)');
  if (rest) return fail('an s3:// cache URL takes no query or fragment; region and endpoint are options of their own');
  if (!authority) return fail('the s3:// URL names no bucket');
  if (!BUCKET.test(authority) || authority.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(authority)) {
    return fail(`${JSON.stringify(authority)} is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  }
  const segments = rawPath.split('/').filter((s) => s !== '');
  const bad = segments.find((s) => !KEY_SEGMENT.test(s));
  if (bad !== undefined)
    return fail(`prefix segment ${JSON.stringify(bad)} may hold only letters, digits, ".", "_" and "-", and may not start with "."`);
  const prefix = segments.join('/');
  return { ok: true, location: { kind: 's3', bucket: authority, prefix, url: `s3://${authority}${prefix ? `/${prefix}` : ''}` } };
}

function parseFile(text: string, fail: (problem: string) => ParsedCacheUrl): ParsedCacheUrl {
  if (!/^file:\/\/(localhost)?\//i.test(text))
    return fail('a file: URL must be absolute, as file:///abs/path (use a plain path for a relative folder)');
  if (/[?#]/.test(text)) return fail('a file: cache URL takes no query or fragment');
  try {
    return directory(fileURLToPath(text));
  } catch (error) {
    return fail(`not a usable file: URL (${error instanceof Error ? error.message : String(error)})`);
  }
}

function directory(path: string): ParsedCacheUrl {
  // `/srv/cache/` and `/srv/cache` are one folder; the root itself keeps its separator.
  const stripped = path.replace(/[\\/]+$/, '');
  const dir = stripped === '' || /^[A-Za-z]:$/.test(stripped) ? path : stripped;
  return { ok: true, location: { kind: 'directory', path: dir, url: pathToFileURL(dir).href } };
}
